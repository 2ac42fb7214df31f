// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live_view.h"
#include "routing/route_table.h"
#include "traffic/route_lookup.h"

#include <vector>

namespace sluice::live {

/// A gateway rule that splits traffic: its destinations with their configured share, percent.
struct WeightedRule {
    RuleId rule;
    std::vector<traffic::WeightedTarget> targets; ///< YAML order
};

/// The HTTP rules of `table`'s gateway listeners that send to more than one destination, each once
/// (a rule with several matches compiles into several routes sharing one action), in listener and
/// route order. Shares are weight / total weight x 100, as the routing engine picks them.
[[nodiscard]] std::vector<WeightedRule> weightedRules(const routing::RouteTable& table);

} // namespace sluice::live
