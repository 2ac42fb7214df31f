// SPDX-License-Identifier: Apache-2.0
#include "live_gateway.h"

namespace sluice::workload {

LiveGateway::LiveGateway(proxy::ServeOptions options, routing::RouteTablePtr table)
    : m_table(table) {
    auto initial = std::make_shared<proxy::ServingConfig>();
    initial->table = std::move(table);
    m_server = std::make_unique<proxy::ProxyServer>(std::move(options), std::move(initial));
}

LiveGateway::~LiveGateway() {
    for (auto& fleet : m_fleets)
        fleet->stop();
    m_server->stop(drainOnDestroy);
    m_fleets.clear(); // before the server: the replicas' sockets belong to its loops
    m_server.reset();
}

std::string LiveGateway::listen() {
    return m_server->listen();
}

std::string LiveGateway::apply(FleetPlan plan, routing::RouteTablePtr table) {
    auto fleet = std::make_unique<WorkloadFleet>(std::move(plan));
    if (std::string error = fleet->start(*m_server); !error.empty())
        return error;
    auto config = std::make_shared<proxy::ServingConfig>();
    config->table = table;
    config->clusters = fleet->endpoints();
    m_server->swap(std::move(config));
    m_table = std::move(table);
    for (auto& old : m_fleets)
        old->stop();
    m_fleets.push_back(std::move(fleet));
    return {};
}

std::string LiveGateway::apply(const model::ResourceSet& resources, routing::RouteTablePtr table) {
    FleetPlan plan = planFleet(resources, table->workload());
    return apply(std::move(plan), std::move(table));
}

std::string LiveGateway::start() {
    return m_server->start();
}

std::string LiveGateway::run(FleetPlan plan) {
    if (std::string error = listen(); !error.empty())
        return error;
    if (std::string error = apply(std::move(plan), m_table); !error.empty())
        return error;
    return start();
}

std::uint16_t LiveGateway::localPort(std::uint32_t gatewayPort) const {
    for (const auto& l : m_server->listeners())
        if (l.gatewayPort == gatewayPort)
            return l.localPort;
    return 0;
}

} // namespace sluice::workload
