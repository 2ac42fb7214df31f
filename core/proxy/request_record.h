// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::proxy {

/// What the access log says about one request (Envoy's command operators of its default format).
struct RequestRecord {
    std::chrono::system_clock::time_point start;
    std::string method;
    std::string path;
    std::string protocol = "HTTP/1.1";
    int status = 0;
    std::string flags; ///< Envoy response flags: NR, UH, UF, UC, UR, UT, URX, DI, FI, NC; empty: "-"
    std::uint64_t bytesReceived = 0;
    std::uint64_t bytesSent = 0;
    std::int64_t durationMillis = 0;
    std::int64_t upstreamMillis = -1; ///< x-envoy-upstream-service-time; -1: none
    std::string forwardedFor;
    std::string userAgent;
    std::string requestId;
    std::string authority;
    std::string upstreamHost; ///< "127.0.0.1:40123"; empty: none
    // Also in the JSON format (Istio's meshConfig accessLogEncoding: JSON keys).
    std::string_view responseCodeDetails; ///< %RESPONSE_CODE_DETAILS% ("via_upstream", "route_not_found"...)
    std::string upstreamCluster;          ///< %UPSTREAM_CLUSTER_RAW%
    std::string routeName;                ///< %ROUTE_NAME%: the VirtualService http rule's name
    std::string downstreamLocalAddress;   ///< "127.0.0.1:8080"
    std::string downstreamRemoteAddress;  ///< "127.0.0.1:51234"
    std::int64_t upstreamMicros = -1;     ///< the upstream service time in µs (metrics); -1: none

    /// Empties the request's fields, keeping the strings' memory (no allocation per request once
    /// warm); the connection's (downstream addresses) stay.
    void reset();
};

} // namespace sluice::proxy
