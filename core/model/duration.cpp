// SPDX-License-Identifier: Apache-2.0
#include "duration.h"

#include <array>
#include <limits>

namespace sluice::model {
namespace {

struct Unit {
    std::string_view name;
    std::int64_t nanos;
};

// Longest names first so "ms" wins over "m".
constexpr std::array<Unit, 8> kUnits{{{"ns", 1},
                                      {"us", 1'000},
                                      {"\xC2\xB5s", 1'000}, // micro sign
                                      {"\xCE\xBCs", 1'000}, // Greek mu
                                      {"ms", 1'000'000},
                                      {"s", 1'000'000'000},
                                      {"m", 60'000'000'000},
                                      {"h", 3'600'000'000'000}}};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

} // namespace

std::optional<Duration> Duration::parse(std::string_view text) {
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text == "0")
        return Duration{0};
    if (text.empty())
        return std::nullopt;

    long double total = 0;
    while (!text.empty()) {
        std::size_t i = 0;
        long double whole = 0;
        bool digits = false;
        while (i < text.size() && isDigit(text[i])) {
            whole = whole * 10 + (text[i] - '0');
            digits = true;
            ++i;
        }
        long double frac = 0, scale = 1;
        if (i < text.size() && text[i] == '.') {
            ++i;
            while (i < text.size() && isDigit(text[i])) {
                scale /= 10;
                frac += (text[i] - '0') * scale;
                digits = true;
                ++i;
            }
        }
        if (!digits)
            return std::nullopt;
        text.remove_prefix(i);
        const Unit* unit = nullptr;
        for (const auto& u : kUnits) {
            if (text.starts_with(u.name) && (!unit || u.name.size() > unit->name.size()))
                unit = &u;
        }
        if (!unit)
            return std::nullopt;
        text.remove_prefix(unit->name.size());
        total += (whole + frac) * static_cast<long double>(unit->nanos);
        if (total > static_cast<long double>(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
    }
    const auto nanos = static_cast<std::int64_t>(total + 0.5L);
    return Duration{negative ? -nanos : nanos};
}

std::string Duration::toString() const {
    if (nanos == 0)
        return "0s";
    std::string out;
    std::int64_t n = nanos;
    if (n < 0) {
        out += '-';
        n = -n;
    }
    // Sub-second values read best in the smallest exact unit; larger ones as h/m/s like Go.
    if (n < 1'000'000'000) {
        if (n % 1'000'000 == 0)
            return out + std::to_string(n / 1'000'000) + "ms";
        if (n % 1'000 == 0)
            return out + std::to_string(n / 1'000) + "us";
        return out + std::to_string(n) + "ns";
    }
    const std::int64_t hours = n / 3'600'000'000'000;
    n %= 3'600'000'000'000;
    const std::int64_t minutes = n / 60'000'000'000;
    n %= 60'000'000'000;
    if (hours)
        out += std::to_string(hours) + "h";
    if (minutes)
        out += std::to_string(minutes) + "m";
    if (n) {
        std::string secs = std::to_string(n / 1'000'000'000);
        if (const std::int64_t rest = n % 1'000'000'000) {
            std::string frac = std::to_string(rest);
            frac.insert(0, 9 - frac.size(), '0');
            while (frac.back() == '0')
                frac.pop_back();
            secs += "." + frac;
        }
        out += secs + "s";
    }
    return out;
}

} // namespace sluice::model
