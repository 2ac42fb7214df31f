// SPDX-License-Identifier: Apache-2.0
#include "workload_fleet.h"

#include "proxy/mesh_caller.h"
#include "proxy/proxy_server.h"

namespace sluice::workload {

WorkloadFleet::WorkloadFleet(FleetPlan plan)
    : m_plan(std::move(plan)) {}

WorkloadFleet::~WorkloadFleet() = default;

std::string WorkloadFleet::start(proxy::ProxyServer& server) {
    m_servers.clear();
    for (const PlannedReplica& r : m_plan.replicas) {
        if (r.real) {
            m_servers.push_back(nullptr);
            continue;
        }
        ReplicaCalls calls;
        if (!r.calls.empty()) {
            calls.calls = r.calls;
            std::vector<metrics::MetricsShard*> shards;
            for (unsigned w = 0; w < server.workerCount(); ++w)
                shards.push_back(server.workerMetrics(w));
            calls.sidecar = std::make_shared<proxy::MeshCaller>(
                server.configCell(), proxy::CallerIdentity{r.name, r.ns, r.labels, r.owner.name},
                server.workerCount(), std::move(shards));
        }
        auto replica =
            std::make_unique<ReplicaServer>(ReplicaIdentity{r.name, r.behaviour}, std::move(calls));
        for (unsigned w = 0; w < server.workerCount(); ++w)
            if (std::string error = replica->listenOn(server.workerContext(w), 0, w); !error.empty())
                return error;
        m_servers.push_back(std::move(replica));
    }
    return {};
}

proxy::ClusterEndpoints WorkloadFleet::endpoints() const {
    proxy::ClusterEndpoints out;
    for (const auto& [cluster, members] : m_plan.clusters) {
        auto& list = out[cluster];
        for (std::size_t i : members) {
            const PlannedReplica& r = m_plan.replicas[i];
            if (r.real)
                list.push_back(*r.real);
            else if (i < m_servers.size() && m_servers[i])
                list.push_back({"127.0.0.1", m_servers[i]->port(), r.name, r.owner});
        }
    }
    return out;
}

std::size_t WorkloadFleet::simulatedCount() const {
    std::size_t n = 0;
    for (const auto& r : m_plan.replicas)
        n += !r.real;
    return n;
}

void WorkloadFleet::stop(std::chrono::milliseconds grace) {
    for (auto& s : m_servers)
        if (s)
            s->stop(grace);
}

bool WorkloadFleet::retired() const {
    for (const auto& s : m_servers)
        if (s && !s->retired())
            return false;
    return true;
}

} // namespace sluice::workload
