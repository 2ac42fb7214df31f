// SPDX-License-Identifier: Apache-2.0
#include "yaml_scalar.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace sluice::config {
namespace {

constexpr std::array<std::string_view, 5> kNulls{"", "~", "null", "Null", "NULL"};
constexpr std::array<std::string_view, 11> kTrue{"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
constexpr std::array<std::string_view, 11> kFalse{"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
constexpr std::array<std::string_view, 9> kInfinities{".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};

// go-yaml only tries numbers for plain scalars starting with one of these.
bool mayBeNumber(char c) { return c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'); }

// Go's strconv base prefixes (ParseInt with base 0): 0x/0X, 0o/0O, 0b/0B.
bool hasPrefix(std::string_view body, char lower) {
    return body.size() > 2 && body[0] == '0' && (body[1] == lower || body[1] == lower - 'a' + 'A');
}

template <std::size_t N>
bool oneOf(std::string_view s, const std::array<std::string_view, N>& set) {
    for (auto v : set)
        if (s == v)
            return true;
    return false;
}

bool digitsIn(std::string_view s, int base) {
    if (s.empty())
        return false;
    for (char c : s) {
        if (c == '_')
            continue;
        int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
        if (v >= base)
            return false;
    }
    return true;
}

bool parseInteger(std::string_view body, int base, bool negative, ResolvedScalar& out) {
    std::string clean;
    for (char c : body)
        if (c != '_')
            clean += c;
    std::uint64_t magnitude = 0;
    auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), magnitude, base);
    if (ptr != clean.data() + clean.size())
        return false;
    out.type = ScalarType::Int;
    const auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (ec == std::errc::result_out_of_range || magnitude > limit + (negative ? 1 : 0)) {
        out.intOverflow = true;
        return true;
    }
    out.integer = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
    return true;
}

bool isFloat(std::string_view s) {
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        ++i;
    std::size_t intDigits = 0, fracDigits = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '_')) {
        ++i;
        ++intDigits;
    }
    bool dot = false;
    if (i < s.size() && s[i] == '.') {
        dot = true;
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            ++i;
            ++fracDigits;
        }
    }
    if (intDigits == 0 && fracDigits == 0)
        return false;
    bool exp = false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        std::size_t e = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            ++i;
            ++e;
        }
        if (e == 0)
            return false;
        exp = true;
    }
    return i == s.size() && (dot || exp);
}

} // namespace

ResolvedScalar resolvePlainScalar(std::string_view s) {
    ResolvedScalar out;
    if (oneOf(s, kNulls)) {
        out.type = ScalarType::Null;
        return out;
    }
    if (oneOf(s, kTrue) || oneOf(s, kFalse)) {
        out.type = ScalarType::Bool;
        out.boolean = oneOf(s, kTrue);
        return out;
    }
    if (oneOf(s, kInfinities) || s == ".nan" || s == ".NaN" || s == ".NAN") {
        out.type = ScalarType::Float;
        out.real = s.find("nan") != std::string_view::npos || s.find("NaN") != std::string_view::npos ||
                           s.find("NAN") != std::string_view::npos
                       ? std::nan("")
                       : (s.front() == '-' ? -1.0 : 1.0) * std::numeric_limits<double>::infinity();
        return out;
    }
    if (!mayBeNumber(s.front()))
        return out; // a string
    std::string_view body = s;
    bool negative = false;
    if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
        negative = body.front() == '-';
        body.remove_prefix(1);
    }
    if (hasPrefix(body, 'x') && digitsIn(body.substr(2), 16) && parseInteger(body.substr(2), 16, negative, out))
        return out;
    if (hasPrefix(body, 'b') && digitsIn(body.substr(2), 2) && parseInteger(body.substr(2), 2, negative, out))
        return out;
    if (hasPrefix(body, 'o') && digitsIn(body.substr(2), 8) && parseInteger(body.substr(2), 8, negative, out))
        return out;
    if (body.size() > 1 && body.front() == '0' && digitsIn(body, 8) && parseInteger(body, 8, negative, out))
        return out;
    if (digitsIn(body, 10) && parseInteger(body, 10, negative, out))
        return out;
    if (isFloat(s)) {
        std::string clean;
        for (char c : s)
            if (c != '_')
                clean += c;
        out.type = ScalarType::Float;
        out.real = std::strtod(clean.c_str(), nullptr);
        return out;
    }
    out.type = ScalarType::String;
    return out;
}

std::string_view scalarTypeName(ScalarType type) {
    switch (type) {
    case ScalarType::Null:
        return "null";
    case ScalarType::Bool:
        return "boolean";
    case ScalarType::Int:
        return "integer";
    case ScalarType::Float:
        return "number";
    case ScalarType::String:
        return "string";
    }
    return "string";
}

} // namespace sluice::config
