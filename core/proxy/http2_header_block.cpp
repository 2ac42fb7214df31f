// SPDX-License-Identifier: Apache-2.0
#include "http2_header_block.h"

#include "grpc_protocol.h"

#include <algorithm>
#include <vector>

namespace sluice::proxy {
namespace {

/// Headers HTTP/2 forbids (RFC 9113 8.2.2) or that this hop replaces.
bool connectionSpecific(const HeaderField& f) {
    switch (f.known) {
    case KnownHeader::Connection:
    case KnownHeader::KeepAlive:
    case KnownHeader::ProxyConnection:
    case KnownHeader::TransferEncoding:
    case KnownHeader::Upgrade:
    case KnownHeader::Server:
        return true;
    default:
        return headerNameIs(f.name, "transfer-encoding") || headerNameIs(f.name, "connection");
    }
}

/// Envoy's router sets x-envoy-upstream-service-time itself: an upstream's own (another proxy's) is
/// replaced, not repeated.
bool replacedByEnvoy(std::string_view name) {
    return headerNameIs(name, "x-envoy-upstream-service-time");
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

std::string decimal(std::int64_t value) {
    std::string out;
    appendDecimal(out, value);
    return out;
}

} // namespace

Http2HeaderBlock Http2HeaderBlock::sized() {
    Http2HeaderBlock b;
    b.m_text.reserve(kTypicalBytes);
    b.m_fields.reserve(kTypicalFields);
    return b;
}

void Http2HeaderBlock::add(std::string_view name, std::string_view value) {
    const Span n{static_cast<std::uint32_t>(m_text.size()), static_cast<std::uint32_t>(name.size())};
    appendLower(m_text, name);
    const Span v{static_cast<std::uint32_t>(m_text.size()), static_cast<std::uint32_t>(value.size())};
    m_text.append(value);
    m_fields.emplace_back(n, v);
}

void Http2HeaderBlock::addLines(std::string_view lines) {
    while (!lines.empty()) {
        const auto end = lines.find("\r\n");
        const std::string_view line = lines.substr(0, end);
        lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            continue;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        add(line.substr(0, colon), value);
    }
}

std::string_view Http2HeaderBlock::find(std::string_view name) const {
    for (const auto& [n, v] : m_fields)
        if (view(n) == name)
            return view(v);
    return {};
}

void Http2HeaderBlock::addRouteHeaders(const routing::HeaderOperations& ops) {
    for (const auto& [name, value] : ops.set)
        add(name, value);
    for (const auto& [name, value] : ops.add)
        add(name, value);
}

Http2HeaderBlock Http2HeaderBlock::upstreamResponse(const ResponseHead& head,
                                                    const routing::HeaderOperations& ops,
                                                    std::int64_t upstreamMillis, std::string_view date) {
    Http2HeaderBlock b = sized();
    b.add(":status", decimal(head.status));
    bool hasDate = false;
    for (const HeaderField& f : head.fields) {
        if (connectionSpecific(f) || replacedByEnvoy(f.name) || named(f.name, ops))
            continue;
        hasDate = hasDate || f.known == KnownHeader::Date;
        b.add(f.name, f.value);
    }
    b.addRouteHeaders(ops);
    b.addEnvoyResponseHeaders(hasDate, upstreamMillis, date);
    return b;
}

void Http2HeaderBlock::addEnvoyResponseHeaders(bool hasDate, std::int64_t upstreamMillis,
                                               std::string_view date) {
    if (!hasDate)
        add("date", date);
    add("server", "istio-envoy");
    add("x-envoy-upstream-service-time", decimal(upstreamMillis));
}

Http2HeaderBlock Http2HeaderBlock::upstreamResponse(const Http2HeaderBlock& upstream,
                                                    const routing::HeaderOperations& ops,
                                                    std::int64_t upstreamMillis, std::string_view date) {
    Http2HeaderBlock b = sized();
    b.add(":status", upstream.find(":status"));
    bool hasDate = false;
    for (std::size_t i = 0; i < upstream.size(); ++i) {
        const HeaderField f{upstream.name(i), upstream.value(i), classifyHeader(upstream.name(i))};
        if (f.name.starts_with(':') || connectionSpecific(f) || replacedByEnvoy(f.name) || named(f.name, ops))
            continue;
        hasDate = hasDate || f.known == KnownHeader::Date;
        b.add(f.name, f.value);
    }
    b.addRouteHeaders(ops);
    b.addEnvoyResponseHeaders(hasDate, upstreamMillis, date);
    return b;
}

Http2HeaderBlock Http2HeaderBlock::fromHttp1Request(std::string_view head, std::string_view scheme) {
    const auto lineEnd = head.find("\r\n");
    const std::string_view requestLine = head.substr(0, lineEnd);
    const auto firstSpace = requestLine.find(' ');
    const auto lastSpace = requestLine.rfind(' ');
    std::string_view rest = lineEnd == std::string_view::npos ? std::string_view() : head.substr(lineEnd + 2);
    std::string_view authority;
    struct Line {
        std::string_view name, value;
    };
    std::vector<Line> fields;
    while (!rest.empty()) {
        const auto end = rest.find("\r\n");
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
        const auto colon = line.find(':');
        if (line.empty() || colon == std::string_view::npos)
            continue;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
        const std::string_view name = line.substr(0, colon);
        if (headerNameIs(name, "host"))
            authority = value;
        else if (!headerNameIs(name, "transfer-encoding") && !headerNameIs(name, "connection"))
            fields.push_back({name, value});
    }
    Http2HeaderBlock b = sized();
    b.add(":method", requestLine.substr(0, firstSpace));
    b.add(":scheme", scheme);
    b.add(":authority", authority);
    b.add(":path", firstSpace == lastSpace ? std::string_view("/")
                                           : requestLine.substr(firstSpace + 1, lastSpace - firstSpace - 1));
    for (const Line& l : fields)
        b.add(l.name, l.value);
    return b;
}

Http2HeaderBlock Http2HeaderBlock::localReply(int status, std::size_t bodySize,
                                              const routing::HeaderOperations* ops, std::string_view location,
                                              std::string_view date) {
    Http2HeaderBlock b = sized();
    b.add(":status", decimal(status));
    if (!location.empty())
        b.add("location", location);
    if (bodySize > 0)
        b.add("content-type", "text/plain");
    if (ops)
        b.addRouteHeaders(*ops);
    b.add("content-length", decimal(static_cast<std::int64_t>(bodySize)));
    b.add("date", date);
    b.add("server", "istio-envoy");
    return b;
}

Http2HeaderBlock Http2HeaderBlock::grpcLocalReply(int grpcStatus, std::string_view message,
                                                  const routing::HeaderOperations* ops,
                                                  std::string_view location, std::string_view date) {
    Http2HeaderBlock b = sized();
    b.add(":status", "200");
    b.add("content-type", "application/grpc");
    if (!location.empty())
        b.add("location", location);
    b.add("grpc-status", decimal(grpcStatus));
    // Envoy drops the trailing newline a formatter leaves before encoding the message.
    if (!message.empty() && message.back() == '\n')
        message.remove_suffix(1);
    if (!message.empty())
        b.add("grpc-message", GrpcProtocol::percentEncode(message));
    if (ops)
        b.addRouteHeaders(*ops);
    b.add("date", date);
    b.add("server", "istio-envoy");
    return b;
}

Http2HeaderBlock Http2HeaderBlock::trailers(const std::vector<HeaderField>& fields) {
    if (fields.empty())
        return {}; // the usual case: no room reserved for nothing
    Http2HeaderBlock b = sized();
    for (const HeaderField& f : fields)
        if (!connectionSpecific(f))
            b.add(f.name, f.value);
    return b;
}

} // namespace sluice::proxy
