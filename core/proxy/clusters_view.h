// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/metrics_snapshot.h"
#include "serving_config.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace sluice::proxy {

/// What outlier detection knows about an endpoint. Filled by an EndpointHealthSource; with none,
/// every endpoint is healthy and never ejected.
struct EndpointHealth {
    bool ejected = false;            ///< out of the load-balancing set now (Envoy's failed_outlier_check)
    std::uint32_t ejections = 0;     ///< times ejected so far
    std::int64_t ejectedUntilMs = 0; ///< milliseconds until it returns; 0 when not ejected
};

/// Outlier detection's view of the endpoints (called on the admin thread; must be thread-safe).
using EndpointHealthSource =
    std::function<EndpointHealth(std::string_view cluster, const Endpoint& endpoint)>;

/// The admin endpoint's /clusters: every cluster of the serving config with its endpoints
/// (address, replica and workload, health) and their upstream request counts from the metrics
/// (attempts in flight, successes, errors). Text in Envoy's `cluster::host::stat::value` lines, or
/// JSON (`?format=json`) shaped after Envoy's ClusterStatuses.
class ClustersView {
public:
    ClustersView(const ServingConfig& config, const metrics::MetricsSnapshot* snapshot,
                 EndpointHealthSource health = {});

    void text(std::string& out) const;
    [[nodiscard]] std::string json() const;

private:
    struct Row {
        const Endpoint* endpoint = nullptr;
        std::uint64_t active = 0, success = 0, error = 0;
        EndpointHealth health;
    };
    template <class Visit> void forEach(Visit&& visit) const;

    const ServingConfig& m_config;
    const metrics::MetricsSnapshot* m_snapshot;
    EndpointHealthSource m_health;
};

} // namespace sluice::proxy
