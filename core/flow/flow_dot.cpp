// SPDX-License-Identifier: Apache-2.0
#include "flow_dot.h"

#include <array>

namespace sluice::flow {
namespace {

/// A DOT double-quoted string: quotes and backslashes escaped, newlines as \n.
std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out + "\"";
}

std::string_view shapeOf(NodeKind kind) {
    switch (kind) {
    case NodeKind::GatewayServer:
        return "house";
    case NodeKind::VirtualServiceRule:
        return "pentagon";
    case NodeKind::Destination:
        return "box";
    case NodeKind::Subset:
        return "box\", style=\"rounded";
    case NodeKind::Service:
        return "triangle";
    case NodeKind::ServiceEntry:
        return "diamond";
    case NodeKind::Workload:
        return "ellipse";
    }
    return "box";
}

} // namespace

std::string toDot(const FlowGraph& graph) {
    std::string out = "digraph flow {\n  rankdir=LR;\n  node [fontname=Helvetica, fontsize=10];\n"
                      "  edge [fontname=Helvetica, fontsize=9];\n";
    std::array<std::string, kColumnCount> columns;
    const auto& nodes = graph.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const FlowNode& n = nodes[i];
        std::string attributes =
            "label=" + quoted(n.label + (n.secondary.empty() ? "" : "\n" + n.secondary)) + ", shape=\"" +
            std::string(shapeOf(n.kind)) + "\"";
        if (n.greyed)
            attributes += ", color=gray60, fontcolor=gray50, tooltip=" + quoted(n.reason);
        else if (!n.diagnostics.empty())
            attributes +=
                std::string(", color=") +
                (n.diagnostics.front().level == model::Level::Error ? "red" : "orange") +
                ", tooltip=" + quoted(n.diagnostics.front().code + ": " + n.diagnostics.front().message);
        columns[static_cast<std::size_t>(columnOf(n.kind))] +=
            "    " + quoted(n.id) + " [" + attributes + "];\n";
    }
    for (const auto& column : columns)
        if (!column.empty())
            out += "  { rank=same;\n" + column + "  }\n";
    for (const FlowEdge& e : graph.edges()) {
        out += "  " + quoted(nodes[e.from].id) + " -> " + quoted(nodes[e.to].id);
        std::string attributes;
        if (!e.label.empty())
            attributes = "label=" + quoted(e.label);
        if (e.kind == EdgeKind::Mesh) // a call between workloads: dashed, and not a rank constraint
            attributes += std::string(attributes.empty() ? "" : ", ") +
                          "style=dashed, arrowhead=open, constraint=false";
        if (e.greyed)
            attributes += std::string(attributes.empty() ? "" : ", ") + "color=gray70, fontcolor=gray50" +
                          (e.kind == EdgeKind::Mesh ? "" : ", style=dashed");
        out += (attributes.empty() ? "" : " [" + attributes + "]") + ";\n";
    }
    return out + "}\n";
}

} // namespace sluice::flow
