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

// A port of Go's time.ParseDuration (src/time/format.go), integer arithmetic included, so that
// rounding and overflow agree with what Istio reads: fractions are truncated, not rounded.
namespace {

constexpr std::uint64_t kMax = std::uint64_t(1) << 63; // |math.MinInt64|

// leadingInt: the digits at the front of `s`; false on overflow.
bool leadingInt(std::string_view& s, std::uint64_t& x) {
    std::size_t i = 0;
    x = 0;
    for (; i < s.size() && isDigit(s[i]); ++i) {
        if (x > kMax / 10)
            return false;
        x = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
        if (x > kMax)
            return false;
    }
    s.remove_prefix(i);
    return true;
}

// leadingFraction: digits after the dot; extra precision is dropped, never an error.
void leadingFraction(std::string_view& s, std::uint64_t& x, double& scale) {
    std::size_t i = 0;
    x = 0;
    scale = 1;
    bool overflow = false;
    for (; i < s.size() && isDigit(s[i]); ++i) {
        if (overflow)
            continue;
        if (x > (kMax - 1) / 10) {
            overflow = true;
            continue;
        }
        const std::uint64_t y = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
        if (y > kMax) {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10;
    }
    s.remove_prefix(i);
}

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

    std::uint64_t total = 0;
    while (!text.empty()) {
        if (text.front() != '.' && !isDigit(text.front()))
            return std::nullopt;
        std::uint64_t whole = 0;
        const std::size_t before = text.size();
        if (!leadingInt(text, whole))
            return std::nullopt; // overflow
        const bool pre = before != text.size();
        std::uint64_t frac = 0;
        double scale = 1;
        bool post = false;
        if (!text.empty() && text.front() == '.') {
            text.remove_prefix(1);
            const std::size_t at = text.size();
            leadingFraction(text, frac, scale);
            post = at != text.size();
        }
        if (!pre && !post)
            return std::nullopt; // "." or ".s"
        std::size_t u = 0;
        while (u < text.size() && text[u] != '.' && !isDigit(text[u]))
            ++u;
        if (u == 0)
            return std::nullopt; // missing unit
        const std::string_view name = text.substr(0, u);
        text.remove_prefix(u);
        const Unit* unit = nullptr;
        for (const auto& candidate : kUnits)
            if (candidate.name == name)
                unit = &candidate;
        if (!unit)
            return std::nullopt; // unknown unit
        const auto unitNanos = static_cast<std::uint64_t>(unit->nanos);
        if (whole > kMax / unitNanos)
            return std::nullopt;
        whole *= unitNanos;
        if (frac > 0) {
            whole += static_cast<std::uint64_t>(static_cast<double>(frac) *
                                                (static_cast<double>(unitNanos) / scale));
            if (whole > kMax)
                return std::nullopt;
        }
        total += whole;
        if (total > kMax)
            return std::nullopt;
    }
    if (negative)
        return Duration{static_cast<std::int64_t>(0 - total)};
    if (total > kMax - 1)
        return std::nullopt;
    return Duration{static_cast<std::int64_t>(total)};
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
