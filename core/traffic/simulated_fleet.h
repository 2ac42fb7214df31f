// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "call_headers.h"
#include "proxy/cluster_set.h"
#include "proxy/mesh_call.h"
#include "proxy/serving_config.h"
#include "proxy/upstream_state.h"
#include "routing/route_table.h"
#include "simulated_pool.h"
#include "workload/backend_behaviour.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::model {
struct ResourceSet;
}

namespace sluice::traffic {

/// One replica of the fleet as the simulator plays it.
struct SimReplica {
    std::string name; ///< "reviews-v2-1"
    workload::BackendBehaviour behaviour;
    std::uint64_t served = 0;           ///< requests answered so far (drives scripted sequences)
    std::vector<proxy::MeshCall> calls; ///< made in turn for every request it serves
    /// Per call, the mesh request its sidecar routes (authority "service[.ns]:port", the path, the
    /// caller's labels and namespace); only the headers change from one call to the next.
    std::vector<routing::Request> callRequests;
    std::vector<HeaderNameSet> copies; ///< per call, what it copies from the request served
    HeaderNameSet copied;              ///< what any of its calls copies
    std::uint32_t sidecar = 0;         ///< its proxy's index in SimulatedFleet::proxy() (with calls only)
    bool real = false;                 ///< a Workload `endpoint:` (a real process): played as 200 at once
    std::string ns = "default";
};

/// One Envoy of the simulation: the gateway (index 0) or a replica's sidecar, each with its own
/// circuit breakers, outlier detection, load-balancer cursors and connection pools, as in the
/// live proxy (each sidecar is its own Envoy; the gateway's cluster policies serve both, as
/// MeshCaller does).
struct SimProxy {
    std::string name; ///< "gateway", or the replica whose sidecar it is
    std::unique_ptr<proxy::UpstreamState> state;
    std::vector<std::uint64_t> cursors; ///< round-robin position per cluster
    std::unique_ptr<SimulatedPool> pool;
    std::vector<std::uint32_t> scratch; ///< for the host selector
};

/// The static side of a simulation, built once from the config the way `serve` builds its fleet
/// (workload::planFleet, ClusterPolicyCompiler): the clusters with one endpoint per planned
/// replica, their policies and balancers (proxy::ClusterSet), the replicas' behaviours and calls,
/// and the proxies. Refers into itself: neither copied nor moved.
class SimulatedFleet {
public:
    /// `seed` places the round-robin cursors, as each live worker starts at a random position.
    SimulatedFleet(const model::ResourceSet& resources, routing::RouteTablePtr table, std::uint64_t seed);
    SimulatedFleet(const SimulatedFleet&) = delete;
    SimulatedFleet& operator=(const SimulatedFleet&) = delete;

    [[nodiscard]] const routing::RouteTable& table() const { return *m_config.table; }
    [[nodiscard]] const proxy::ClusterSet& clusters() const { return *m_clusters; }
    /// The replica behind endpoint `endpoint` of cluster `cluster` (a ServedCluster index).
    [[nodiscard]] std::uint32_t replicaOf(std::size_t cluster, std::uint32_t endpoint) const {
        return m_members[cluster][endpoint];
    }
    [[nodiscard]] SimReplica& replica(std::size_t index) { return m_replicas[index]; }
    [[nodiscard]] const std::vector<SimReplica>& replicas() const { return m_replicas; }
    [[nodiscard]] SimProxy& proxy(std::size_t index) { return *m_proxies[index]; }
    [[nodiscard]] std::size_t proxyCount() const { return m_proxies.size(); }
    /// Replicas that are real processes in `serve` (answered as 200 at once here).
    [[nodiscard]] std::size_t realEndpoints() const;
    /// Clusters `serve` speaks HTTP/2 to (modelled as HTTP/1.1 connections here).
    [[nodiscard]] std::size_t http2Clusters() const { return m_config.http2Clusters.size(); }

private:
    void addProxy(std::string name, routing::Rng& rng);

    proxy::ServingConfig m_config;
    std::unique_ptr<proxy::ClusterSet> m_clusters; ///< refers into m_config
    std::vector<std::vector<std::uint32_t>> m_members;
    std::vector<SimReplica> m_replicas;
    std::vector<std::unique_ptr<SimProxy>> m_proxies;
};

} // namespace sluice::traffic
