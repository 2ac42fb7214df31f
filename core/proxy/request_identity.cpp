// SPDX-License-Identifier: Apache-2.0
#include "request_identity.h"

#include "upstream_request_writer.h"

#include <array>

namespace sluice::proxy {

routing::Request toRoutingRequest(const RequestHead& head, std::uint32_t gatewayPort, bool tls) {
    routing::Request r;
    fillRoutingRequest(head, gatewayPort, tls, r);
    return r;
}

void fillRoutingRequest(const RequestHead& head, std::uint32_t gatewayPort, bool tls, routing::Request& r) {
    r.mesh = false;
    r.sni.reset();
    r.port = gatewayPort;
    r.tls = tls;
    r.method.assign(head.method);
    r.authority.assign(head.host);
    std::string_view target = head.target;
    if (!target.empty() && target.front() != '/' && target != "*") {
        const auto scheme = target.find("://");
        if (scheme != std::string_view::npos) {
            const auto path = target.find_first_of("/?", scheme + 3);
            target = path == std::string_view::npos ? std::string_view("/") : target.substr(path);
        }
    }
    r.target.assign(target);
    if (!r.target.empty() && r.target.front() == '?')
        r.target.insert(0, 1, '/');
    r.headers.resize(head.fields.size()); // keeps the first entries' buffers
    for (std::size_t i = 0; i < head.fields.size(); ++i) {
        r.headers[i].first.assign(head.fields[i].name);
        r.headers[i].second.assign(head.fields[i].value);
    }
}

routing::Request toRoutingRequest(const Http2Request& request, std::uint32_t gatewayPort, bool tls) {
    return toRoutingRequest(request.head(), gatewayPort, tls);
}

void requestIdFor(const RequestHead& head, routing::Rng& rng, std::string& out) {
    for (const HeaderField& f : head.fields)
        if (f.known == KnownHeader::XRequestId && !f.value.empty()) {
            out.assign(f.value);
            return;
        }
    static constexpr char hex[] = "0123456789abcdef";
    std::array<unsigned char, 16> bytes{};
    for (std::size_t i = 0; i < 16; i += 8) {
        const std::uint64_t r = rng.next();
        for (std::size_t j = 0; j < 8; ++j)
            bytes[i + j] = static_cast<unsigned char>(r >> (8 * j));
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
    std::array<char, 36> text{};
    std::size_t at = 0;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            text[at++] = '-';
        text[at++] = hex[bytes[i] >> 4];
        text[at++] = hex[bytes[i] & 0x0f];
    }
    out.assign(text.data(), text.size()); // one copy into a string that keeps its capacity
}

} // namespace sluice::proxy
