// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
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

} // namespace sluice::proxy
