// SPDX-License-Identifier: Apache-2.0
#pragma once

// A config served end to end for integration tests: the proxy on ephemeral ports in front of the
// config's simulated replicas (or real endpoints), as `sluice serve` runs them.

#include "config/loader.h"
#include "proxy/proxy_server.h"
#include "proxy/upstream_protocol.h"
#include "routing/route_table.h"
#include "workload/workload_fleet.h"

#include <memory>
#include <string>

#include <QProcess>
#include <QStringList>

namespace sluice::test {

class Served {
public:
    /// samples/<name>
    static Served sample(const std::string& name) {
        return Served(config::loadPaths({SLUICE_SOURCE_DIR "/samples/" + name}));
    }
    /// Inline multi-document YAML; `options` as the proxy's (ports and workers are the helper's).
    static Served yaml(const std::string& text, proxy::ServeOptions options = {}) {
        config::LoadResult loaded;
        config::loadText("inline.yaml", text, loaded);
        return Served(std::move(loaded), options);
    }

    Served(Served&&) = default;
    ~Served() {
        if (!server)
            return;
        // Stop the loops, then the replicas (their sockets belong to the loops), then the loops.
        server->stop(std::chrono::milliseconds(500));
        fleet.reset();
        server.reset();
    }

    [[nodiscard]] std::uint16_t port(std::uint32_t gatewayPort) const {
        for (const auto& l : server->listeners())
            if (l.gatewayPort == gatewayPort)
                return l.localPort;
        return 0;
    }

    config::LoadResult loaded;
    std::unique_ptr<proxy::ProxyServer> server;
    std::unique_ptr<workload::WorkloadFleet> fleet;
    std::string error;

private:
    explicit Served(config::LoadResult in, proxy::ServeOptions options = {})
        : loaded(std::move(in)) {
        auto config = std::make_shared<proxy::ServingConfig>();
        config->table = routing::compile(loaded.resources);
        options.ephemeralPorts = true;
        options.workers = 2;
        server = std::make_unique<proxy::ProxyServer>(options, config);
        error = server->listen(); // before the replicas take their ephemeral ports
        fleet = std::make_unique<workload::WorkloadFleet>(workload::planFleet(loaded.resources));
        if (error.empty())
            error = fleet->start(*server);
        config->clusters = fleet->endpoints();
        config->http2Clusters = proxy::UpstreamProtocol::http2Clusters(loaded.resources, config->clusters);
        server->swap(config);
        if (error.empty())
            error = server->start();
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
