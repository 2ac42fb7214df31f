// SPDX-License-Identifier: Apache-2.0
// Calls between workloads: a mesh edge from each workload that declares `calls` to every Service
// the call can reach, as its sidecar routes it: the mesh route config of the call's port, the
// virtual host of its authority, and every route there that applies to the caller (its
// namespace and pod labels, sourceNamespace / sourceLabels) up to the first that takes every
// call, with each of its destinations. A
// mesh VirtualService that sends reviews' calls to another host thus draws the edge to that host,
// where the live overlay puts the traffic (metrics name the Service a call reached).

#include "flow_graph_builder.h"
#include "routing/host_name.h"
#include "routing/route_config.h"

#include <set>

namespace sluice::flow {
namespace {

bool labelsInclude(const model::StringMap& labels, const std::map<std::string, std::string>& wanted) {
    for (const auto& [key, value] : wanted) {
        const auto it = labels.find(key);
        if (it == labels.end() || it->second.value != value)
            return false;
    }
    return true;
}

} // namespace

const model::StringMap* FlowGraphBuilder::podLabelsOf(const model::Workload& caller) const {
    if (!caller.spec.deployment.present)
        return &caller.spec.labels;
    for (const model::Deployment& d : m_resources.deployments)
        if (d.header.ns() == caller.header.ns() && d.header.name() == caller.spec.deployment.value &&
            d.spec.template_)
            return &d.spec.template_->metadata.labels;
    return nullptr;
}

std::vector<std::string> FlowGraphBuilder::meshDestinations(const model::Workload& caller,
                                                            std::string_view host, std::uint32_t port) const {
    std::set<std::string> hosts;
    const auto config = m_table.mesh().find(port);
    // The lookup the sidecar makes (RouteTable::routeMesh): the call's host as the caller's DNS
    // resolves it, in the route config of the call's port.
    const std::string fqdn = routing::meshHost(host, caller.header.ns());
    const routing::VirtualHost* vhost = config == m_table.mesh().end() ? nullptr : config->second->find(fqdn);
    const model::StringMap* labels = podLabelsOf(caller);
    const model::StringMap none;
    if (vhost)
        for (const routing::CompiledRoute& route : vhost->routes) {
            if (!route.sourceNamespace.empty() && route.sourceNamespace != caller.header.ns())
                continue;
            if (!labelsInclude(labels ? *labels : none, route.sourceLabels))
                continue;
            if (route.action && route.action->kind == routing::RouteAction::Kind::Route)
                for (const routing::WeightedDestination& d : route.action->destinations)
                    hosts.insert(d.destination.host);
            if (route.match.isCatchAll())
                break; // takes every call of this caller: the routes after it never see one
        }
    if (hosts.empty()) // no route of its own: the call goes to the Service it names
        hosts.insert(fqdn);
    return {hosts.begin(), hosts.end()};
}

const model::Workload* FlowGraphBuilder::callerOf(const std::string& kind, const std::string& ns,
                                                  const std::string& name) const {
    for (const model::Workload& w : m_resources.workloads) {
        if (w.header.ns() != ns)
            continue;
        // A Deployment's pods behave (and call) as the Workload that names it; such a Workload
        // is no workload of its own (the fleet plan's rule).
        if (kind == "Deployment" && w.spec.deployment.present && w.spec.deployment.value == name)
            return &w;
        if (kind == "Workload" && !w.spec.deployment.present && w.header.name() == name)
            return &w;
    }
    return nullptr;
}

void FlowGraphBuilder::addMeshCalls() {
    const std::size_t count = m_nodes.size();
    for (std::size_t i = 0; i < count; ++i) {
        const FlowNode& node = m_nodes[i];
        if (node.kind != NodeKind::Workload || !node.id.starts_with("workload:"))
            continue;
        // "workload:<kind>:<ns>/<name>" (a Service's default replica makes no calls).
        const std::string rest = node.id.substr(std::string_view("workload:").size());
        const auto colon = rest.find(':');
        const auto slash = rest.find('/', colon == std::string::npos ? 0 : colon);
        if (colon == std::string::npos || slash == std::string::npos)
            continue;
        const std::string kind = rest.substr(0, colon);
        const std::string ns = rest.substr(colon + 1, slash - colon - 1);
        const model::Workload* caller = callerOf(kind, ns, rest.substr(slash + 1));
        if (!caller)
            continue;
        for (const model::WorkloadCall& call : caller->spec.calls) {
            if (!call.service.present || call.service.value.empty() || !call.port.present)
                continue; // refused by validation (SLU0201); the fleet makes no such call either
            const std::string host =
                call.service.value + (call.namespace_.value.empty() ? "" : "." + call.namespace_.value);
            const std::string label = "calls :" + std::to_string(call.port.value) + " " +
                                      (call.path.present ? call.path.value : std::string("/"));
            for (const std::string& reached : meshDestinations(*caller, host, call.port.value)) {
                const auto service = m_index.find("service:" + reached);
                if (service == m_index.end())
                    continue; // no Service or ServiceEntry: the sidecar refuses the call
                m_edges[addEdge(i, service->second, label)].kind = EdgeKind::Mesh;
            }
        }
    }
}

} // namespace sluice::flow
