// SPDX-License-Identifier: Apache-2.0
#include "head_text.h"

#include "header_names.h"

#include <algorithm>
#include <array>

namespace sluice::proxy {

void HeadText::grow(std::size_t n) {
    m_out.resize(std::max(m_out.size() * 2, m_at + n));
}

HeadText& HeadText::line(std::string_view name, std::string_view value) {
    // The name is lowercased in whole 8-byte words, past its end: the bytes that touches are
    // written over by ": value\r\n" or lie beyond the text, in room already taken. No byte loop
    // for the tail of a name (most names are shorter than a word).
    const std::size_t words = (name.size() + 7) / 8;
    const std::size_t length = name.size() + value.size() + 4;
    char* p = room(std::max(length, words * 8));
    if (!name.empty())
        std::memcpy(p, name.data(), name.size());
    lowerAsciiWords(p, words);
    p += name.size();
    *p++ = ':';
    *p++ = ' ';
    if (!value.empty())
        std::memcpy(p, value.data(), value.size());
    p += value.size();
    *p++ = '\r';
    *p = '\n';
    m_at += length;
    return *this;
}

HeadText& HeadText::decimal(std::int64_t value) {
    // Status codes, counts and milliseconds have a few digits: count them with comparisons, then
    // store them backwards straight into the head, two at a time from a table (std::to_chars plus
    // a copy cost three times this).
    static constexpr std::array<char, 200> pairs = [] {
        std::array<char, 200> t{};
        for (int i = 0; i < 100; ++i) {
            t[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
            t[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
        }
        return t;
    }();
    const bool negative = value < 0;
    std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    std::size_t digits = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : 5;
    for (std::uint64_t bound = 100000; digits < 20 && v >= bound; bound *= 10)
        ++digits;
    const std::size_t n = digits + (negative ? 1 : 0);
    char* p = room(n) + n;
    for (; v >= 100; v /= 100) {
        p -= 2;
        std::memcpy(p, &pairs[2 * (v % 100)], 2);
    }
    if (v >= 10) {
        p -= 2;
        std::memcpy(p, &pairs[2 * v], 2);
    } else {
        *--p = static_cast<char>('0' + v);
    }
    if (negative)
        *--p = '-';
    m_at += n;
    return *this;
}

} // namespace sluice::proxy
