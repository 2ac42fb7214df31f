// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

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
};

/// Envoy's default access log line (the format istioctl users read in `kubectl logs` of a gateway):
/// [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
/// %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
/// "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
void formatEnvoyLine(const RequestRecord& record, std::string& out);

/// Where access log lines go: stdout or an appended file. Workers write whole lines under one
/// lock, so lines never interleave.
class AccessLog {
public:
    /// "-" is stdout. Empty string on success, else why the file cannot be opened.
    [[nodiscard]] std::string open(const std::string& target);
    ~AccessLog();

    void write(const RequestRecord& record);

private:
    std::mutex m_mutex;
    std::FILE* m_file = nullptr;
    bool m_owned = false;
};

} // namespace sluice::proxy
