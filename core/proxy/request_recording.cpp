// SPDX-License-Identifier: Apache-2.0
#include "request_recording.h"

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

void recordRequest(AccessLogSink* log, metrics::MetricsShard* metrics, RequestRecord& record,
                   const routing::Decision* d, const Endpoint* endpoint,
                   std::chrono::steady_clock::duration elapsed) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    record.durationMillis = micros / 1000;
    // Envoy names the cluster of the route even when it had no healthy endpoint, not one that
    // does not exist.
    const bool hasCluster = d && d->destination && d->outcome != routing::Outcome::ClusterNotFound;
    if (log) {
        if (record.responseCodeDetails.empty()) // else set by the path that failed (attemptFailureReply)
            record.responseCodeDetails = responseCodeDetails(d, record);
        if (d)
            record.routeName.assign(d->origin.ruleName);
        if (hasCluster)
            record.upstreamCluster.assign(d->destination->cluster);
        if (endpoint) {
            record.upstreamHost.assign(endpoint->address);
            record.upstreamHost += ':';
            record.upstreamHost += std::to_string(endpoint->port);
        }
        log->write(record);
    }
    if (!metrics)
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
    if (endpoint && record.upstreamMicros >= 0) { // the replica that answered
        s.replica = endpoint->workload;
        s.workload = endpoint->owner.name;
        s.workloadNamespace = endpoint->owner.ns;
        s.app = endpoint->owner.app;
        s.version = endpoint->owner.version;
    }
    s.responseCode = record.status;
    s.responseFlags = record.flags;
    s.durationMicros = static_cast<std::uint64_t>(micros);
    s.upstreamMicros = record.upstreamMicros;
    s.bytesReceived = record.bytesReceived;
    s.bytesSent = record.bytesSent;
    metrics->record(s);
}

} // namespace sluice::proxy
