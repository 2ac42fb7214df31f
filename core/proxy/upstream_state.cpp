// SPDX-License-Identifier: Apache-2.0
#include "upstream_state.h"

namespace sluice::proxy {

ClusterState::ClusterState(const ServedCluster& cluster, std::chrono::steady_clock::time_point start)
    : m_breaker(cluster.policy().pool)
    , m_outlier(cluster.policy().outlier, cluster.endpoints().size(), start)
    , m_active(std::make_unique<std::atomic<std::uint32_t>[]>(cluster.endpoints().size())) {}

ClusterSnapshot ClusterState::snapshot(const ServedCluster& cluster,
                                       std::chrono::steady_clock::time_point now) const {
    using R = CircuitBreaker::Resource;
    ClusterSnapshot s;
    s.name = std::string(cluster.name());
    s.loadBalancer = std::string(lbPolicyName(cluster.policy().lb));
    s.outlierDetection = m_outlier.enabled();
    s.connections = m_breaker.inUse(R::Connections);
    s.pendingRequests = m_breaker.inUse(R::PendingRequests);
    s.requests = m_breaker.inUse(R::Requests);
    s.retries = m_breaker.inUse(R::Retries);
    s.maxConnections = m_breaker.limit(R::Connections);
    s.maxPendingRequests = m_breaker.limit(R::PendingRequests);
    s.maxRequests = m_breaker.limit(R::Requests);
    s.maxRetries = m_breaker.limit(R::Retries);
    std::uint32_t active = 0;
    for (std::size_t i = 0; i < cluster.endpoints().size(); ++i) {
        const Endpoint& e = cluster.endpoints()[i];
        const OutlierDetector::EndpointView v = m_outlier.view(i, now);
        EndpointSnapshot es;
        es.address = e.address;
        es.port = e.port;
        es.workload = e.workload;
        es.healthy = !v.ejected;
        es.ejections = v.ejections;
        es.ejectedForMillis = v.remaining.count();
        es.activeRequests = m_active[i].load(std::memory_order_relaxed);
        es.consecutive5xx = v.consecutive5xx;
        es.consecutiveGatewayErrors = v.consecutiveGatewayErrors;
        active += es.activeRequests;
        s.endpoints.push_back(std::move(es));
    }
    if (!m_breaker.tracked(R::Requests))
        s.requests = active;
    return s;
}

UpstreamState::UpstreamState(const ClusterSet& clusters, std::chrono::steady_clock::time_point start) {
    m_clusters.reserve(clusters.size());
    for (const ServedCluster& c : clusters.all())
        m_clusters.push_back(std::make_unique<ClusterState>(c, start));
}

std::vector<ClusterSnapshot> UpstreamState::snapshot(const ClusterSet& clusters,
                                                     std::chrono::steady_clock::time_point now) const {
    std::vector<ClusterSnapshot> out;
    out.reserve(clusters.size());
    for (const ServedCluster& c : clusters.all())
        out.push_back(m_clusters[c.index()]->snapshot(c, now));
    return out;
}

} // namespace sluice::proxy
