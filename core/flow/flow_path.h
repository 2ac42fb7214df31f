// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow_graph.h"
#include "routing/decision.h"

#include <vector>

namespace sluice::flow {

/// The part of a flow graph one request went through.
struct FlowPath {
    std::vector<std::size_t> nodes; ///< in flow order: server, rule, destination, subset, service, workloads
    std::vector<std::size_t> edges;
    [[nodiscard]] bool empty() const { return nodes.empty(); }
};

/// The path `decision` took through `graph`: gateway server -> rule -> destination -> subset ->
/// service -> the workloads behind the cluster. Partial when the decision stopped early (a redirect
/// or direct response ends at the rule); empty when no rule matched or the graph is of another config.
[[nodiscard]] FlowPath pathOf(const FlowGraph& graph, const routing::Decision& decision);

} // namespace sluice::flow
