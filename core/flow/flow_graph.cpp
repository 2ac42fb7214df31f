// SPDX-License-Identifier: Apache-2.0
#include "flow_graph.h"

namespace sluice::flow {

int columnOf(NodeKind kind) {
    switch (kind) {
    case NodeKind::GatewayServer:
        return 0;
    case NodeKind::VirtualServiceRule:
        return 1;
    case NodeKind::Destination:
        return 2;
    case NodeKind::Subset:
        return 3;
    case NodeKind::Service:
    case NodeKind::ServiceEntry:
        return 4;
    case NodeKind::Workload:
        return 5;
    }
    return 0;
}

std::string_view edgeKindName(EdgeKind kind) {
    return kind == EdgeKind::Mesh ? "Mesh" : "Route";
}

std::string_view kindName(NodeKind kind) {
    switch (kind) {
    case NodeKind::GatewayServer:
        return "GatewayServer";
    case NodeKind::VirtualServiceRule:
        return "VirtualServiceRule";
    case NodeKind::Destination:
        return "Destination";
    case NodeKind::Subset:
        return "Subset";
    case NodeKind::Service:
        return "Service";
    case NodeKind::ServiceEntry:
        return "ServiceEntry";
    case NodeKind::Workload:
        return "Workload";
    }
    return {};
}

FlowGraph::FlowGraph(std::vector<FlowNode> nodes, std::vector<FlowEdge> edges, std::vector<std::string> files)
    : m_nodes(std::move(nodes))
    , m_edges(std::move(edges))
    , m_files(std::move(files)) {}

std::optional<std::size_t> FlowGraph::find(std::string_view id) const {
    for (std::size_t i = 0; i < m_nodes.size(); ++i)
        if (m_nodes[i].id == id)
            return i;
    return std::nullopt;
}

std::optional<std::size_t> FlowGraph::edgeBetween(std::size_t from, std::size_t to) const {
    for (std::size_t i = 0; i < m_edges.size(); ++i)
        if (m_edges[i].from == from && m_edges[i].to == to)
            return i;
    return std::nullopt;
}

std::string_view FlowGraph::fileOf(std::size_t index) const {
    if (index >= m_nodes.size() || !m_nodes[index].span.known() || m_nodes[index].span.file >= m_files.size())
        return {};
    return m_files[m_nodes[index].span.file];
}

std::optional<std::size_t> FlowGraph::nodeAtSource(std::string_view file, std::uint32_t line) const {
    std::optional<std::size_t> best, first;
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const FlowNode& n = m_nodes[i];
        if (!n.span.known() || fileOf(i) != file || line < n.documentFirstLine || line > n.documentLastLine)
            continue;
        if (n.span.line <= line && (!best || n.span.line > m_nodes[*best].span.line))
            best = i;
        if (!first || n.span.line < m_nodes[*first].span.line)
            first = i;
    }
    return best ? best : first;
}

} // namespace sluice::flow
