// SPDX-License-Identifier: Apache-2.0
#include "worker_upstreams.h"

#include "asio_executor.h"

namespace sluice::proxy {

WorkerUpstreams::WorkerUpstreams(Executor executor, routing::Rng& rng)
    : m_rng(rng)
    , m_pool(std::move(executor)) {}

void WorkerUpstreams::bind(const ClusterSet& clusters) {
    m_pool.bind(clusters);
    m_bound = &clusters;
    // Envoy starts every worker's round robin at a random position.
    m_cursors.resize(clusters.size());
    for (auto& c : m_cursors)
        c = m_rng.next() >> 1;
}

std::optional<std::uint32_t> WorkerUpstreams::select(const ServedCluster& cluster, ClusterState& state,
                                                     const HostSelector::Request& request) {
    const bool current =
        m_bound && cluster.index() < m_bound->size() && &m_bound->all()[cluster.index()] == &cluster;
    return HostSelector::select(cluster, state, request, m_rng,
                                current ? m_cursors[cluster.index()] : m_strayCursor, m_scratch);
}

} // namespace sluice::proxy
