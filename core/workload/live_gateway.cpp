// SPDX-License-Identifier: Apache-2.0
#include "live_gateway.h"

#include "proxy/cluster_policy_compiler.h"
#include "proxy/upstream_protocol.h"

#include <algorithm>

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

std::string LiveGateway::apply(FleetPlan plan, routing::RouteTablePtr table,
                               std::shared_ptr<const proxy::TlsContextSet> tls,
                               proxy::ClusterPolicies policies,
                               std::set<std::string, std::less<>> http2Clusters) {
    // New Gateway ports are bound before the replicas take their ephemeral loopback ports.
    proxy::ListenerChanges changes = m_server->addListeners(*table);
    auto fleet = std::make_unique<WorkloadFleet>(std::move(plan));
    if (std::string error = fleet->start(*m_server); !error.empty()) {
        if (m_table)
            (void)m_server->retireListeners(*m_table); // the ports just added: the old config has none
        return error;
    }
    auto config = std::make_shared<proxy::ServingConfig>();
    config->table = table;
    config->clusters = fleet->endpoints();
    config->tls = std::move(tls);
    config->policies = std::move(policies);
    config->http2Clusters = std::move(http2Clusters);
    m_server->swap(std::move(config));
    changes.retired = m_server->retireListeners(*table);
    m_listenerChanges = std::move(changes);
    m_table = std::move(table);
    for (auto& old : m_fleets)
        old->stop(retireGrace);
    m_fleets.push_back(std::move(fleet));
    collectRetired();
    return {};
}

std::string LiveGateway::apply(const model::ResourceSet& resources, routing::RouteTablePtr table,
                               bool* tlsRefused) {
    proxy::TlsSetup tls = proxy::buildTlsContexts(table, resources, m_devCa);
    if (!tls.problems.empty() && m_refuseMissingTls) {
        std::string listed;
        for (const auto& p : tls.problems)
            listed += "\n  " + p;
        if (tlsRefused)
            *tlsRefused = true;
        return "TLS servers without a usable certificate:" + listed +
               "\nAdd the Secret (or the files), pass --dev-certs for local development certificates, or "
               "--force to serve without these servers (their handshakes fail)";
    }
    FleetPlan plan = planFleet(resources, table->workload());
    proxy::ClusterPolicies policies = proxy::ClusterPolicyCompiler::compile(resources, table->workload());
    auto contexts = tls.contexts;
    // HTTP/2 upstreams as Istio decides them (the Service port's protocol), whatever serves the
    // cluster: simulated replicas speak HTTP/2 (and gRPC) as well as HTTP/1.1.
    proxy::ClusterEndpoints named;
    for (const auto& [name, members] : plan.clusters)
        named.emplace(name, std::vector<proxy::Endpoint>{});
    auto http2 = proxy::UpstreamProtocol::http2Clusters(resources, named);
    if (std::string error = apply(std::move(plan), std::move(table), std::move(contexts), std::move(policies),
                                  std::move(http2));
        !error.empty())
        return error;
    m_tls = std::move(tls);
    return {};
}

std::string LiveGateway::start() {
    return m_server->start();
}

std::string LiveGateway::run(FleetPlan plan, proxy::ClusterPolicies policies) {
    if (std::string error = listen(); !error.empty())
        return error;
    if (std::string error = apply(std::move(plan), m_table, nullptr, std::move(policies)); !error.empty())
        return error;
    return start();
}

std::size_t LiveGateway::collectRetired() {
    if (m_fleets.size() < 2)
        return 0;
    // The current fleet (the last) stays; a replaced one goes once nothing refers to it.
    const auto replaced = m_fleets.end() - 1;
    m_fleets.erase(std::remove_if(m_fleets.begin(), replaced, [](const auto& f) { return f->retired(); }),
                   replaced);
    return m_fleets.size() - 1;
}

std::size_t LiveGateway::replicaCount() const {
    std::size_t n = 0;
    for (const auto& f : m_fleets)
        n += f->simulatedCount();
    return n;
}

std::uint16_t LiveGateway::localPort(std::uint32_t gatewayPort) const {
    for (const auto& l : m_server->listeners())
        if (l.gatewayPort == gatewayPort)
            return l.localPort;
    return 0;
}

} // namespace sluice::workload
