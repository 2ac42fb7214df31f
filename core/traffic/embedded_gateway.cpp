// SPDX-License-Identifier: Apache-2.0
#include "embedded_gateway.h"

#include "metrics/metrics_collector.h"
#include "proxy/proxy_server.h"
#include "workload/live_gateway.h"

namespace sluice::traffic {
EmbeddedGateway::EmbeddedGateway() = default;

EmbeddedGateway::~EmbeddedGateway() {
    stop();
}

std::string EmbeddedGateway::start(const model::ResourceSet& resources, routing::RouteTablePtr table,
                                   unsigned workers, const proxy::DevCertificateAuthority* devCa) {
    m_table = table;
    m_flags.clear();
    // Collected once, at stop(): the shards keep counters per series, nothing grows with time.
    m_metrics = std::make_unique<metrics::MetricsCollector>();
    proxy::ServeOptions options;
    options.ephemeralPorts = true;
    options.workers = workers == 0 ? 1 : workers;
    options.metrics = m_metrics.get();
    m_gateway = std::make_unique<workload::LiveGateway>(options, table);
    m_gateway->drainOnDestroy = std::chrono::milliseconds(500);
    m_gateway->useDevCa(devCa);
    // Listeners first: the replicas' ephemeral ports must never land on a Gateway port.
    if (std::string error = m_gateway->listen(); !error.empty())
        return error;
    if (std::string error = m_gateway->apply(resources, table); !error.empty())
        return error;
    m_tlsProblems = m_gateway->tls().problems;
    m_devCertificates = m_gateway->tls().devCertificates;
    m_mutualWithDevCa = m_gateway->tls().mutualWithDevCa;
    return m_gateway->start();
}

std::uint16_t EmbeddedGateway::localPort(std::uint32_t gatewayPort) const {
    return m_gateway ? m_gateway->localPort(gatewayPort) : 0;
}

const workload::FleetPlan& EmbeddedGateway::plan() const {
    return m_gateway->fleet().plan();
}

void EmbeddedGateway::stop() {
    if (!m_gateway)
        return;
    m_gateway->server().stop(std::chrono::milliseconds(500));
    m_gateway.reset(); // the workers are gone: their shards hold everything they recorded
    countFlags();
}

void EmbeddedGateway::countFlags() {
    if (!m_metrics)
        return;
    const metrics::MetricsSnapshotPtr snapshot = m_metrics->collect();
    for (const metrics::SeriesStats& s : snapshot->series) {
        std::string_view flags = s.key->responseFlags == "-" ? std::string_view{} : s.key->responseFlags;
        while (!flags.empty() && s.requests > 0 && s.key->ingress()) {
            const std::size_t comma = flags.find(',');
            if (const std::string_view flag = flags.substr(0, comma); !flag.empty())
                m_flags[std::string(flag)] += s.requests;
            flags = comma == std::string_view::npos ? std::string_view{} : flags.substr(comma + 1);
        }
    }
}

} // namespace sluice::traffic
