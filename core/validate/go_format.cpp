// SPDX-License-Identifier: Apache-2.0
#include "go_format.h"

#include <charconv>
#include <cstdio>

namespace sluice::validate {

std::string goQuote(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7f) {
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += separator;
        out += items[i];
    }
    return out;
}

std::string goList(const std::vector<std::string>& items) {
    return "[" + join(items, " ") + "]";
}

std::string goList(const std::vector<std::uint32_t>& items) {
    std::vector<std::string> text;
    text.reserve(items.size());
    for (const auto n : items)
        text.push_back(std::to_string(n));
    return goList(text);
}

std::string goList(const std::set<std::string>& items) {
    return goList(std::vector<std::string>(items.begin(), items.end()));
}

std::string goFloat(double value) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    if (ec != std::errc())
        return std::to_string(value);
    const std::string sci(buf, end);
    const auto e = sci.find('e');
    int exp = 0;
    if (e != std::string::npos)
        std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exp);
    // strconv.FormatFloat(v, 'g', -1, 64): exponent form when exp < -4 || exp >= 6 (shortest precision).
    if (value != 0 && (exp < -4 || exp >= 6))
        return sci;
    const auto fixed = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    return fixed.ec == std::errc() ? std::string(buf, fixed.ptr) : sci;
}

std::string goFixed(double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%f", value);
    return buf;
}

} // namespace sluice::validate
