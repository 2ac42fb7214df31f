// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "traffic_report.h"

#include <string>
#include <string_view>

namespace sluice::metrics {

/// A TrafficReport as aligned text, in the spirit of wrk and h2load's summaries: totals,
/// latency percentiles, status codes, response flags, then the observed split per destination
/// and subset next to the configured weights. A simulated report says so in its first line.
/// Numbers are formatted without the locale (a decimal point, always).
class TrafficReportText {
public:
    /// `note`, when given, is a line of its own under the first one (what a simulated report's
    /// figures leave out, in the caller's words).
    [[nodiscard]] static std::string render(const TrafficReport& report, std::string_view note = {});

    /// `value` with `decimals` digits after the point ("12.50"), locale-independent.
    [[nodiscard]] static std::string fixed(double value, int decimals);
};

} // namespace sluice::metrics
