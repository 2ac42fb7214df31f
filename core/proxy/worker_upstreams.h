// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy and the simulated workloads (includes Asio).

#include "asio_executor.h"
#include "connection_pool.h"
#include "host_selector.h"
#include "routing/rng.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace sluice::proxy {

/// The upstream side of one proxy (the gateway, or a workload's sidecar) on one worker: its
/// round-robin cursors per cluster, the endpoint choice, and its connection pools. Rebound to
/// each new config version. Single-threaded: only the worker's loop touches it.
class WorkerUpstreams {
public:
    WorkerUpstreams(Executor executor, routing::Rng& rng);

    /// Serves `clusters` from now on (a new config version).
    void bind(const ClusterSet& clusters);
    /// The endpoint of the next attempt to `cluster` (whose mutable side is `state`); nullopt:
    /// no endpoint may take it (503 "no healthy upstream").
    [[nodiscard]] std::optional<std::uint32_t> select(const ServedCluster& cluster, ClusterState& state,
                                                      const HostSelector::Request& request);
    [[nodiscard]] ConnectionPool& pool() { return m_pool; }

private:
    routing::Rng& m_rng;
    const ClusterSet* m_bound = nullptr;
    std::vector<std::uint64_t> m_cursors; ///< round-robin position per cluster
    std::uint64_t m_strayCursor = 0;      ///< for requests that started on an older version
    std::vector<std::uint32_t> m_scratch;
    ConnectionPool m_pool;
};

} // namespace sluice::proxy
