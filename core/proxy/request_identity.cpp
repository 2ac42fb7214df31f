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
    // Two hex digits per byte from a table, each at its place in the 8-4-4-4-12 layout: one
    // is made for nearly every request.
    static constexpr auto kHexPairs = [] {
        constexpr std::string_view hex = "0123456789abcdef";
        std::array<char, 512> pairs{};
        for (std::size_t b = 0; b < 256; ++b) {
            pairs[2 * b] = hex[b >> 4];
            pairs[2 * b + 1] = hex[b & 0x0f];
        }
        return pairs;
    }();
    static constexpr std::array<std::uint8_t, 16> kPlace{0,  2,  4,  6,  9,  11, 14, 16,
                                                         19, 21, 24, 26, 28, 30, 32, 34};
    std::uint64_t high = rng.next();
    std::uint64_t low = rng.next();
    high = (high & ~(0xf0ull << 48)) | (0x40ull << 48); // byte 6: version 4
    low = (low & ~0xc0ull) | 0x80;                      // byte 8: the RFC 4122 variant
    std::array<char, 36> text{};
    for (std::size_t i = 0; i < 16; ++i) {
        const auto byte = static_cast<std::size_t>(((i < 8 ? high : low) >> (8 * (i % 8))) & 0xff);
        text[kPlace[i]] = kHexPairs[2 * byte];
        text[kPlace[i] + 1] = kHexPairs[2 * byte + 1];
    }
    text[8] = text[13] = text[18] = text[23] = '-';
    out.assign(text.data(), text.size()); // one copy into a string that keeps its capacity
}

} // namespace sluice::proxy
