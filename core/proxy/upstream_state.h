// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "circuit_breaker.h"
#include "cluster_set.h"
#include "cluster_snapshot.h"
#include "outlier_detector.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

namespace sluice::proxy {

/// The mutable side of one cluster in one proxy: its circuit breakers, its outlier detector and
/// the requests in flight per endpoint. Shared by the proxy's workers (atomics; the detector
/// locks only to eject).
class ClusterState {
public:
    ClusterState(const ServedCluster& cluster, std::chrono::steady_clock::time_point start);

    [[nodiscard]] CircuitBreaker& breaker() { return m_breaker; }
    [[nodiscard]] OutlierDetector& outlier() { return m_outlier; }
    [[nodiscard]] const OutlierDetector& outlier() const { return m_outlier; }
    /// One counter per endpoint (Envoy's host rq_active): least request reads them.
    [[nodiscard]] std::atomic<std::uint32_t>* activeRequests() { return m_active.get(); }
    [[nodiscard]] const std::atomic<std::uint32_t>* activeRequests() const { return m_active.get(); }

    [[nodiscard]] ClusterSnapshot snapshot(const ServedCluster& cluster,
                                           std::chrono::steady_clock::time_point now) const;

private:
    CircuitBreaker m_breaker;
    OutlierDetector m_outlier;
    std::unique_ptr<std::atomic<std::uint32_t>[]> m_active;
};

/// The upstream state of one proxy (the gateway, or one workload's sidecar: each Envoy has its
/// own circuit breakers and outlier detection) for one config version's clusters.
class UpstreamState {
public:
    explicit UpstreamState(const ClusterSet& clusters,
                           std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now());

    [[nodiscard]] ClusterState& cluster(std::size_t index) const { return *m_clusters[index]; }
    [[nodiscard]] std::size_t size() const { return m_clusters.size(); }
    /// Every cluster's breakers and endpoints now. Thread-safe.
    [[nodiscard]] std::vector<ClusterSnapshot> snapshot(const ClusterSet& clusters,
                                                        std::chrono::steady_clock::time_point now) const;

private:
    std::vector<std::unique_ptr<ClusterState>> m_clusters;
};

} // namespace sluice::proxy
