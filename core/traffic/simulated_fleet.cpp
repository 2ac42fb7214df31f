// SPDX-License-Identifier: Apache-2.0
#include "simulated_fleet.h"

#include "model/resource_set.h"
#include "proxy/cluster_policy_compiler.h"
#include "proxy/upstream_protocol.h"
#include "workload/fleet_plan.h"

#include <algorithm>

namespace sluice::traffic {

SimulatedFleet::SimulatedFleet(const model::ResourceSet& resources, routing::RouteTablePtr table,
                               std::uint64_t seed) {
    workload::FleetPlan plan = workload::planFleet(resources, table->workload());
    m_config.table = std::move(table);
    m_config.policies = proxy::ClusterPolicyCompiler::compile(resources, m_config.table->workload());

    for (std::size_t i = 0; i < plan.replicas.size(); ++i) {
        const workload::PlannedReplica& p = plan.replicas[i];
        SimReplica r;
        r.name = p.name;
        r.behaviour = p.behaviour;
        r.real = p.real.has_value();
        r.ns = p.ns;
        r.calls = p.calls;
        for (const proxy::MeshCall& spec : p.calls) {
            routing::Request& request = r.callRequests.emplace_back();
            request.mesh = true;
            request.port = spec.port;
            request.authority =
                spec.service + (spec.ns.empty() ? "" : "." + spec.ns) + ":" + std::to_string(spec.port);
            request.target = spec.path;
            request.sourceNamespace = p.ns;
            request.sourceLabels = p.labels;
            r.copies.push_back(HeaderNameSet::copiedBy(spec));
            r.copied.add(r.copies.back());
        }
        m_replicas.push_back(std::move(r));
    }

    // One endpoint per planned replica; the address is the replica's name, so ring hash and Maglev
    // place it by something stable.
    for (const auto& [name, members] : plan.clusters) {
        auto& endpoints = m_config.clusters[name];
        for (const std::size_t i : members) {
            const workload::PlannedReplica& p = plan.replicas[i];
            endpoints.push_back({p.name, 80, p.name, p.owner});
        }
    }
    m_config.http2Clusters = proxy::UpstreamProtocol::http2Clusters(resources, m_config.clusters);
    m_clusters = std::make_unique<proxy::ClusterSet>(m_config);
    m_members.resize(m_clusters->size());
    for (const proxy::ServedCluster& c : m_clusters->all()) {
        const auto it = plan.clusters.find(c.name());
        if (it != plan.clusters.end())
            for (const std::size_t i : it->second)
                m_members[c.index()].push_back(static_cast<std::uint32_t>(i));
    }

    routing::Rng rng(seed ^ 0xC1A55E7ull);
    addProxy("gateway", rng);
    for (SimReplica& r : m_replicas)
        if (!r.calls.empty()) {
            r.sidecar = static_cast<std::uint32_t>(m_proxies.size());
            addProxy(r.name, rng);
        }
}

void SimulatedFleet::addProxy(std::string name, routing::Rng& rng) {
    auto p = std::make_unique<SimProxy>();
    p->name = std::move(name);
    // Outlier detection counts from time 0 of the simulation.
    p->state = std::make_unique<proxy::UpstreamState>(*m_clusters, std::chrono::steady_clock::time_point{});
    p->cursors.resize(m_clusters->size());
    for (auto& c : p->cursors)
        c = rng.next() >> 1; // Envoy starts every worker's round robin at a random position
    p->pool = std::make_unique<SimulatedPool>(*m_clusters);
    m_proxies.push_back(std::move(p));
}

std::size_t SimulatedFleet::realEndpoints() const {
    return static_cast<std::size_t>(
        std::count_if(m_replicas.begin(), m_replicas.end(), [](const SimReplica& r) { return r.real; }));
}

} // namespace sluice::traffic
