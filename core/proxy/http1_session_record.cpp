// SPDX-License-Identifier: Apache-2.0
// Http1Session's bookkeeping when a request is over: the access log record and the metrics sample.

#include "http1_session.h"
#include "metrics/metrics_shard.h"

namespace sluice::proxy {
namespace {

bool hasFlag(const std::string& flags, std::string_view flag) {
    return flags.find(flag) != std::string::npos;
}

/// Envoy's %RESPONSE_CODE_DETAILS% for what happened to the request.
std::string_view responseCodeDetails(const routing::Decision* d, const RequestRecord& r) {
    if (r.upstreamMicros >= 0)
        return "via_upstream";
    if (hasFlag(r.flags, "UT"))
        return "upstream_response_timeout";
    if (hasFlag(r.flags, "UF"))
        return "upstream_reset_before_response_started{connection_failure}";
    if (hasFlag(r.flags, "UC"))
        return "upstream_reset_before_response_started{connection_termination}";
    if (!d)
        return {};
    switch (d->outcome) {
    case routing::Outcome::NoRoute:
        return "route_not_found";
    case routing::Outcome::ClusterNotFound:
        return "cluster_not_found";
    case routing::Outcome::Forward: // the cluster has no endpoint in the serving config
    case routing::Outcome::NoHealthyUpstream:
        return "no_healthy_upstream";
    case routing::Outcome::FaultAbort:
        return "fault_filter_abort";
    case routing::Outcome::Redirect:
    case routing::Outcome::DirectResponse:
        return "direct_response";
    case routing::Outcome::ConnectionRefused:
    case routing::Outcome::ConnectionReset:
        break;
    }
    return {};
}

} // namespace

void Http1Session::finishRecord(std::chrono::steady_clock::duration elapsed) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    m_record.durationMillis = micros / 1000;
    const routing::Decision* d = m_routed ? &m_decision : nullptr;
    // Envoy names the cluster of the route even when it had no healthy endpoint, not one that
    // does not exist.
    const bool hasCluster = d && d->destination && d->outcome != routing::Outcome::ClusterNotFound;
    if (m_logging) {
        m_record.responseCodeDetails = responseCodeDetails(d, m_record);
        if (d)
            m_record.routeName.assign(d->origin.ruleName);
        if (hasCluster)
            m_record.upstreamCluster.assign(d->destination->cluster);
        if (m_endpoint) {
            m_record.upstreamHost.assign(m_endpoint->address);
            m_record.upstreamHost += ':';
            m_record.upstreamHost += std::to_string(m_endpoint->port);
        }
        m_worker.options().accessLog->write(m_record);
    }
    if (!m_metrics)
        return;
    metrics::RequestSample s;
    if (d) {
        s.virtualService = d->origin.virtualService;
        s.ruleIndex = d->origin.ruleIndex;
        s.ruleName = d->origin.ruleName;
        if (d->destination) {
            s.service = d->destination->host;
            s.port = d->destination->port;
            s.subset = d->destination->subset;
            s.cluster = d->destination->cluster;
        }
    }
    if (m_endpoint && m_record.upstreamMicros >= 0) { // the replica that answered
        s.replica = m_endpoint->workload;
        s.workload = m_endpoint->owner.name;
        s.workloadNamespace = m_endpoint->owner.ns;
        s.app = m_endpoint->owner.app;
        s.version = m_endpoint->owner.version;
    }
    s.responseCode = m_record.status;
    s.responseFlags = m_record.flags;
    s.durationMicros = static_cast<std::uint64_t>(micros);
    s.upstreamMicros = m_record.upstreamMicros;
    s.bytesReceived = m_record.bytesReceived;
    s.bytesSent = m_record.bytesSent;
    m_metrics->record(s);
}

} // namespace sluice::proxy
