// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sluice::proxy {

/// RFC 9110 tchar: the bytes a method, a field name or a transfer coding may have.
inline constexpr std::array<bool, 256> kTokenChar = [] {
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c)
        t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t[c] = t[c - 'a' + 'A'] = true;
    for (const char c : std::string_view("!#$%&'*+-.^_`|~"))
        t[static_cast<unsigned char>(c)] = true;
    return t;
}();

/// Field value bytes: visible ASCII, space, tab and obs-text (no other control byte).
inline constexpr std::array<bool, 256> kFieldValueChar = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x7f; ++c)
        t[c] = true;
    for (int c = 0x80; c < 0x100; ++c)
        t[c] = true;
    t['\t'] = true;
    return t;
}();

/// Whether the eight bytes of `word` hold a control byte (below 0x20, tab included) or DEL: a
/// word of plain text needs no look at each byte. Exact for the word as a whole.
[[nodiscard]] inline bool hasControlOrDel(std::uint64_t word) {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t high = 0x8080808080808080ull;
    const std::uint64_t control = (word - 0x20 * ones) & ~word & high;
    const std::uint64_t notDel = word ^ (0x7f * ones); // a DEL byte becomes zero
    const std::uint64_t del = (notDel - ones) & ~notDel & high;
    return (control | del) != 0;
}

} // namespace sluice::proxy
