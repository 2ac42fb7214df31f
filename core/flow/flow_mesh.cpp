// SPDX-License-Identifier: Apache-2.0
// Calls between workloads: a mesh edge from each workload that declares `calls` to every Service
// it calls, resolved as its sidecar resolves the call's host (routing::meshHost).

#include "flow_graph_builder.h"
#include "routing/host_name.h"

namespace sluice::flow {

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
            const auto service = m_index.find("service:" + routing::meshHost(host, ns));
            if (service == m_index.end())
                continue; // no Service or ServiceEntry: the sidecar refuses the call
            const std::string label = "calls :" + std::to_string(call.port.value) + " " +
                                      (call.path.present ? call.path.value : std::string("/"));
            m_edges[addEdge(i, service->second, label)].kind = EdgeKind::Mesh;
        }
    }
}

} // namespace sluice::flow
