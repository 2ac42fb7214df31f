// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
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

/// Marks in their high bit the bytes of `word` that are control bytes (below 0x20, tab included)
/// or DEL. Bytes above a marked one may be marked wrongly (a borrow), so the mask is exact in
/// whether it is zero and in its lowest mark: the first such byte of the word (little-endian).
[[nodiscard]] inline std::uint64_t controlOrDelMask(std::uint64_t word) {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t high = 0x8080808080808080ull;
    const std::uint64_t control = (word - 0x20 * ones) & ~word & high;
    const std::uint64_t notDel = word ^ (0x7f * ones); // a DEL byte becomes zero
    const std::uint64_t del = (notDel - ones) & ~notDel & high;
    return control | del;
}

/// Where field text starting at `at` stops: the first control byte other than tab, DEL, or, unless
/// `ObsText`, byte from 0x80 up; data.size() when every byte is field text. In a well-formed line
/// that is its CR, so one pass both finds a line's end and validates it, eight bytes a step.
template <bool ObsText> [[nodiscard]] std::size_t fieldTextEnd(std::string_view data, std::size_t at) {
    static_assert(std::endian::native == std::endian::little);
    const auto stops = [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c < 0x20 && c != '\t') || c == 0x7f || (!ObsText && c >= 0x80);
    };
    for (; at + 8 <= data.size(); at += 8) {
        std::uint64_t w;
        std::memcpy(&w, data.data() + at, 8);
        const std::uint64_t mask = controlOrDelMask(w) | (ObsText ? 0 : w & 0x8080808080808080ull);
        if (mask == 0)
            continue;
        const std::size_t first = at + static_cast<std::size_t>(std::countr_zero(mask)) / 8;
        if (data[first] != '\t')
            return first;
        for (std::size_t i = first + 1; i < at + 8; ++i) // past a tab the mask may be wrong
            if (stops(data[i]))
                return i;
    }
    for (; at < data.size(); ++at)
        if (stops(data[at]))
            return at;
    return data.size();
}

} // namespace sluice::proxy
