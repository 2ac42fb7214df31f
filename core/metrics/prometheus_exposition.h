// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics_snapshot.h"

#include <array>
#include <string>
#include <string_view>

namespace sluice::metrics {

/// The workload that reports the metrics: Istio's ingress gateway (source_* labels; a gateway
/// reports as `reporter="source"`).
struct ReporterIdentity {
    std::string workload = "istio-ingressgateway";
    std::string ns = "istio-system";
    std::string app = "istio-ingressgateway";
    std::string cluster = "Kubernetes"; ///< Istio's default cluster ID
};

/// A snapshot in the Prometheus text exposition format (version 0.0.4), as a gateway's
/// /stats/prometheus shows it: Istio's standard metrics with their standard labels
/// (istio_requests_total; istio_request_duration_milliseconds, istio_request_bytes and
/// istio_response_bytes histograms with Envoy's default buckets), then Sluice's per-route counter
/// sluice_route_requests_total{virtual_service, rule, rule_name}. Series that differ only by
/// replica are summed (Istio labels by workload, not pod). Duration buckets come from the
/// snapshot's log-linear histograms (a bucket boundary is exact to within 1/32 of its value, as
/// Envoy's own histograms are approximate); size buckets are exact.
class PrometheusExposition {
public:
    /// Envoy's default histogram buckets (milliseconds for durations, bytes for sizes).
    static constexpr const std::array<double, 19>& kBuckets = kEnvoyDefaultBuckets;

    explicit PrometheusExposition(ReporterIdentity reporter = {});

    /// Appends the exposition of `snapshot` to `out`.
    void write(const MetricsSnapshot& snapshot, std::string& out) const;

    /// `value` as a quoted label value: backslash, double quote and line feed escaped.
    static void appendLabelValue(std::string& out, std::string_view value);
    /// A sample value: integers without a fraction, others in the shortest exact form.
    static void appendNumber(std::string& out, double value);

    /// The Istio labels of one series (without braces), in Istio's order.
    [[nodiscard]] std::string istioLabels(const SeriesKey& key) const;

private:
    ReporterIdentity m_reporter;
};

} // namespace sluice::metrics
