// SPDX-License-Identifier: Apache-2.0
#include "header_names.h"

#include "head_text.h"

#include <array>
#include <charconv>
#include <cstring>

namespace sluice::proxy {
namespace {

constexpr std::array<char, 256> kLower = [] {
    std::array<char, 256> table{};
    for (std::size_t c = 0; c < table.size(); ++c)
        table[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    return table;
}();

char lower(char c) {
    return kLower[static_cast<unsigned char>(c)];
}

struct Candidate {
    std::string_view name;
    KnownHeader header;
};

} // namespace

void lowerAsciiWords(char* p, std::size_t words) {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    for (; words > 0; p += 8, --words) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        const std::uint64_t ascii = w & 0x7f7f7f7f7f7f7f7full;
        const std::uint64_t fromA = ascii + (0x80 - 'A') * ones;     // high bit: byte >= 'A'
        const std::uint64_t pastZ = ascii + (0x80 - 'Z' - 1) * ones; // high bit: byte > 'Z'
        const std::uint64_t upper = fromA & ~pastZ & ~w & 0x8080808080808080ull;
        w |= upper >> 2; // 0x80 >> 2 == 0x20, the case bit
        std::memcpy(p, &w, 8);
    }
}

bool headerNameIs(std::string_view name, std::string_view lowerName) {
    if (name.size() != lowerName.size())
        return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (lower(name[i]) != lowerName[i])
            return false;
    return true;
}

KnownHeader classifyHeader(std::string_view name) {
    // The length narrows every name down to at most three candidates.
    const auto among = [name](std::initializer_list<Candidate> candidates) {
        for (const Candidate& c : candidates)
            if (headerNameIs(name, c.name))
                return c.header;
        return KnownHeader::Other;
    };
    switch (name.size()) {
    case 2:
        return among({{"te", KnownHeader::Te}});
    case 4:
        return among({{"host", KnownHeader::Host}, {"date", KnownHeader::Date}});
    case 6:
        return among({{"expect", KnownHeader::Expect}, {"server", KnownHeader::Server}});
    case 7:
        return among({{"upgrade", KnownHeader::Upgrade}});
    case 10:
        return among({{"connection", KnownHeader::Connection},
                      {"keep-alive", KnownHeader::KeepAlive},
                      {"user-agent", KnownHeader::UserAgent}});
    case 12:
        return among({{"x-request-id", KnownHeader::XRequestId}});
    case 14:
        return among({{"content-length", KnownHeader::ContentLength}});
    case 15:
        return among({{"x-forwarded-for", KnownHeader::XForwardedFor}});
    case 16:
        return among({{"proxy-connection", KnownHeader::ProxyConnection}});
    case 17:
        return among({{"transfer-encoding", KnownHeader::TransferEncoding},
                      {"x-forwarded-proto", KnownHeader::XForwardedProto}});
    case 21:
        return among({{"x-envoy-attempt-count", KnownHeader::XEnvoyAttemptCount}});
    case 30:
        return among({{"x-envoy-expected-rq-timeout-ms", KnownHeader::XEnvoyExpectedRqTimeoutMs}});
    default:
        return KnownHeader::Other;
    }
}

void appendLower(std::string& out, std::string_view name) {
    // In whole 8-byte words, in room taken past the name's end and given back after: no byte
    // loop for the tail of a name (most are shorter than a word).
    const std::size_t at = out.size();
    const std::size_t words = (name.size() + 7) / 8;
    out.resize(at + words * 8);
    if (!name.empty())
        std::memcpy(out.data() + at, name.data(), name.size());
    lowerAsciiWords(out.data() + at, words);
    out.resize(at + name.size());
}

void appendHeaderLine(std::string& out, std::string_view name, std::string_view value) {
    HeadText(out, name.size() + value.size() + 4).line(name, value);
}

std::string_view trimOws(std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    return value;
}

void appendDecimal(std::string& out, std::int64_t value) {
    // Through a buffer on the stack: growing `out` by the widest number first would allocate for
    // a short string that the number itself fits in.
    char digits[20];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

} // namespace sluice::proxy
