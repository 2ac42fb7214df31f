// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live_view.h"

#include <string>
#include <string_view>
#include <vector>

namespace sluice::live {

/// What the dashboard shows, as CSV: one table per chart. Every text ends each line with "\n";
/// fields holding a comma, a quote or a line break are quoted (RFC 4180). Latencies in
/// milliseconds with three decimals, rates with three, percentages with two.
class LiveViewCsv {
public:
    /// The overall time series, one row per second: TimeSeriesCsv's format (`sluice load --csv`).
    [[nodiscard]] static std::string timeSeries(const LiveView& view);
    /// `second,<destination>,...`: requests per second per destination.
    [[nodiscard]] static std::string destinations(const LiveView& view);
    /// `rule,destination,configured_percent,observed_percent,requests`, one row per share.
    [[nodiscard]] static std::string splits(const LiveView& view);
    /// `kind,value,requests`: kind `status` (value the code, 0 no response) or `flag`.
    [[nodiscard]] static std::string failures(const LiveView& view);
    /// `rule,requests,rps,p50_ms,p99_ms,errors,error_percent`.
    [[nodiscard]] static std::string rules(const LiveView& view);

    struct File {
        std::string suffix; ///< "" for the time series, then "-destinations", "-splits", ...
        std::string text;
    };
    /// Every table, for an export next to a chosen file name ("run.csv", "run-splits.csv", ...).
    [[nodiscard]] static std::vector<File> all(const LiveView& view);
};

} // namespace sluice::live
