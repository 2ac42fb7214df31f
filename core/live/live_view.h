// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/time_series_snapshot.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::live {

/// Where requests went: a Service (FQDN), its port and a subset ("" when none).
struct DestinationId {
    std::string service;
    std::uint32_t port = 0;
    std::string subset;

    /// "reviews:9080 v2" (the first label of a cluster-local FQDN, the port, the subset), or
    /// "(no destination)" for requests no upstream was chosen for.
    [[nodiscard]] std::string label() const;
    auto operator<=>(const DestinationId&) const = default;
};

/// A VirtualService rule: "ns/name", its index in spec.http and its name ("" when unnamed).
/// An empty virtualService stands for the requests no rule matched (404 NR).
struct RuleId {
    std::string virtualService;
    int ruleIndex = -1;
    std::string ruleName;

    /// "default/reviews rule 1 (v2-users)", "(no route)".
    [[nodiscard]] std::string label() const;
    auto operator<=>(const RuleId&) const = default;
};

/// One destination of a weighted rule: the share the config asks for and what was observed.
struct SplitShare {
    DestinationId destination;
    double configuredPercent = 0; ///< 0 for a destination the config no longer names
    double observedPercent = 0;   ///< of the rule's requests in the window (0 when it had none)
    std::uint64_t requests = 0;
};

/// A rule with more than one destination: configured weights next to the observed split.
struct RuleSplit {
    RuleId rule;
    std::uint64_t requests = 0;
    std::vector<SplitShare> shares; ///< configured destinations in YAML order, then unexpected ones
};

/// One row of the per-rule table.
struct RuleRow {
    RuleId rule;
    std::uint64_t requests = 0;
    double rps = 0;              ///< requests / the window's seconds
    std::uint64_t p50Micros = 0; ///< of the rule's requests in the window
    std::uint64_t p99Micros = 0;
    std::uint64_t errors = 0; ///< no response or 5xx (metrics::isError)
    double errorPercent = 0;  ///< errors / requests x 100 (0 without requests)
};

/// How many requests ended with one status code, or one Envoy response flag.
struct CodeCount {
    int code = 0; ///< 0: no response
    std::uint64_t requests = 0;
};
struct FlagCount {
    std::string flag; ///< "UF", "NR", ...
    std::uint64_t requests = 0;
};

/// What the dashboard shows for one window: an immutable value built by LiveHistory::view().
/// Seconds are counted from the history's start (its last reset); only complete seconds are in.
struct LiveView {
    std::size_t windowSeconds = 0; ///< what was asked for (60, 300, 900)
    std::int64_t firstSecond = 0;  ///< the oldest second shown
    std::int64_t lastSecond = -1;  ///< the newest; lastSecond < firstSecond: nothing yet
    bool paused = false;

    /// Every request of each second summed (requests, status classes, errors, p50/p90/p99...),
    /// oldest first: one point per second of [firstSecond, lastSecond].
    std::vector<metrics::TimeSeriesPoint> points;
    /// The destinations that received requests in the window, sorted, and for each one its
    /// requests per second, aligned with `points`.
    std::vector<DestinationId> destinations;
    std::vector<std::vector<std::uint64_t>> destinationRequests;
    /// Weighted rules of the config (setRules()), in its order.
    std::vector<RuleSplit> splits;
    /// Requests that did not succeed, by status code (>= 400, and 0 for no response), most first,
    /// and by response flag (a request with "UF,URX" counts for both), most first.
    std::vector<CodeCount> statusCodes;
    std::vector<FlagCount> flags;
    /// Every rule that took requests in the window, sorted by rule.
    std::vector<RuleRow> rules;

    [[nodiscard]] std::int64_t seconds() const {
        return lastSecond >= firstSecond ? lastSecond - firstSecond + 1 : 0;
    }
    [[nodiscard]] std::uint64_t requests() const;
};

using LiveViewPtr = std::shared_ptr<const LiveView>;

} // namespace sluice::live
