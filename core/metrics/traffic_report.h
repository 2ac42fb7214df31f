// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "latency_histogram.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::metrics {

/// A latency distribution as reports show it: milliseconds, HdrHistogram percentiles
/// (LatencyHistogram::valueAtPercentile()), exact max and mean.
struct LatencySummary {
    std::uint64_t count = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double p999 = 0;
    double max = 0;
    double mean = 0;
    std::uint64_t clamped = 0; ///< samples above the histogram's range (counted at its top)

    /// From a histogram of microseconds.
    [[nodiscard]] static LatencySummary of(const LatencyHistogram& micros);
    bool operator==(const LatencySummary&) const = default;
};

/// Requests that reached one destination (service host, subset), next to the weight the config
/// gives it when the caller knows it.
struct DestinationSplit {
    std::string destination; ///< "reviews.default.svc.cluster.local"
    std::string subset;      ///< empty: no subset
    std::uint64_t requests = 0;
    double share = 0;             ///< percent of the report's attributed requests
    std::optional<double> weight; ///< configured weight, percent; nullopt: unknown

    bool operator==(const DestinationSplit&) const = default;
};

/// What `sluice load`, `sluice replay` and `sluice simulate` report: one value, written as JSON
/// (TrafficReportJson), as a text table (TrafficReportText). Built by TrafficTally::report() or
/// by hand.
struct TrafficReport {
    bool simulated = false; ///< figures from `sluice simulate` (no sockets)
    /// Stopped early (Ctrl-C, SIGTERM): the figures cover what was answered until then.
    bool interrupted = false;
    std::uint64_t requests = 0;
    /// Requests in flight when the run was stopped that got no answer within the grace period:
    /// given up, counted nowhere else (not in `requests`, `errors` or the latencies).
    std::uint64_t abandoned = 0;
    std::uint64_t errors = 0;       ///< isError(): no response, a code outside 100..599, or 5xx
    std::uint64_t unattributed = 0; ///< requests whose destination is unknown (not in `destinations`)
    double durationSeconds = 0;
    double rate = 0;                                    ///< achieved: requests / durationSeconds
    std::optional<double> targetRate;                   ///< requests per second asked for (open loop)
    std::map<int, std::uint64_t> statusCodes;           ///< 0: no response
    std::map<std::string, std::uint64_t> responseFlags; ///< per Envoy flag ("UF", "URX"...)
    /// False when nobody told which flags the requests got (a run against a foreign URL: its
    /// responses carry none): `responseFlags` is then empty for want of data, not zero.
    bool responseFlagsKnown = true;
    LatencySummary latency;
    std::vector<DestinationSplit> destinations; ///< by destination, then subset

    bool operator==(const TrafficReport&) const = default;
};

} // namespace sluice::metrics
