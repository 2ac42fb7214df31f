// SPDX-License-Identifier: Apache-2.0
#include "embedded_gateway.h"

#include "metrics/metrics_collector.h"
#include "proxy/proxy_server.h"
#include "workload/live_gateway.h"

#include <charconv>

namespace sluice::traffic {
namespace {

bool usableHost(const std::string& h) {
    return !h.empty() && h != "*" && !h.starts_with("*.") && !h.ends_with(".*");
}

std::string firstHost(const routing::RouteConfig* config) {
    if (!config)
        return {};
    for (const auto& vhost : config->virtualHosts())
        if (usableHost(vhost.domain))
            return vhost.domain;
    return {};
}

std::optional<GatewayEntry> entryOf(const routing::Listener& l) {
    GatewayEntry e;
    e.gatewayPort = l.port;
    if (l.kind == routing::Listener::Kind::Http) {
        e.defaultAuthority = firstHost(l.http.get());
    } else if (l.kind == routing::Listener::Kind::Tls) {
        e.tls = true;
        for (const auto& chain : l.chains) {
            if (chain.mode != routing::FilterChain::Mode::TerminateHttp)
                continue;
            e.defaultAuthority = firstHost(chain.http.get());
            for (const auto& name : chain.serverNames)
                if (e.defaultAuthority.empty() && usableHost(name))
                    e.defaultAuthority = name;
            if (!e.defaultAuthority.empty())
                break;
        }
    } else {
        return std::nullopt; // TCP: no HTTP requests
    }
    if (e.defaultAuthority.empty())
        e.defaultAuthority = "localhost";
    return e;
}

} // namespace

std::optional<GatewayEntry> gatewayEntry(const routing::RouteTable& table, std::optional<std::uint32_t> port,
                                         bool preferTls) {
    const auto& listeners = table.listeners();
    if (port) {
        const auto it = listeners.find(*port);
        return it == listeners.end() ? std::nullopt : entryOf(it->second);
    }
    const auto find = [&](routing::Listener::Kind kind,
                          std::uint32_t preferred) -> std::optional<GatewayEntry> {
        if (const auto it = listeners.find(preferred); it != listeners.end() && it->second.kind == kind)
            return entryOf(it->second);
        for (const auto& [p, l] : listeners)
            if (l.kind == kind)
                return entryOf(l);
        return std::nullopt;
    };
    const auto http = find(routing::Listener::Kind::Http, 80);
    const auto tls = find(routing::Listener::Kind::Tls, 443);
    if (preferTls)
        return tls ? tls : http;
    return http ? http : tls;
}

std::optional<GatewayEntry> gatewayEntryFor(const routing::RouteTable& table, std::string_view scheme,
                                            std::string_view authority) {
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
        std::uint32_t port = 0;
        const auto digits = authority.substr(colon + 1);
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (ec == std::errc() && end == digits.data() + digits.size())
            if (auto e = gatewayEntry(table, port))
                return e;
    }
    return gatewayEntry(table, std::nullopt, scheme == "https");
}

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
        std::string_view flags = s.key.responseFlags == "-" ? std::string_view{} : s.key.responseFlags;
        while (!flags.empty() && s.requests > 0) {
            const std::size_t comma = flags.find(',');
            if (const std::string_view flag = flags.substr(0, comma); !flag.empty())
                m_flags[std::string(flag)] += s.requests;
            flags = comma == std::string_view::npos ? std::string_view{} : flags.substr(comma + 1);
        }
    }
}

} // namespace sluice::traffic
