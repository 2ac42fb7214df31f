// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow_graph.h"

#include <optional>
#include <string>

namespace sluice::flow {

/// An HTTP rule of a VirtualService, as the What-if panel picks it.
struct HttpRuleRef {
    std::string virtualService; ///< "ns/name"
    int index = 0;

    bool operator==(const HttpRuleRef&) const = default;
};

/// The HTTP rule node `node` of `graph` stands for: the rule itself, or for a destination, the
/// first rule that routes to it (the weighted rule whose split it is). nullopt for other nodes
/// and tls/tcp rules.
[[nodiscard]] std::optional<HttpRuleRef> httpRuleAt(const FlowGraph& graph, std::size_t node);

/// The HTTP rule edge `edge` of `graph` belongs to: the rule at either end (a server's edge into
/// a rule, a rule's weighted edge to a destination), else the rule of its source node (a
/// destination's edge to its subset or Service). nullopt for the rest.
[[nodiscard]] std::optional<HttpRuleRef> httpRuleOfEdge(const FlowGraph& graph, std::size_t edge);

} // namespace sluice::flow
