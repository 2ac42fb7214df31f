// SPDX-License-Identifier: Apache-2.0
#include "access_log.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace sluice::proxy {
namespace {

/// "%REQ(...)%" with Envoy's "-" for an absent value.
void quoted(std::string& out, const std::string& value) {
    out += '"';
    out += value.empty() ? std::string("-") : value;
    out += '"';
}

/// 2026-11-26T07:30:08.123Z, as Envoy's %START_TIME% prints by default.
void startTime(std::string& out, std::chrono::system_clock::time_point at) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::array<char, 40> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                                tm.tm_sec, static_cast<int>(ms % 1000));
    out.append(buf.data(), static_cast<std::size_t>(n > 0 ? n : 0));
}

} // namespace

void RequestRecord::reset() {
    start = {};
    method.clear();
    path.clear();
    protocol = "HTTP/1.1";
    status = 0;
    flags.clear();
    bytesReceived = bytesSent = 0;
    durationMillis = 0;
    upstreamMillis = upstreamMicros = -1;
    forwardedFor.clear();
    userAgent.clear();
    requestId.clear();
    authority.clear();
    upstreamHost.clear();
    responseCodeDetails = {};
    upstreamCluster.clear();
    routeName.clear();
}

void formatEnvoyLine(const RequestRecord& r, std::string& out) {
    out += '[';
    startTime(out, r.start);
    out += "] \"";
    out += r.method;
    out += ' ';
    out += r.path;
    out += ' ';
    out += r.protocol;
    out += "\" ";
    out += std::to_string(r.status);
    out += ' ';
    out += r.flags.empty() ? std::string("-") : r.flags;
    out += ' ';
    out += std::to_string(r.bytesReceived);
    out += ' ';
    out += std::to_string(r.bytesSent);
    out += ' ';
    out += std::to_string(r.durationMillis);
    out += ' ';
    out += r.upstreamMillis < 0 ? std::string("-") : std::to_string(r.upstreamMillis);
    out += ' ';
    quoted(out, r.forwardedFor);
    out += ' ';
    quoted(out, r.userAgent);
    out += ' ';
    quoted(out, r.requestId);
    out += ' ';
    quoted(out, r.authority);
    out += ' ';
    quoted(out, r.upstreamHost);
    out += '\n';
}

void appendJsonString(std::string& out, std::string_view value) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    const auto* p = reinterpret_cast<const unsigned char*>(value.data());
    const auto* end = p + value.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xf];
                } else {
                    out += static_cast<char>(c);
                }
            }
            ++p;
            continue;
        }
        // A well-formed UTF-8 sequence (no overlongs, no surrogates) is copied; any other byte
        // becomes U+FFFD, so the line stays valid JSON whatever the client sent.
        std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (c > 0xF4 || static_cast<std::size_t>(end - p) < length)
            length = 0;
        for (std::size_t i = 1; i < length; ++i)
            if ((p[i] & 0xC0) != 0x80)
                length = 0;
        if (length == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)))
            length = 0;
        if (length == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)))
            length = 0;
        if (length == 0) {
            out += "\\ufffd";
            ++p;
            continue;
        }
        out.append(reinterpret_cast<const char*>(p), length);
        p += length;
    }
    out += '"';
}

void formatEnvoyJson(const RequestRecord& r, std::string& out) {
    const auto text = [&out](std::string_view key, std::string_view value, bool first = false) {
        out += first ? "{\"" : ",\"";
        out += key;
        out += "\":";
        if (value.empty())
            out += "null";
        else
            appendJsonString(out, value);
    };
    const auto number = [&out](std::string_view key, std::int64_t value) {
        out += ",\"";
        out += key;
        out += "\":";
        out += std::to_string(value);
    };
    std::string start;
    startTime(start, r.start);
    // Keys in the order Envoy prints Istio's format (sorted, as a protobuf Struct is).
    text("authority", r.authority, true);
    number("bytes_received", static_cast<std::int64_t>(r.bytesReceived));
    number("bytes_sent", static_cast<std::int64_t>(r.bytesSent));
    text("connection_termination_details", {});
    text("downstream_local_address", r.downstreamLocalAddress);
    text("downstream_remote_address", r.downstreamRemoteAddress);
    number("duration", r.durationMillis);
    text("method", r.method);
    text("path", r.path);
    text("protocol", r.protocol);
    text("request_id", r.requestId);
    text("requested_server_name", {});
    number("response_code", r.status);
    text("response_code_details", r.responseCodeDetails);
    text("response_flags", r.flags.empty() ? std::string_view("-") : std::string_view(r.flags));
    text("route_name", r.routeName);
    text("start_time", start);
    text("upstream_cluster", r.upstreamCluster);
    text("upstream_host", r.upstreamHost);
    text("upstream_local_address", {});
    text("upstream_service_time", r.upstreamMillis < 0 ? std::string() : std::to_string(r.upstreamMillis));
    text("upstream_transport_failure_reason", {});
    text("user_agent", r.userAgent);
    text("x_forwarded_for", r.forwardedFor);
    out += "}\n";
}

std::string AccessLog::open(const std::string& target, AccessLogFormat format) {
    m_format = format;
    if (target == "-") {
        m_file = stdout;
        return {};
    }
    m_file = std::fopen(target.c_str(), "a");
    if (!m_file)
        return "cannot open access log " + target + ": " + std::strerror(errno);
    m_owned = true;
    return {};
}

AccessLog::~AccessLog() {
    if (m_owned && m_file)
        std::fclose(m_file);
}

void AccessLog::write(const RequestRecord& record) {
    if (!m_file)
        return;
    thread_local std::string line;
    line.clear();
    if (m_format == AccessLogFormat::Json)
        formatEnvoyJson(record, line);
    else
        formatEnvoyLine(record, line);
    const std::lock_guard lock(m_mutex);
    std::fwrite(line.data(), 1, line.size(), m_file);
    std::fflush(m_file);
}

} // namespace sluice::proxy
