// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow_graph.h"
#include "model/resource_set.h"
#include "routing/destination_resolver.h"
#include "routing/route_table.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sluice::flow {

/// Builds the FlowGraph of a config from what the routing engine compiled: which Gateway servers
/// listen, which VirtualService rules became routes on them (and with which matches), which
/// clusters those routes send to with which weights. Istio's semantics are not recomputed here;
/// the builder only reads the RouteTable and the routing DestinationResolver, and attaches the
/// validator's diagnostics to the nodes whose YAML they point at.
///
/// Columns: gateway servers -> VirtualService rules -> destinations -> DestinationRule subsets ->
/// Services / ServiceEntries -> workloads. Every Gateway server, VirtualService rule, Service and
/// subset of the input appears; what the gateway never sends traffic to is greyed with the reason.
/// A workload that declares `calls` (a sluice.dev Workload, or the Deployment one describes) has a
/// mesh edge (EdgeKind::Mesh) to each Service the call can reach through its sidecar
/// (flow_mesh.cpp), back from the workload column.
///
/// Thread-safety: a builder is used once, on one thread; the inputs must outlive build().
class FlowGraphBuilder {
public:
    FlowGraphBuilder(const model::ResourceSet& resources, const model::Diagnostics& diagnostics,
                     const routing::RouteTable& table);

    /// Never throws on any input (a broken config gives a graph with grey nodes).
    [[nodiscard]] FlowGraph build();

private:
    /// Diagnostics attach to the node owning the longest prefix of their field in their resource.
    struct Owner {
        std::string resource; ///< "VirtualService default/bookinfo"
        std::string field;    ///< "spec.http[0]"; "" owns the whole resource
    };
    /// What the routing engine made of one rule (filled for rules that became gateway routes).
    struct RuleState {
        const model::VirtualService* vs = nullptr;
        std::string section; ///< "http", "tls", "tcp"
        std::size_t index = 0;
        bool compiled = false;
        std::vector<routing::WeightedDestination> destinations;
        std::uint64_t totalWeight = 0;
    };
    struct DestinationState {
        std::string host; ///< FQDN
        std::string subset;
        bool clusterExists = false;
        std::string why; ///< the resolver's words when the cluster does not exist
        bool reached = false;
    };

    std::size_t addNode(FlowNode node, std::vector<Owner> owners);
    std::size_t addEdge(std::size_t from, std::size_t to, const std::string& labelLine);
    [[nodiscard]] const model::VirtualService* virtualService(const std::string& name) const;

    // Servers, rules and the routes between them (flow_graph_builder.cpp).
    void addServers();
    [[nodiscard]] std::optional<std::string> serverDropped(const std::string& gateway,
                                                           const model::Server& server) const;
    void addRules();
    void bindRoutes();
    /// The match conditions of a compiled route, as its rule's YAML states them.
    [[nodiscard]] std::string routeLabel(const model::VirtualService& vs, const routing::RouteOrigin& origin,
                                         std::string_view domain) const;
    void bindHttp(const routing::RouteConfig& config, std::uint32_t port,
                  const std::vector<std::size_t>* servers);
    void bindTcp(const routing::TcpRoute& route, const std::string& section,
                 const std::vector<std::size_t>& servers, const std::string& label);
    [[nodiscard]] std::vector<std::size_t> serversOf(const std::string& gateway, std::uint32_t port,
                                                     std::string_view domain = {}) const;
    // Destinations, subsets, Services and workloads (flow_backends.cpp).
    void addBackends();
    void addDestinations();
    [[nodiscard]] std::size_t destinationNode(const routing::WeightedDestination& d, const Owner& owner);
    void linkDestinations();
    // Calls between workloads (flow_mesh.cpp).
    void addMeshCalls();
    /// The sluice.dev Workload whose `calls` workload node `id` makes, if any.
    /// The pod labels of `caller` (a Deployment's template's when it describes one); null: none.
    [[nodiscard]] const model::StringMap* podLabelsOf(const model::Workload& caller) const;
    /// The FQDNs of the Services a call from `caller` to `host`:`port` can reach (flow_mesh.cpp).
    [[nodiscard]] std::vector<std::string> meshDestinations(const model::Workload& caller,
                                                            std::string_view host, std::uint32_t port) const;
    [[nodiscard]] const model::Workload* callerOf(const std::string& kind, const std::string& ns,
                                                  const std::string& name) const;
    // Diagnostics and grey (flow_findings.cpp).
    void attachDiagnostics();
    void markGrey();
    [[nodiscard]] std::string ruleReason(const RuleState& rule, const FlowNode& node) const;

    const model::ResourceSet& m_resources;
    const model::Diagnostics& m_diagnostics;
    const routing::RouteTable& m_table;
    routing::DestinationResolver m_resolver;

    std::vector<FlowNode> m_nodes;
    std::vector<std::vector<Owner>> m_owners; ///< per node
    std::vector<FlowEdge> m_edges;
    std::map<std::string, std::size_t, std::less<>> m_index; ///< node id -> index
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> m_edgeIndex;
    std::map<std::size_t, RuleState> m_rules;                   ///< rule node -> state
    std::map<std::size_t, DestinationState> m_destinations;     ///< destination node -> state
    std::map<std::size_t, std::string> m_serverDropped;         ///< grey server node -> why
    std::map<std::size_t, const model::Server*> m_serverModels; ///< server node -> its YAML
    std::set<std::size_t> m_undefinedSubsets; ///< subsets routes name but no DestinationRule defines
    std::map<std::string, const model::VirtualService*, std::less<>> m_virtualServices; ///< "ns/name"
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> m_documentLines;  ///< per file
};

/// Convenience: FlowGraphBuilder(resources, diagnostics, table).build(), shared.
[[nodiscard]] FlowGraphPtr buildFlowGraph(const model::ResourceSet& resources,
                                          const model::Diagnostics& diagnostics,
                                          const routing::RouteTable& table);

} // namespace sluice::flow
