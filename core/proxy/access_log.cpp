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

std::string AccessLog::open(const std::string& target) {
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
    formatEnvoyLine(record, line);
    const std::lock_guard lock(m_mutex);
    std::fwrite(line.data(), 1, line.size(), m_file);
    std::fflush(m_file);
}

} // namespace sluice::proxy
