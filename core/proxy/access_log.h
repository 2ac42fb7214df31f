// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
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
    std::string flags; ///< Envoy response flags: NR, UH, UF, UC, UT, URX, DI, FI, NC; empty: "-"
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

enum class AccessLogFormat : std::uint8_t { Text, Json };

/// Envoy's default access log line (the format istioctl users read in `kubectl logs` of a gateway):
/// [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
/// %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
/// "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
void formatEnvoyLine(const RequestRecord& record, std::string& out);

/// One JSON object per line with the keys of Istio's default JSON access log
/// (EnvoyJSONLogFormatIstio, meshConfig accessLogEncoding: JSON), sorted as Envoy prints a
/// protobuf Struct: numbers for response_code, bytes and duration, null for what is absent, "-"
/// for no response flags. Any byte sequence in a header value yields valid JSON (control
/// characters escaped, invalid UTF-8 replaced by U+FFFD).
void formatEnvoyJson(const RequestRecord& record, std::string& out);

/// `value` as a JSON string (quotes included).
void appendJsonString(std::string& out, std::string_view value);

/// Where access log lines go (in Envoy's default text format or Istio's JSON): stdout or an
/// appended file. Workers write whole lines under one
/// lock, so lines never interleave.
class AccessLog {
public:
    /// "-" is stdout. Empty string on success, else why the file cannot be opened.
    [[nodiscard]] std::string open(const std::string& target, AccessLogFormat format = AccessLogFormat::Text);
    ~AccessLog();

    void write(const RequestRecord& record);

private:
    std::mutex m_mutex;
    std::FILE* m_file = nullptr;
    bool m_owned = false;
    AccessLogFormat m_format = AccessLogFormat::Text;
};

} // namespace sluice::proxy
