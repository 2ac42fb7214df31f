// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clusters_view.h"
#include "metrics/prometheus_exposition.h"

#include <string>
#include <string_view>

namespace sluice::metrics {
class MetricsCollector;
}

namespace sluice::proxy {

class ProxyServer;

/// One admin answer.
struct AdminReply {
    int status = 200;
    std::string contentType;
    std::string body;
    bool getOnly = false; ///< 405: the answer carries `allow: GET`
};

/// What the admin endpoint answers, as Envoy's admin interface does for the same paths:
///   /stats/prometheus  Istio's standard metrics (PrometheusExposition) of the latest snapshot
///   /ready             200 "LIVE" while serving, 503 "DRAINING" once stopping (or before start)
///   /config_dump       the compiled routes as JSON (routing::ConfigDump)
///   /clusters          endpoints, health and request counts (ClustersView; ?format=json)
/// 404 for any other path, 405 for any method but GET. No sockets here (AdminServer has them).
/// Thread-safe: reads immutable snapshots only.
class AdminPages {
public:
    /// `metrics` may be null (metrics off: an exposition without samples).
    AdminPages(const ProxyServer& proxy, const metrics::MetricsCollector* metrics);

    void setHealthSource(EndpointHealthSource source) { m_health = std::move(source); }
    void setReporter(metrics::ReporterIdentity reporter) {
        m_exposition = metrics::PrometheusExposition(std::move(reporter));
    }

    [[nodiscard]] AdminReply answer(std::string_view method, std::string_view target) const;

private:
    const ProxyServer& m_proxy;
    const metrics::MetricsCollector* m_metrics;
    EndpointHealthSource m_health;
    metrics::PrometheusExposition m_exposition;
};

} // namespace sluice::proxy
