// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/virtual_service.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sluice::config {

/// Fault injection on an HTTP rule, as the what-if panel sets it: an abort with an HTTP status
/// and/or a fixed delay, each for a percentage of the requests.
struct FaultSettings {
    bool abort = false;
    double abortPercent = 100;
    int abortStatus = 503;
    bool delay = false;
    double delayPercent = 100;
    std::string fixedDelay = "1s"; ///< Go duration syntax

    [[nodiscard]] bool empty() const { return !abort && !delay; }
    friend bool operator==(const FaultSettings&, const FaultSettings&) = default;
};

/// What the what-if panel changes on one HTTP rule of a VirtualService.
struct RuleSettings {
    std::vector<int> weights;           ///< one per route destination, in YAML order
    std::optional<FaultSettings> fault; ///< nullopt (or empty()): no fault block
    std::string timeout;                ///< Go duration; "" for none

    friend bool operator==(const RuleSettings&, const RuleSettings&) = default;
};

/// The settings `rule` has as written: weights as the routing engine reads them (a missing
/// weight is 0, and 100 for a single destination), the fault's abort and fixed delay (percentage
/// 100 when not given, as Envoy applies it), the timeout.
[[nodiscard]] RuleSettings ruleSettings(const model::HTTPRoute& rule);

/// Weights summing to 100 after the user set weight `index` to `value` (clamped to 0..100):
/// the others share the rest in proportion to their current weights (evenly when those are all
/// 0), rounded by largest remainder, ties to the earlier destination. A single weight is 100.
[[nodiscard]] std::vector<int> rebalanceWeights(const std::vector<int>& weights, std::size_t index,
                                                int value);

} // namespace sluice::config
