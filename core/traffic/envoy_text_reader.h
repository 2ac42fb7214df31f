// SPDX-License-Identifier: Apache-2.0
#pragma once

// Envoy's default text access log and Istio's. Envoy's default format:
//   [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
//   %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
//   "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
// which Sluice's own proxy writes too (core/proxy/access_log.h). Istio's (meshConfig
// accessLogEncoding TEXT, Istio 1.9+) adds %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
// "%UPSTREAM_TRANSPORT_FAILURE_REASON%" after the flags, and %UPSTREAM_CLUSTER%
// %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
// %REQUESTED_SERVER_NAME% %ROUTE_NAME% at the end. Older Istio (1.5-1.8) had quoted fields in
// the same place instead.
//
// The reader anchors on what all of them share: the bracketed time, the quoted request, the
// code and flags, and the run of 4 bare fields (bytes received and sent, duration, upstream
// time) followed by 5 quoted ones (X-Forwarded-For, User-Agent, X-Request-ID, authority,
// upstream host). A bare field after those is the upstream cluster (Istio). Envoy does not
// escape quotes inside values: a quoted field ends at a '"' followed by a space or the end.
//
// Each request keeps method, path, protocol, authority, status (0: no response sent), flags,
// duration, upstream cluster, and User-Agent, X-Forwarded-For and X-Request-ID as headers.
// A TCP entry ("- - -") is a well-formed line that carries no request: skipped with that reason.

#include "line_records.h"
#include "recording.h"

#include <istream>
#include <string>
#include <string_view>

namespace sluice::traffic {

class EnvoyTextReader {
public:
    [[nodiscard]] static ReadResult read(std::istream& in, const std::string& file);
    [[nodiscard]] static LineOutcome parseLine(std::string_view line);
    /// Detection: "[" then an ISO 8601 date.
    [[nodiscard]] static bool looksLike(std::string_view line);
};

} // namespace sluice::traffic
