// SPDX-License-Identifier: Apache-2.0
#include "time_series_csv.h"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>

namespace sluice::metrics {
namespace {

constexpr std::size_t kColumns = 15;
constexpr std::array<std::string_view, kColumns> kNames{
    "second",     "requests", "errors", "no_response", "status_1xx", "status_2xx", "status_3xx", "status_4xx",
    "status_5xx", "p50_ms",   "p90_ms", "p99_ms",      "p99_9_ms",   "max_ms",     "mean_ms"};

/// Microseconds as milliseconds with three decimals, exactly.
void appendMillis(std::string& out, std::uint64_t micros) {
    out += std::to_string(micros / 1000);
    out += '.';
    const auto frac = static_cast<unsigned>(micros % 1000);
    out += static_cast<char>('0' + frac / 100);
    out += static_cast<char>('0' + frac / 10 % 10);
    out += static_cast<char>('0' + frac % 10);
}

/// A field as a message can show it: at most 32 bytes, control and non-ASCII bytes as '?'.
std::string shown(std::string_view field) {
    std::string out;
    for (const char c : field.substr(0, 32))
        out += c >= 0x20 && c < 0x7f ? c : '?';
    return field.size() > 32 ? out + "..." : out;
}

template <class T> std::optional<T> whole(std::string_view field) {
    T value{};
    const auto r = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field.empty() || r.ec != std::errc{} || r.ptr != field.data() + field.size())
        return std::nullopt;
    return value;
}

/// "12.345" milliseconds -> 12345 µs: digits, then optionally a point and 1 to 3 digits.
std::optional<std::uint64_t> millis(std::string_view field) {
    const std::size_t point = field.find('.');
    const std::string_view intPart = field.substr(0, point);
    const std::string_view fracPart =
        point == std::string_view::npos ? std::string_view{} : field.substr(point + 1);
    if (point != std::string_view::npos && (fracPart.empty() || fracPart.size() > 3))
        return std::nullopt;
    const auto ms = whole<std::uint64_t>(intPart);
    if (!ms || *ms > (UINT64_MAX - 999) / 1000)
        return std::nullopt;
    std::uint64_t frac = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        if (i < fracPart.size() && (fracPart[i] < '0' || fracPart[i] > '9'))
            return std::nullopt;
        frac = frac * 10 + (i < fracPart.size() ? static_cast<std::uint64_t>(fracPart[i] - '0') : 0);
    }
    return *ms * 1000 + frac;
}

/// One data row, or the reason it cannot be read.
std::optional<std::string> parseRow(std::string_view line, TimeSeriesPoint& p) {
    std::array<std::string_view, kColumns> f;
    std::size_t n = 0;
    for (std::size_t start = 0;; ++n) {
        const std::size_t comma = line.find(',', start);
        if (n < kColumns)
            f[n] =
                line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (comma == std::string_view::npos)
            break;
        start = comma + 1;
    }
    if (n + 1 != kColumns)
        return "expected " + std::to_string(kColumns) + " columns, found " + std::to_string(n + 1);
    auto bad = [&](std::size_t c, std::string_view what) {
        return "column " + std::to_string(c + 1) + " (" + std::string(kNames[c]) + "): \"" + shown(f[c]) +
               "\" is not " + std::string(what);
    };
    const auto second = whole<std::int64_t>(f[0]);
    if (!second)
        return bad(0, "a whole number");
    p.second = *second;
    std::array<std::uint64_t, 8> counts{};
    for (std::size_t c = 1; c <= 8; ++c) {
        const auto v = whole<std::uint64_t>(f[c]);
        if (!v)
            return bad(c, "a whole number");
        counts[c - 1] = *v;
    }
    std::array<std::uint64_t, 6> micros{};
    for (std::size_t c = 9; c < kColumns; ++c) {
        const auto v = millis(f[c]);
        if (!v)
            return bad(c, "milliseconds with at most three decimals");
        micros[c - 9] = *v;
    }
    p.requests = counts[0];
    p.errors = counts[1];
    for (std::size_t i = 0; i < kStatusClasses; ++i)
        p.classes[i] = counts[2 + i];
    if (requestsOf(p.classes) != p.requests)
        return "requests (" + std::to_string(p.requests) + ") is not the sum of the status columns (" +
               std::to_string(requestsOf(p.classes)) + ")";
    if (errorsOf(p.classes) != p.errors)
        return "errors (" + std::to_string(p.errors) + ") is not no_response + status_5xx (" +
               std::to_string(errorsOf(p.classes)) + ")";
    p.p50 = micros[0];
    p.p90 = micros[1];
    p.p99 = micros[2];
    p.p999 = micros[3];
    p.max = micros[4];
    p.mean = static_cast<double>(micros[5]);
    return std::nullopt;
}

} // namespace

std::string TimeSeriesCsv::write(std::span<const TimeSeriesPoint> points) {
    std::string out(kHeader);
    out += '\n';
    for (const TimeSeriesPoint& p : points) {
        out += std::to_string(p.second);
        for (const std::uint64_t v : {p.requests, p.errors})
            out += ',' + std::to_string(v);
        for (const std::uint64_t v : p.classes)
            out += ',' + std::to_string(v);
        for (const std::uint64_t v : {p.p50, p.p90, p.p99, p.p999, p.max}) {
            out += ',';
            appendMillis(out, v);
        }
        out += ',';
        appendMillis(
            out, std::isfinite(p.mean) && p.mean > 0 ? static_cast<std::uint64_t>(std::llround(p.mean)) : 0);
        out += '\n';
    }
    return out;
}

TimeSeriesCsv::Parsed TimeSeriesCsv::parse(std::string_view text) {
    Parsed out;
    auto problem = [&out](std::size_t line, std::string message) {
        if (out.problems.size() < kMaxProblems)
            out.problems.push_back({line, std::move(message)});
    };
    std::size_t lineNo = 0;
    bool header = false;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!header) {
            if (line != kHeader) {
                problem(lineNo, "expected the header row \"" + std::string(kHeader) + "\", found \"" +
                                    shown(line) + "\"");
                return out;
            }
            header = true;
            continue;
        }
        if (line.empty())
            continue;
        TimeSeriesPoint p;
        if (auto error = parseRow(line, p)) {
            ++out.skipped;
            problem(lineNo, std::move(*error));
            continue;
        }
        out.points.push_back(p);
    }
    if (!header)
        problem(1, "empty: expected the header row");
    return out;
}

} // namespace sluice::metrics
