// SPDX-License-Identifier: Apache-2.0
#include "response_writers.h"

#include "head_text.h"
#include "upstream_request_writer.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace sluice::proxy {
namespace {

bool hopByHop(const HeaderField& f, int status) {
    switch (f.known) {
    case KnownHeader::Upgrade:
    case KnownHeader::Connection:
        return status != 101; // a switching-protocols answer needs both
    case KnownHeader::KeepAlive:
    case KnownHeader::ProxyConnection:
    case KnownHeader::TransferEncoding:
    case KnownHeader::Server:
        return true;
    default:
        return false;
    }
}

bool named(std::string_view name, const routing::HeaderOperations& ops) {
    if (ops.remove.empty() && ops.set.empty())
        return false;
    const auto is = [name](const std::string& h) {
        return headerNameIs(name, h);
    };
    return std::any_of(ops.remove.begin(), ops.remove.end(), is) ||
           std::any_of(ops.set.begin(), ops.set.end(), [&](const auto& kv) { return is(kv.first); });
}

void routeHeaders(const routing::HeaderOperations& ops, HeadText& text) {
    for (const auto& [name, value] : ops.set)
        text.line(name, value);
    for (const auto& [name, value] : ops.add)
        text.line(name, value);
}

} // namespace

void ResponseHeadWriter::write(const ResponseHead& head, const routing::HeaderOperations& ops,
                               std::int64_t upstreamMillis, bool keepAlive, std::string_view date,
                               std::string& out) {
    HeadText text(out);
    text.put("HTTP/1.1 ").decimal(head.status).put(' ');
    text.put(head.reason.empty() ? LocalReplyWriter::reason(head.status) : head.reason).put("\r\n");
    bool hasDate = false;
    for (const HeaderField& f : head.fields) {
        if (hopByHop(f, head.status) || named(f.name, ops))
            continue;
        hasDate = hasDate || f.known == KnownHeader::Date;
        text.line(f.name, f.value);
    }
    routeHeaders(ops, text);
    if (!hasDate)
        text.line("date", date);
    text.line("server", "istio-envoy");
    if (!head.informational() && head.status != 101)
        text.put("x-envoy-upstream-service-time: ").decimal(upstreamMillis).put("\r\n");
    if (head.chunked)
        text.put("transfer-encoding: chunked\r\n");
    if (head.status != 101 && !head.informational() && (!keepAlive || head.closeDelimited))
        text.put("connection: close\r\n");
    text.put("\r\n");
}

void LocalReplyWriter::write(int status, std::string_view body, std::string_view contentType,
                             const routing::HeaderOperations* ops, std::string_view location, bool keepAlive,
                             std::string_view date, std::string& out) {
    HeadText text(out, 256 + body.size());
    text.put("HTTP/1.1 ").decimal(status).put(' ').put(reason(status)).put("\r\n");
    if (!location.empty())
        text.line("location", location);
    if (!body.empty())
        text.line("content-type", contentType.empty() ? "text/plain" : contentType);
    if (ops)
        routeHeaders(*ops, text);
    text.put("content-length: ").decimal(static_cast<std::int64_t>(body.size())).put("\r\n");
    text.line("date", date).line("server", "istio-envoy");
    if (!keepAlive)
        text.put("connection: close\r\n");
    text.put("\r\n").put(body);
}

void insertHeaderLines(std::string& out, std::string_view lines) {
    if (lines.empty())
        return;
    const std::size_t blank = out.find("\r\n\r\n"); // header values never hold CR LF
    if (blank != std::string::npos)
        out.insert(blank + 2, lines);
}

std::string_view LocalReplyWriter::reason(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Payload Too Large";
    case 418:
        return "I'm a teapot";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

std::string httpDate(std::int64_t unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    // Not strftime: %a and %b follow the locale, and a GUI process sets one; HTTP dates are English.
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::array<char, 40> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                days[static_cast<std::size_t>(tm.tm_wday)], tm.tm_mday,
                                months[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour,
                                tm.tm_min, tm.tm_sec);
    return {buf.data(), static_cast<std::size_t>(std::max(n, 0))};
}

} // namespace sluice::proxy
