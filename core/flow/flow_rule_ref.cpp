// SPDX-License-Identifier: Apache-2.0
#include "flow_rule_ref.h"

#include <charconv>

namespace sluice::flow {
namespace {

/// "rule:ns/name/http/3" -> {"ns/name", 3}.
std::optional<HttpRuleRef> parseRuleId(const std::string& id) {
    constexpr std::string_view kPrefix = "rule:", kHttp = "/http/";
    if (!id.starts_with(kPrefix))
        return std::nullopt;
    const auto at = id.rfind(kHttp);
    if (at == std::string::npos || at <= kPrefix.size())
        return std::nullopt;
    HttpRuleRef ref;
    ref.virtualService = id.substr(kPrefix.size(), at - kPrefix.size());
    const char* first = id.data() + at + kHttp.size();
    const char* last = id.data() + id.size();
    const auto [end, ec] = std::from_chars(first, last, ref.index);
    if (ec != std::errc() || end != last || first == last)
        return std::nullopt;
    return ref;
}

} // namespace

std::optional<HttpRuleRef> httpRuleAt(const FlowGraph& graph, std::size_t node) {
    if (node >= graph.nodes().size())
        return std::nullopt;
    const FlowNode& n = graph.nodes()[node];
    if (n.kind == NodeKind::VirtualServiceRule)
        return parseRuleId(n.id);
    if (n.kind != NodeKind::Destination)
        return std::nullopt;
    for (const FlowEdge& e : graph.edges())
        if (e.to == node && graph.nodes()[e.from].kind == NodeKind::VirtualServiceRule)
            if (auto ref = parseRuleId(graph.nodes()[e.from].id))
                return ref;
    return std::nullopt;
}

std::optional<HttpRuleRef> httpRuleOfEdge(const FlowGraph& graph, std::size_t edge) {
    if (edge >= graph.edges().size())
        return std::nullopt;
    const FlowEdge& e = graph.edges()[edge];
    if (e.kind == EdgeKind::Mesh)
        return std::nullopt; // a call between workloads: no gateway rule carries it
    if (graph.nodes()[e.to].kind == NodeKind::VirtualServiceRule)
        return parseRuleId(graph.nodes()[e.to].id);
    return httpRuleAt(graph, e.from);
}

} // namespace sluice::flow
