// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "access_log_sink.h"

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace sluice::proxy {

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
class AccessLog final : public AccessLogSink {
public:
    /// "-" is stdout. Empty string on success, else why the file cannot be opened.
    [[nodiscard]] std::string open(const std::string& target, AccessLogFormat format = AccessLogFormat::Text);
    ~AccessLog() override;

    void write(const RequestRecord& record) override;

private:
    std::mutex m_mutex;
    std::FILE* m_file = nullptr;
    bool m_owned = false;
    AccessLogFormat m_format = AccessLogFormat::Text;
};

} // namespace sluice::proxy
