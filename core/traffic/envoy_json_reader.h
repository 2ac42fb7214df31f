// SPDX-License-Identifier: Apache-2.0
#pragma once

// Envoy JSON access logs: one JSON object per line. Reads Istio's keys (meshConfig
// accessLogEncoding: JSON, which Sluice's proxy writes too: core/proxy/access_log.h) and the
// usual spellings of the same command operators in hand-written json_format dictionaries. Keys
// compare case-insensitively, ignoring '_', '-', '(', ')', ':', '?', so "start_time",
// "START_TIME" and "startTime" are one key:
//   method             method, REQ(:METHOD), request_method, http_method
//   path               path, REQ(X-ENVOY-ORIGINAL-PATH?:PATH), REQ(:PATH), request_path, x-envoy-origin-path
//   authority          authority, REQ(:AUTHORITY), host
//   start_time         start_time, timestamp (ISO 8601)
//   response_code      response_code, status, status_code (number or digit string)
//   response_flags     response_flags        duration   duration (ms)
//   upstream_cluster   upstream_cluster, UPSTREAM_CLUSTER_RAW
//   protocol           protocol
//   user-agent, x-forwarded-for, x-request-id headers from user_agent, x_forwarded_for, request_id
// Values may be strings or numbers; null and "-" are absent. A line without a method (a TCP
// entry) is well-formed and skipped with that reason; a line that is not a JSON object is
// malformed.

#include "line_records.h"
#include "recording.h"

#include <istream>
#include <string>
#include <string_view>

namespace sluice::traffic {

class EnvoyJsonReader {
public:
    [[nodiscard]] static ReadResult read(std::istream& in, const std::string& file);
    [[nodiscard]] static LineOutcome parseLine(std::string_view line);
    /// Detection: a JSON object line with one of the Envoy-only keys (start_time,
    /// response_code, response_flags, upstream_cluster, bytes_sent...).
    [[nodiscard]] static bool looksLike(std::string_view line);
};

} // namespace sluice::traffic
