// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "traffic_report.h"

#include <string>
#include <string_view>

namespace sluice::metrics {

/// The JSON form of a TrafficReport: the one schema `sluice load`, `sluice replay` and
/// `sluice simulate` write with `-o json`. Keys always in this order; times in seconds,
/// latencies in milliseconds, shares and weights in percent; null for what is unknown.
///
///     {
///       "schema": "sluice.traffic-report/v1",
///       "simulated": false,            // true: computed by `sluice simulate`, no request sent
///       "interrupted": false,          // true: stopped early (Ctrl-C); the figures are partial
///       "totals": {
///         "requests": 1000,
///         "errors": 3,                 // no response, a code outside 100..599, or 5xx
///         "unattributed": 0,           // requests whose destination is unknown
///         "abandoned": 0,              // in flight when stopped, given up (counted nowhere else)
///         "duration_s": 10.0,
///         "rate": 100.0,               // achieved requests per second
///         "target_rate": 100.0         // null: closed loop / as recorded
///       },
///       "status": {"200": 997, "503": 3},        // by code, ascending; "0": no response
///       "response_flags": {"UF": 3},             // by Envoy flag, alphabetical; null: unknown
///                                                // (a foreign target's answers carry no flags)
///       "latency_ms": {"count": 1000, "p50": 1.2, "p90": 2.0, "p99": 9.9, "p99.9": 12.0,
///                      "max": 15.0, "mean": 1.5, "clamped": 0},
///       "destinations": [                        // by destination, then subset
///         {"destination": "reviews.default.svc.cluster.local", "subset": "v1",
///          "requests": 750, "share": 75.0, "weight": 75.0}   // weight null: unknown
///       ]
///     }
class TrafficReportJson {
public:
    static constexpr std::string_view kSchema = "sluice.traffic-report/v1";

    /// The report as JSON text, indented by `indent` spaces (-1: one line), no trailing newline.
    [[nodiscard]] static std::string write(const TrafficReport& report, int indent = 2);
};

} // namespace sluice::metrics
