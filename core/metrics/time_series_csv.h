// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "time_series_snapshot.h"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::metrics {

/// The time series as CSV (`sluice load --csv FILE`): a header row, then one row per second.
/// Latencies in milliseconds with three decimals (exact to the microsecond; the mean rounded to
/// it). parse() reads the same format back (the Studio can chart a saved run).
///
///     second,requests,errors,no_response,status_1xx,status_2xx,status_3xx,status_4xx,status_5xx,p50_ms,p90_ms,p99_ms,p99_9_ms,max_ms,mean_ms
///     0,150,50,0,0,100,0,0,50,1.007,40.000,40.000,40.000,40.000,14.000
class TimeSeriesCsv {
public:
    static constexpr std::string_view kHeader =
        "second,requests,errors,no_response,status_1xx,status_2xx,status_3xx,status_4xx,status_5xx,"
        "p50_ms,p90_ms,p99_ms,p99_9_ms,max_ms,mean_ms";

    /// One row per point after the header; every line ends with "\n".
    [[nodiscard]] static std::string write(std::span<const TimeSeriesPoint> points);

    struct Problem {
        std::size_t line = 0; ///< 1-based
        std::string message;
    };
    struct Parsed {
        std::vector<TimeSeriesPoint> points;
        std::vector<Problem> problems; ///< the first kMaxProblems, in line order
        std::size_t skipped = 0;       ///< rows not read (each has a problem, reported or not)
    };
    static constexpr std::size_t kMaxProblems = 100;

    /// Rows that cannot be read (wrong column count, a field that is not a number, totals that
    /// disagree with the status columns) are skipped and reported with their line numbers. A
    /// missing or different header is one problem on line 1 and nothing is read. Blank lines
    /// are ignored; CRLF is accepted.
    [[nodiscard]] static Parsed parse(std::string_view text);
};

} // namespace sluice::metrics
