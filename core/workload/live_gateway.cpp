// SPDX-License-Identifier: Apache-2.0
#include "live_gateway.h"

#include "proxy/cluster_policy_compiler.h"
#include "proxy/upstream_protocol.h"

#include <vector>

namespace sluice::workload {

LiveGateway::LiveGateway(proxy::ServeOptions options, routing::RouteTablePtr table)
    : m_table(table) {
    auto initial = std::make_shared<proxy::ServingConfig>();
    initial->table = std::move(table);
    m_server = std::make_unique<proxy::ProxyServer>(std::move(options), std::move(initial));
}

LiveGateway::~LiveGateway() {
    if (m_current)
        m_current->stop();
    for (auto& fleet : m_retiring)
        fleet->stop();
    m_server->stop(drainOnDestroy);
    // Before the server: the replicas' sockets belong to its loops.
    m_retiring.clear();
    m_current.reset();
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
        // Some replicas may listen on the running workers: retired like a replaced fleet, never
        // destroyed under them.
        fleet->stop(std::chrono::milliseconds(0));
        m_retiring.push_back(std::move(fleet));
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
    if (m_current) {
        m_current->stop(retireGrace);
        m_retiring.push_back(std::move(m_current));
    }
    m_current = std::move(fleet);
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
    std::erase_if(m_retiring, [](const auto& f) { return f->retired(); });
    return m_retiring.size();
}

std::size_t LiveGateway::replicaCount() const {
    std::size_t n = m_current ? m_current->simulatedCount() : 0;
    for (const auto& f : m_retiring)
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
