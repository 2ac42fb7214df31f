// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fleet_plan.h"
#include "replica_server.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace sluice::proxy {
class ProxyServer;
}

namespace sluice::workload {

/// The running replicas of a FleetPlan: each simulated one listens on its own loopback port on
/// every proxy worker's loop (in-process, as the proxy's own connections are), real ones are
/// just addresses. Stop the proxy's workers before destroying the fleet: their connections use it.
class WorkloadFleet {
public:
    explicit WorkloadFleet(FleetPlan plan);
    ~WorkloadFleet();

    /// Listens for every simulated replica on the workers of `server`. Empty, or why not.
    [[nodiscard]] std::string start(proxy::ProxyServer& server);
    /// Every cluster with the addresses of its replicas, for the proxy's ServingConfig.
    [[nodiscard]] proxy::ClusterEndpoints endpoints() const;
    [[nodiscard]] std::size_t simulatedCount() const;
    [[nodiscard]] const FleetPlan& plan() const { return m_plan; }
    /// Retires every simulated replica (ReplicaServer::stop): stragglers are closed after `grace`.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(30));
    /// After stop(): no replica is referred to on any loop any more; the fleet may be destroyed.
    [[nodiscard]] bool retired() const;

private:
    FleetPlan m_plan;
    std::vector<std::unique_ptr<ReplicaServer>> m_servers; ///< by replica index; null for real ones
};

} // namespace sluice::workload
