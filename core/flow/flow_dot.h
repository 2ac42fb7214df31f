// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow_graph.h"

#include <string>

namespace sluice::flow {

/// The graph as Graphviz DOT source, readable and renderable with `dot -Tsvg`: one rank per column
/// (left to right), one shape per kind (Kiali's: workload ellipse, subset/versioned app box, service
/// triangle, service entry diamond; gateway server house, rule pentagon), grey what receives no
/// traffic, the reason as a tooltip, labels on edges; calls between workloads (mesh edges) dashed
/// with an open arrow, outside the rank order.
[[nodiscard]] std::string toDot(const FlowGraph& graph);

} // namespace sluice::flow
