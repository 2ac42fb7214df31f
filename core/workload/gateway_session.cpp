// SPDX-License-Identifier: Apache-2.0
#include "gateway_session.h"

#include "routing/gateway_entry.h"

#include <utility>

namespace sluice::workload {
namespace {

/// The address a client uses for `bind`: loopback for the wildcard addresses, brackets for IPv6.
std::string clientAddress(const std::string& bind) {
    if (bind == "0.0.0.0" || bind.empty())
        return "127.0.0.1";
    if (bind == "::")
        return "[::1]";
    if (bind.find(':') != std::string::npos)
        return "[" + bind + "]";
    return bind;
}

} // namespace

std::string LocalListener::text() const {
    if (host.empty())
        return url;
    return url + "  Host: " + host;
}

GatewaySession::GatewaySession(SessionOptions options)
    : m_options(std::move(options)) {}

GatewaySession::~GatewaySession() {
    stop();
}

std::size_t GatewaySession::blockingErrors(const model::Diagnostics& diagnostics, bool devCerts) {
    std::size_t count = 0;
    for (const auto& d : diagnostics)
        if (d.level >= model::Level::Error && !(devCerts && d.field.ends_with(".tls.credentialName")))
            ++count;
    return count;
}

std::string GatewaySession::start(const model::ResourceSet& resources, routing::RouteTablePtr table,
                                  bool* tlsRefused) {
    if (running())
        return "the gateway is already running";
    if (!table || table->listeners().empty())
        return "no Gateway server applies to the ingress gateway: nothing to listen on";
    proxy::ServeOptions serve = m_options.serve;
    if (m_options.metrics)
        m_metrics = std::make_unique<metrics::MetricsCollector>(m_options.metricsInterval);
    serve.accessLog = m_options.accessLog;
    serve.metrics = m_metrics.get();
    m_gateway = std::make_unique<LiveGateway>(std::move(serve), table);
    m_gateway->drainOnDestroy = m_options.drain;
    m_gateway->useDevCa(m_options.devCa);
    m_gateway->refuseMissingTls(m_options.refuseMissingTls);
    const auto fail = [this](std::string error) {
        m_gateway.reset();
        m_metrics.reset();
        return error;
    };
    // Listeners first: the replicas' ephemeral loopback ports must never land on a Gateway port.
    if (std::string error = m_gateway->listen(); !error.empty())
        return fail(std::move(error));
    if (std::string error = m_gateway->apply(resources, std::move(table), tlsRefused); !error.empty())
        return fail(std::move(error));
    if (std::string error = m_gateway->start(); !error.empty())
        return fail(std::move(error));
    if (m_metrics)
        m_metrics->start();
    return {};
}

std::string GatewaySession::apply(const model::ResourceSet& resources, routing::RouteTablePtr table) {
    if (!running())
        return "the gateway is not running";
    if (!table)
        return "the config did not compile";
    return m_gateway->apply(resources, std::move(table));
}

void GatewaySession::stop(std::chrono::milliseconds drain) {
    if (!m_gateway)
        return;
    m_gateway->server().stop(drain);
    m_gateway.reset(); // the replicas, then the workers and their sockets: the ports are free
    if (m_metrics)
        m_metrics->stop();
    m_metrics.reset();
}

std::vector<LocalListener> GatewaySession::listeners() const {
    std::vector<LocalListener> out;
    if (!m_gateway)
        return out;
    const routing::RouteTable& table = *m_gateway->table();
    const std::string address = clientAddress(m_options.serve.bindAddress);
    for (const auto& bound : m_gateway->server().listeners()) {
        LocalListener l;
        l.gatewayPort = bound.gatewayPort;
        l.localPort = bound.localPort;
        const auto it = table.listeners().find(bound.gatewayPort);
        const auto kind = it == table.listeners().end() ? routing::Listener::Kind::Http : it->second.kind;
        l.scheme = kind == routing::Listener::Kind::Tls   ? "https"
                   : kind == routing::Listener::Kind::Tcp ? "tcp"
                                                          : "http";
        l.url = l.scheme + "://" + address + ':' + std::to_string(bound.localPort);
        if (const auto entry = routing::gatewayEntry(table, bound.gatewayPort))
            l.host = entry->defaultAuthority;
        out.push_back(std::move(l));
    }
    return out;
}

const proxy::ListenerChanges& GatewaySession::listenerChanges() const {
    static const proxy::ListenerChanges none;
    return m_gateway ? m_gateway->listenerChanges() : none;
}

} // namespace sluice::workload
