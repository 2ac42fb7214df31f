// SPDX-License-Identifier: Apache-2.0
#pragma once

// A config served end to end for integration tests: the proxy on ephemeral ports in front of the
// config's simulated replicas (or real endpoints), as `sluice serve` runs them (workload::LiveGateway).

#include "config/loader.h"
#include "proxy/proxy_server.h"
#include "proxy/tls_context_builder.h"
#include "routing/route_table.h"
#include "workload/live_gateway.h"

#include <memory>
#include <string>

#include <QProcess>
#include <QStringList>

namespace sluice::test {

class Served {
public:
    /// samples/<name>
    static Served sample(const std::string& name, proxy::ServeOptions options = {}) {
        return Served(config::loadPaths({SLUICE_SOURCE_DIR "/samples/" + name}), std::move(options));
    }
    /// Inline multi-document YAML.
    static Served yaml(const std::string& text, proxy::ServeOptions options = {}) {
        config::LoadResult loaded;
        config::loadText("inline.yaml", text, loaded);
        return Served(std::move(loaded), std::move(options));
    }

    Served(Served&&) = default;

    [[nodiscard]] std::uint16_t port(std::uint32_t gatewayPort) const {
        return gateway->localPort(gatewayPort);
    }
    [[nodiscard]] proxy::ProxyServer& server() { return gateway->server(); }

    config::LoadResult loaded;
    std::unique_ptr<workload::LiveGateway> gateway;
    std::string error;
    /// TLS servers left without a certificate (buildTlsContexts' problems).
    std::vector<std::string> tlsProblems;

private:
    Served(config::LoadResult in, proxy::ServeOptions options)
        : loaded(std::move(in)) {
        options.ephemeralPorts = true;
        if (options.workers == 0)
            options.workers = 2;
        routing::RouteTablePtr table = routing::compile(loaded.resources);
        gateway = std::make_unique<workload::LiveGateway>(std::move(options), table);
        gateway->drainOnDestroy = std::chrono::milliseconds(500);
        error = gateway->listen(); // before the replicas take their ephemeral ports
        if (error.empty())
            error = gateway->apply(loaded.resources, table);
        tlsProblems = gateway->tls().problems;
        if (error.empty())
            error = gateway->start();
    }
};

/// Runs curl (silent, 10 s at most) and returns what it printed, errors included.
inline QByteArray curl(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral("curl"),
            QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("10")} + args);
    if (!p.waitForFinished(20000))
        return "timeout";
    return p.readAllStandardOutput() + p.readAllStandardError();
}

} // namespace sluice::test
