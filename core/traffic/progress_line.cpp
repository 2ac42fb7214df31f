// SPDX-License-Identifier: Apache-2.0
#include "progress_line.h"

#include "metrics/traffic_report_text.h"

#include <algorithm>
#include <cmath>

namespace sluice::traffic {
namespace {

using metrics::TrafficReportText;

std::string ms(std::uint64_t micros) {
    return TrafficReportText::fixed(static_cast<double>(micros) / 1000.0, 2) + " ms";
}

std::string padLeft(std::string s, std::size_t width) {
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

} // namespace

std::string ProgressLine::second(const SecondSummary& s) {
    return "[" + padLeft(std::to_string(s.second + 1) + "s", 5) + "]  " +
           padLeft(std::to_string(s.requests), 7) + " req/s  p50 " + ms(s.p50) + "  p99 " + ms(s.p99) +
           "  errors " + std::to_string(s.errors);
}

std::string ProgressLine::bar(double fraction, double elapsedSeconds, std::optional<double> totalSeconds,
                              const std::optional<SecondSummary>& last, int width) {
    if (!std::isfinite(fraction))
        fraction = 0;
    fraction = std::clamp(fraction, 0.0, 1.0);
    width = std::max(width, 1);
    const int filled = static_cast<int>(std::lround(fraction * width));
    std::string out = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(width - filled), '.') + "] " +
                      padLeft(std::to_string(static_cast<int>(std::floor(fraction * 100))) + "%", 4) + "  " +
                      TrafficReportText::fixed(elapsedSeconds, 1);
    if (totalSeconds)
        out += "/" + TrafficReportText::fixed(*totalSeconds, 1);
    out += " s";
    if (last)
        out += "  " + std::to_string(last->requests) + " req/s  p50 " + ms(last->p50) + "  p99 " +
               ms(last->p99) + "  errors " + std::to_string(last->errors);
    return out;
}

} // namespace sluice::traffic
