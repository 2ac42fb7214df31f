// SPDX-License-Identifier: Apache-2.0
#include "response_writers.h"

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

void field(std::string& out, std::string_view name, std::string_view value) {
    appendHeaderLine(out, name, value);
}

void routeHeaders(const routing::HeaderOperations& ops, std::string& out) {
    for (const auto& [name, value] : ops.set)
        field(out, name, value);
    for (const auto& [name, value] : ops.add)
        field(out, name, value);
}

} // namespace

void ResponseHeadWriter::write(const ResponseHead& head, const routing::HeaderOperations& ops,
                               std::int64_t upstreamMillis, bool keepAlive, std::string_view date,
                               std::string& out) {
    out += "HTTP/1.1 ";
    appendDecimal(out, head.status);
    out += ' ';
    out += head.reason.empty() ? LocalReplyWriter::reason(head.status) : head.reason;
    out += "\r\n";
    bool hasDate = false;
    for (const HeaderField& f : head.fields) {
        if (hopByHop(f, head.status) || named(f.name, ops))
            continue;
        hasDate = hasDate || f.known == KnownHeader::Date;
        field(out, f.name, f.value);
    }
    routeHeaders(ops, out);
    if (!hasDate)
        field(out, "date", date);
    field(out, "server", "istio-envoy");
    if (!head.informational() && head.status != 101) {
        out += "x-envoy-upstream-service-time: ";
        appendDecimal(out, upstreamMillis);
        out += "\r\n";
    }
    if (head.chunked)
        out += "transfer-encoding: chunked\r\n";
    if (head.status != 101 && !head.informational() && (!keepAlive || head.closeDelimited))
        out += "connection: close\r\n";
    out += "\r\n";
}

void LocalReplyWriter::write(int status, std::string_view body, std::string_view contentType,
                             const routing::HeaderOperations* ops, std::string_view location, bool keepAlive,
                             std::string_view date, std::string& out) {
    out += "HTTP/1.1 ";
    appendDecimal(out, status);
    out += ' ';
    out += reason(status);
    out += "\r\n";
    if (!location.empty())
        field(out, "location", location);
    if (!body.empty())
        field(out, "content-type", contentType.empty() ? "text/plain" : contentType);
    if (ops)
        routeHeaders(*ops, out);
    out += "content-length: ";
    appendDecimal(out, static_cast<std::int64_t>(body.size()));
    out += "\r\n";
    field(out, "date", date);
    field(out, "server", "istio-envoy");
    if (!keepAlive)
        out += "connection: close\r\n";
    out += "\r\n";
    out += body;
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
