// SPDX-License-Identifier: Apache-2.0
#include "h2_response_to_http1.h"

#include <charconv>

namespace sluice::proxy {
namespace {

/// Not passed on: HTTP/1.1 framing and connection fields are this hop's own (an HTTP/2 upstream
/// should send none), Envoy replaces server and x-envoy-upstream-service-time.
bool dropped(std::string_view name, KnownHeader known) {
    switch (known) {
    case KnownHeader::Connection:
    case KnownHeader::KeepAlive:
    case KnownHeader::ProxyConnection:
    case KnownHeader::TransferEncoding:
    case KnownHeader::Upgrade:
    case KnownHeader::Server:
        return true;
    default:
        return name.starts_with(':') || headerNameIs(name, "x-envoy-upstream-service-time");
    }
}

} // namespace

Http1BodyFraming H2ResponseToHttp1::convert(const Http2HeaderBlock& upstream, const Shape& shape,
                                            ResponseHead& out) {
    out.fields.clear();
    out.reason = {};
    out.version = 11;
    out.status = 0;
    out.contentLength.reset();
    out.chunked = false;
    out.keepAlive = true;
    out.closeDelimited = false;
    const std::string_view status = upstream.find(":status");
    std::from_chars(status.data(), status.data() + status.size(), out.status);
    for (std::size_t i = 0; i < upstream.size(); ++i) {
        const std::string_view name = upstream.name(i);
        const KnownHeader known = classifyHeader(name);
        if (dropped(name, known))
            continue;
        if (known == KnownHeader::ContentLength) {
            const std::string_view value = upstream.value(i);
            std::uint64_t length = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
            if (ec != std::errc{} || end != value.data() + value.size() || out.contentLength)
                continue; // a second or malformed one (nghttp2 checks it against the DATA) is not passed on
            out.contentLength = length;
        }
        out.fields.push_back({name, upstream.value(i), known});
    }
    const bool bodiless = shape.toHead || out.status < 200 || out.status == 204 || out.status == 304;
    if (out.contentLength)
        return bodiless ? Http1BodyFraming::None : Http1BodyFraming::Length;
    if (out.status < 200 || out.status == 204 || out.status == 304)
        return Http1BodyFraming::None;
    if (shape.endStream) {
        if (!shape.toHead)
            out.fields.push_back({"content-length", "0", KnownHeader::ContentLength});
        return Http1BodyFraming::None;
    }
    if (shape.clientVersion == 10) { // no chunked coding in HTTP/1.0: the connection closes (Envoy's HCM)
        out.closeDelimited = true;
        return shape.toHead ? Http1BodyFraming::None : Http1BodyFraming::UntilClose;
    }
    out.chunked = true; // informational only for HEAD: no body follows
    return shape.toHead ? Http1BodyFraming::None : Http1BodyFraming::Chunked;
}

} // namespace sluice::proxy
