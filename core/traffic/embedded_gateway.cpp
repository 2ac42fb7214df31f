// SPDX-License-Identifier: Apache-2.0
#include "embedded_gateway.h"

#include "proxy/proxy_server.h"
#include "workload/live_gateway.h"


namespace sluice::traffic {
EmbeddedGateway::EmbeddedGateway() = default;

EmbeddedGateway::~EmbeddedGateway() {
    stop();
}

std::string EmbeddedGateway::start(const model::ResourceSet& resources, routing::RouteTablePtr table,
                                   unsigned workers) {
    m_table = table;
    proxy::ServeOptions options;
    options.ephemeralPorts = true;
    options.workers = workers == 0 ? 1 : workers;
    m_gateway = std::make_unique<workload::LiveGateway>(options, table);
    m_gateway->drainOnDestroy = std::chrono::milliseconds(500);
    // Listeners first: the replicas' ephemeral ports must never land on a Gateway port.
    if (std::string error = m_gateway->listen(); !error.empty())
        return error;
    if (std::string error = m_gateway->apply(resources, table); !error.empty())
        return error;
    m_tlsProblems = m_gateway->tls().problems;
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
    m_gateway.reset();
}

} // namespace sluice::traffic
