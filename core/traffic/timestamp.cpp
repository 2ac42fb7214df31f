// SPDX-License-Identifier: Apache-2.0
#include "timestamp.h"

#include <array>
#include <cstdint>

namespace sluice::traffic {
namespace {

using namespace std::chrono;

/// Reads exactly `count` digits at `pos`.
bool digits(std::string_view text, std::size_t& pos, std::size_t count, int& out) {
    if (pos + count > text.size())
        return false;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    pos += count;
    out = value;
    return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c)
        return false;
    ++pos;
    return true;
}

/// The date and time of day, checked; nullopt for 2023-02-30 or 25:00.
std::optional<Timestamp> compose(int y, int mo, int d, int h, int mi, int s, std::int64_t micros) {
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!date.ok() || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    // A leap second (":60") is read as the last microsecond of its minute's 59th second.
    if (s == 60) {
        s = 59;
        micros = 999999;
    }
    return Timestamp{sys_days{date}} + hours{h} + minutes{mi} + seconds{s} + microseconds{micros};
}

/// "+HH:MM", "+HHMM", "+HH", "-..." at `pos` to the end of `text`: seconds east of UTC.
std::optional<int> zoneOffset(std::string_view text, std::size_t pos) {
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-'))
        return std::nullopt;
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int h = 0;
    int m = 0;
    if (!digits(text, pos, 2, h))
        return std::nullopt;
    if (pos < text.size()) {
        if (text[pos] == ':')
            ++pos;
        if (!digits(text, pos, 2, m))
            return std::nullopt;
    }
    if (pos != text.size() || h > 23 || m > 59)
        return std::nullopt;
    return sign * (h * 3600 + m * 60);
}

} // namespace

std::optional<Timestamp> parseIso8601(std::string_view text) {
    std::size_t pos = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!digits(text, pos, 4, y) || !expect(text, pos, '-') || !digits(text, pos, 2, mo) ||
        !expect(text, pos, '-') || !digits(text, pos, 2, d))
        return std::nullopt;
    if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' '))
        return std::nullopt;
    ++pos;
    if (!digits(text, pos, 2, h) || !expect(text, pos, ':') || !digits(text, pos, 2, mi) ||
        !expect(text, pos, ':') || !digits(text, pos, 2, s))
        return std::nullopt;
    std::int64_t micros = 0;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        std::size_t count = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (count < 6)
                micros = micros * 10 + (text[pos] - '0');
            ++count;
            ++pos;
        }
        if (count == 0)
            return std::nullopt;
        for (std::size_t i = count; i < 6; ++i)
            micros *= 10;
    }
    int offset = 0;
    if (pos < text.size()) {
        if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) {
            offset = 0;
        } else if (const auto zone = zoneOffset(text, pos)) {
            offset = *zone;
        } else {
            return std::nullopt;
        }
    }
    const auto local = compose(y, mo, d, h, mi, s, micros);
    if (!local)
        return std::nullopt;
    return *local - seconds{offset};
}

std::optional<Timestamp> parseCommonLogTime(std::string_view text) {
    static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::size_t pos = 0;
    int d = 0, y = 0, h = 0, mi = 0, s = 0;
    if (!digits(text, pos, 2, d) || !expect(text, pos, '/') || pos + 3 > text.size())
        return std::nullopt;
    int mo = 0;
    for (std::size_t i = 0; i < kMonths.size(); ++i)
        if (text.substr(pos, 3) == kMonths[i])
            mo = static_cast<int>(i) + 1;
    if (mo == 0)
        return std::nullopt;
    pos += 3;
    if (!expect(text, pos, '/') || !digits(text, pos, 4, y) || !expect(text, pos, ':') ||
        !digits(text, pos, 2, h) || !expect(text, pos, ':') || !digits(text, pos, 2, mi) ||
        !expect(text, pos, ':') || !digits(text, pos, 2, s) || !expect(text, pos, ' '))
        return std::nullopt;
    const auto zone = zoneOffset(text, pos);
    const auto local = compose(y, mo, d, h, mi, s, 0);
    if (!zone || !local)
        return std::nullopt;
    return *local - seconds{*zone};
}

} // namespace sluice::traffic
