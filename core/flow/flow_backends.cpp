// SPDX-License-Identifier: Apache-2.0
// The right half of the flow graph: destinations (Envoy clusters), DestinationRule subsets,
// Services / ServiceEntries and the workloads behind them, all as the routing resolver sees them.

#include "flow_graph_builder.h"
#include "match_label.h"
#include "routing/route_builder.h"

#include <algorithm>

namespace sluice::flow {
namespace {

constexpr std::string_view kClusterSuffix = ".svc.cluster.local";

/// `productpage` for `productpage.default.svc.cluster.local`, else the host as is.
std::string shortHost(const std::string& fqdn) {
    if (fqdn.size() > kClusterSuffix.size() &&
        fqdn.compare(fqdn.size() - kClusterSuffix.size(), kClusterSuffix.size(), kClusterSuffix) == 0)
        return fqdn.substr(0, fqdn.find('.'));
    return fqdn;
}

std::string labelText(const std::map<std::string, std::string>& labels) {
    std::string out;
    for (const auto& [k, v] : labels)
        out += (out.empty() ? "" : ", ") + k + "=" + v;
    return out;
}

FlowNode makeNode(std::string id, NodeKind kind, std::string label, std::string secondary,
                  model::SourceSpan span) {
    FlowNode node;
    node.id = std::move(id);
    node.kind = kind;
    node.label = std::move(label);
    node.secondary = std::move(secondary);
    node.span = span;
    return node;
}

std::string replicas(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " replica" : " replicas");
}

} // namespace

void FlowGraphBuilder::addBackends() {
    std::vector<std::pair<std::size_t, std::string>> hosts; // service-column node -> FQDN
    for (const model::Service& s : m_resources.services) {
        const std::string fqdn = s.header.name() + "." + s.header.ns() + std::string(kClusterSuffix);
        if (m_index.count("service:" + fqdn))
            continue;
        std::string ports;
        for (const auto& p : s.spec.ports)
            ports += (ports.empty() ? " · port " : ", ") + std::to_string(p.port.value);
        FlowNode node = makeNode("service:" + fqdn, NodeKind::Service, s.header.name(), s.header.ns() + ports,
                                 s.header.span);
        hosts.emplace_back(addNode(std::move(node), {{model::resourceName(s), ""}}), fqdn);
    }
    for (const model::ServiceEntry& se : m_resources.serviceEntries)
        for (const auto& h : se.spec.hosts) {
            const std::string fqdn = routing::expandShortName(h.value, se.header.ns());
            if (m_index.count("service:" + fqdn))
                continue; // the first Service or ServiceEntry with a host wins, as in the resolver
            FlowNode node = makeNode("service:" + fqdn, NodeKind::ServiceEntry, h.value,
                                     "ServiceEntry " + se.header.ns() + "/" + se.header.name(),
                                     h.span.known() ? h.span : se.header.span);
            hosts.emplace_back(addNode(std::move(node), {{model::resourceName(se), ""}}), fqdn);
        }

    for (const auto& [service, fqdn] : hosts) {
        for (const auto& subset : m_resolver.subsets(fqdn)) {
            const std::string rule = "DestinationRule " + subset.destinationRule;
            FlowNode node = makeNode("subset:" + fqdn + "/" + subset.name, NodeKind::Subset, subset.name,
                                     shortHost(fqdn) + " · " + labelText(subset.labels), subset.span);
            const std::size_t index = addNode(
                std::move(node), {{rule, "spec.subsets[" + std::to_string(subset.index) + "]"}, {rule, ""}});
            addEdge(index, service, {});
        }
        const auto backends = m_resolver.backends(fqdn);
        for (const auto& w : backends.workloads) {
            FlowNode node = makeNode("workload:" + w.kind + ":" + w.ns + "/" + w.name, NodeKind::Workload,
                                     w.name, w.kind + " · " + replicas(w.replicas), w.span);
            addEdge(service, addNode(std::move(node), {{w.kind + " " + w.ns + "/" + w.name, ""}}), {});
        }
        if (backends.defaultReplica) {
            FlowNode node =
                makeNode("workload:default:" + fqdn, NodeKind::Workload, shortHost(fqdn) + " (simulated)",
                         "1 simulated replica stands in for its endpoints", m_nodes[service].span);
            addEdge(service, addNode(std::move(node), {}), {});
        }
    }
}

std::size_t FlowGraphBuilder::destinationNode(const routing::WeightedDestination& d, const Owner& owner) {
    const auto& u = d.destination;
    FlowNode node;
    node.id = "dest:" + u.cluster;
    node.kind = NodeKind::Destination;
    node.label = shortHost(u.host) + (u.port ? ":" + std::to_string(u.port) : "") +
                 (u.subset.empty() ? "" : " · " + u.subset);
    node.secondary = u.host.size() > kClusterSuffix.size() && u.host.ends_with(kClusterSuffix)
                         ? u.host.substr(0, u.host.size() - kClusterSuffix.size()) // "productpage.default"
                         : u.host;
    node.span = d.span;
    const std::size_t index = addNode(std::move(node), {owner});
    if (!m_destinations.count(index))
        m_destinations[index] = DestinationState{u.host, u.subset, d.clusterExists,
                                                 d.clusterExists ? std::string() : d.policy, false};
    return index;
}

void FlowGraphBuilder::addDestinations() {
    const routing::RouteBuilder builder(m_resources, m_resolver);
    for (auto& [rule, state] : m_rules) {
        const model::VirtualService& vs = *state.vs;
        // The YAML destinations of the rule, to find which route[j] a compiled destination came from.
        std::vector<model::RouteDestination> written;
        if (state.section == "http") {
            for (const auto& hd : vs.spec.http[state.index].route)
                written.push_back({hd.destination, hd.weight, hd.span});
        } else {
            written =
                state.section == "tls" ? vs.spec.tls[state.index].route : vs.spec.tcp[state.index].route;
        }
        if (!state.compiled) {
            // Never a gateway route: resolve what it would send to, for the grey part of the graph.
            const bool redirects = state.section == "http" && (vs.spec.http[state.index].redirect ||
                                                               vs.spec.http[state.index].directResponse);
            state.destinations = redirects ? std::vector<routing::WeightedDestination>{}
                                           : builder.destinations(written, vs.header.ns(), 0);
            state.totalWeight = 0;
            for (const auto& d : state.destinations)
                state.totalWeight += d.weight;
        }
        const std::string resource = model::resourceName(vs);
        const std::string where = "spec." + state.section + "[" + std::to_string(state.index) + "]";
        for (const auto& d : state.destinations) {
            Owner owner{resource, where};
            for (std::size_t j = 0; j < written.size(); ++j)
                if (written[j].destination && written[j].destination->span == d.span)
                    owner.field = where + ".route[" + std::to_string(j) + "]";
            addEdge(rule, destinationNode(d, owner), weightLabel(d.weight, state.totalWeight));
        }
    }
}

void FlowGraphBuilder::linkDestinations() {
    for (auto& [dest, state] : m_destinations) {
        const auto service = m_index.find("service:" + state.host);
        if (service == m_index.end())
            continue; // an unknown host: the destination itself carries the finding
        std::map<std::string, std::string> subsetLabels;
        if (state.subset.empty()) {
            addEdge(dest, service->second, {});
        } else {
            const std::string id = "subset:" + state.host + "/" + state.subset;
            std::size_t subset;
            if (const auto known = m_index.find(id); known != m_index.end()) {
                subset = known->second;
                for (const auto& s : m_resolver.subsets(state.host))
                    if (s.name == state.subset)
                        subsetLabels = s.labels;
            } else {
                // Referenced but defined by no DestinationRule: drawn grey, owned like its destination.
                FlowNode node = makeNode(
                    "subset:" + state.host + "/" + state.subset, NodeKind::Subset, state.subset,
                    shortHost(state.host) + " · not defined by any DestinationRule", m_nodes[dest].span);
                subset = addNode(std::move(node), m_owners[dest]);
                m_undefinedSubsets.insert(subset);
                addEdge(subset, service->second, {});
            }
            addEdge(dest, subset, {});
        }
        if (!state.clusterExists)
            continue;
        const auto backends = m_resolver.backends(state.host, subsetLabels);
        auto& endpoints = m_nodes[dest].endpoints;
        for (const auto& w : backends.workloads)
            if (const auto it = m_index.find("workload:" + w.kind + ":" + w.ns + "/" + w.name);
                it != m_index.end())
                endpoints.push_back(it->second);
        if (backends.defaultReplica)
            if (const auto it = m_index.find("workload:default:" + state.host); it != m_index.end())
                endpoints.push_back(it->second);
    }
}

} // namespace sluice::flow
