// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/diagnostic.h"
#include "model/source_span.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::flow {

/// What a node of the flow graph stands for. The graph reads left to right in this order.
enum class NodeKind : std::uint8_t {
    GatewayServer,      ///< one server of a Gateway (port, protocol, hosts)
    VirtualServiceRule, ///< one http/tls/tcp rule of a VirtualService
    Destination,        ///< an upstream cluster a rule routes to: host, port and subset
    Subset,             ///< a DestinationRule subset (or a referenced one that no rule defines)
    Service,            ///< a Kubernetes Service
    ServiceEntry,       ///< a host a ServiceEntry adds to the mesh
    Workload,           ///< a Deployment, Pod or sluice.dev Workload, or a default simulated replica
};

inline constexpr int kColumnCount = 6;

/// The column a kind is drawn in: 0 gateway servers ... 5 workloads (Service and ServiceEntry share 4).
[[nodiscard]] int columnOf(NodeKind kind);
/// "GatewayServer", "VirtualServiceRule", ... (stable: used in exports).
[[nodiscard]] std::string_view kindName(NodeKind kind);

struct FlowNode {
    std::string id; ///< stable across rebuilds of the same config: "rule:default/bookinfo/http/0"
    NodeKind kind = NodeKind::Service;
    std::string label;      ///< first line: "bookinfo-gateway :80", "productpage:9080"
    std::string secondary;  ///< second line: hosts, fqdn, labels, replicas
    model::SourceSpan span; ///< where its YAML starts (unknown for synthesised nodes)
    /// The lines of the YAML document holding it (0 when the span is unknown).
    std::uint32_t documentFirstLine = 0;
    std::uint32_t documentLastLine = 0;
    /// Grey: receives no traffic through the gateway or cannot be reached (unbound, unreachable,
    /// missing). `reason` then says why, in the words of the diagnostic that explains it when one does.
    bool greyed = false;
    std::string reason;
    /// The Error and Warning findings about this node's YAML, worst first.
    std::vector<model::Diagnostic> diagnostics;
    /// Destination only: the workload nodes its cluster's endpoints are.
    std::vector<std::size_t> endpoints;
};

/// What an edge stands for.
enum class EdgeKind : std::uint8_t {
    Route, ///< a hop of the gateway's routing: server -> rule -> destination -> subset -> Service -> workload
    Mesh,  ///< a call between workloads (a Workload's `calls`): calling workload -> called Service
};

/// "Route", "Mesh" (stable: used in exports).
[[nodiscard]] std::string_view edgeKindName(EdgeKind kind);

struct FlowEdge {
    std::size_t from = 0; ///< node index
    std::size_t to = 0;
    std::string label; ///< match conditions, one per line ("prefix /productpage"), or a weight ("90%")
    /// Grey: a route edge touching a grey node; a mesh edge whose caller is grey (it never runs).
    bool greyed = false;
    EdgeKind kind = EdgeKind::Route;
};

/// The traffic flow of one config version, from gateway servers to workloads. An immutable value:
/// built once (FlowGraphBuilder) and then read from any thread.
class FlowGraph {
public:
    FlowGraph() = default;
    FlowGraph(std::vector<FlowNode> nodes, std::vector<FlowEdge> edges, std::vector<std::string> files);

    [[nodiscard]] const std::vector<FlowNode>& nodes() const { return m_nodes; }
    [[nodiscard]] const std::vector<FlowEdge>& edges() const { return m_edges; }
    /// The files spans refer to (ResourceSet::files order).
    [[nodiscard]] const std::vector<std::string>& files() const { return m_files; }
    [[nodiscard]] bool empty() const { return m_nodes.empty(); }

    [[nodiscard]] std::optional<std::size_t> find(std::string_view id) const;
    /// The edge from `from` to `to`, if any.
    [[nodiscard]] std::optional<std::size_t> edgeBetween(std::size_t from, std::size_t to) const;
    /// The path of node `index`'s YAML file ("" when unknown).
    [[nodiscard]] std::string_view fileOf(std::size_t index) const;
    /// The node whose YAML best contains `line` of `file`: among the nodes of the document holding
    /// the line, the one starting last at or before it (else the document's first node).
    [[nodiscard]] std::optional<std::size_t> nodeAtSource(std::string_view file, std::uint32_t line) const;

private:
    std::vector<FlowNode> m_nodes;
    std::vector<FlowEdge> m_edges;
    std::vector<std::string> m_files;
};

using FlowGraphPtr = std::shared_ptr<const FlowGraph>;

} // namespace sluice::flow
