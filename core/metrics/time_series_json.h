// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "time_series_snapshot.h"

#include <span>
#include <string>
#include <string_view>

namespace sluice::metrics {

/// The time series as JSON (`sluice load --series-json FILE`): the same 1 s buckets as
/// TimeSeriesCsv, one object per second, oldest first. Latencies in milliseconds (exact to the
/// microsecond; the mean rounded to it). Keys always in this order:
///
///     {
///       "schema": "sluice.time-series/v1",
///       "bucket_s": 1,
///       "seconds": [
///         {"second": 0, "requests": 150, "errors": 50,
///          "status": {"none": 0, "1xx": 0, "2xx": 100, "3xx": 0, "4xx": 0, "5xx": 50},
///          "latency_ms": {"p50": 1.007, "p90": 40.0, "p99": 40.0, "p99.9": 40.0,
///                         "max": 40.0, "mean": 14.0}}
///       ]
///     }
///
/// "none": no response (connect failure, reset, client-side timeout) or a code outside 100..599.
class TimeSeriesJson {
public:
    static constexpr std::string_view kSchema = "sluice.time-series/v1";

    /// The document, indented by `indent` spaces (-1: one line), ending with a newline.
    [[nodiscard]] static std::string write(std::span<const TimeSeriesPoint> points, int indent = 2);
};

} // namespace sluice::metrics
