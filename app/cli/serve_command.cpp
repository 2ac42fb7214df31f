// SPDX-License-Identifier: Apache-2.0
#include "serve_command.h"

#include "analysis.h"
#include "config/loader.h"
#include "diagnostic_formatter.h"
#include "proxy/access_log.h"
#include "proxy/proxy_server.h"
#include "proxy/upstream_protocol.h"
#include "routing/route_table.h"
#include "validate_command.h"
#include "workload/workload_fleet.h"

#include <algorithm>
#include <csignal>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <pthread.h>
#include <unistd.h>

namespace sluice::cli {

void addServeCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<ServeArgs>();
    CLI::App* cmd = app.add_subcommand(
        "serve", "Run the gateway: a real local proxy that routes as the Istio ingress gateway would");
    cmd->add_option("paths", args->paths, "Files or directories (recursive) of Istio and Kubernetes YAML")
        ->required();
    cmd->add_option("--bind", args->bind, "Address to listen on")->capture_default_str();
    cmd->add_option("--port-offset", args->portOffset,
                    "A Gateway port below 1024 listens on port + offset (Istio maps 80 to 8080)")
        ->capture_default_str();
    cmd->add_option("--workers", args->workers, "Worker threads (default: one per core)");
    cmd->add_flag("--force", args->force, "Serve even though the config has errors");
    cmd->add_option("--access-log", args->accessLog,
                    "Log every request in Envoy's default format to FILE (appended), or - for stdout");
    cmd->footer(
        "Every Service's workloads (Deployments, Pods, sluice.dev Workloads) run as simulated replicas on\n"
        "loopback ports, or forward to a Workload's `endpoint:`. Stop with Ctrl+C: requests in flight\n"
        "finish first. Exit status: 0 stopped cleanly, 1 config errors, 2 unreadable input or a port\n"
        "that cannot be bound.");
    cmd->callback([args, &exitCode] { exitCode = runServe(*args); });
}

namespace {

/// The proxy and the replicas behind it for the life of `sluice serve`; reload() swaps in a new
/// config when the files change. Replicas of replaced configs stop accepting but live on until
/// exit: connections still running on the workers' loops use them.
class LiveGateway {
public:
    LiveGateway(const ServeArgs& args, proxy::ServingConfigPtr initial, proxy::AccessLog* log)
        : m_args(args)
        , m_server(options(args, log), std::move(initial)) {}

    ~LiveGateway() {
        for (auto& fleet : m_fleets)
            fleet->stop();
        m_server.stop();
        m_fleets.clear(); // before the server: their sockets belong to its loops
    }

    /// Starts the replicas of `resources` on the workers and serves `table` in front of them.
    std::string apply(const model::ResourceSet& resources, routing::RouteTablePtr table) {
        auto fleet =
            std::make_unique<workload::WorkloadFleet>(workload::planFleet(resources, table->workload()));
        if (std::string error = fleet->start(m_server); !error.empty())
            return error;
        auto config = std::make_shared<proxy::ServingConfig>();
        config->table = std::move(table);
        config->clusters = fleet->endpoints();
        config->http2Clusters = proxy::UpstreamProtocol::http2Clusters(resources, config->clusters);
        m_server.swap(std::move(config));
        for (auto& old : m_fleets)
            old->stop();
        m_fleets.push_back(std::move(fleet));
        return {};
    }

    [[nodiscard]] proxy::ProxyServer& server() { return m_server; }
    [[nodiscard]] const workload::WorkloadFleet& fleet() const { return *m_fleets.back(); }

private:
    static proxy::ServeOptions options(const ServeArgs& args, proxy::AccessLog* log) {
        proxy::ServeOptions o;
        o.accessLog = log;
        o.bindAddress = args.bind;
        o.portOffset = args.portOffset;
        o.workers = args.workers;
        return o;
    }

    const ServeArgs& m_args;
    proxy::ProxyServer m_server;
    std::vector<std::unique_ptr<workload::WorkloadFleet>> m_fleets;
};

/// Loads and validates; nullptr (with the reason printed) when the config must not be served.
routing::RouteTablePtr compileServable(const ServeArgs& args, const Analysis& analysis, const char* refusal) {
    const DiagnosticFormatter text(analysis.loaded.resources, OutputFormat::Text, isatty(STDERR_FILENO) != 0);
    text.write(analysis.diagnostics, std::cerr);
    if (analysis.loaded.unreadable) {
        std::cerr << "sluice serve: some input could not be read; " << refusal << ".\n";
        return nullptr;
    }
    if (countAtOrAbove(analysis.diagnostics, model::Level::Error) > 0 && !args.force) {
        std::cerr << summaryLine(analysis)
                  << "\nsluice serve: the config has errors (Istio's webhook would refuse "
                  << "it); " << refusal << ". Fix them, or pass --force.\n";
        return nullptr;
    }
    return routing::compile(analysis.loaded.resources);
}

void reload(const ServeArgs& args, LiveGateway& gateway) {
    const Analysis analysis = analyze(args.paths, {});
    routing::RouteTablePtr table = compileServable(args, analysis, "still serving the previous config");
    if (!table)
        return;
    for (const auto& [port, listener] : table->listeners()) {
        const auto bound = gateway.server().listeners();
        if (std::none_of(bound.begin(), bound.end(),
                         [port = port](const auto& l) { return l.gatewayPort == port; }))
            std::cerr << "sluice serve: Gateway port " << port
                      << " is new; restart sluice serve to listen on it.\n";
    }
    if (std::string error = gateway.apply(analysis.loaded.resources, std::move(table)); !error.empty()) {
        std::cerr << "sluice serve: " << error << "; still serving the previous config.\n";
        return;
    }
    std::cout << "sluice serve: reloaded: " << summaryLine(analysis) << '\n' << std::flush;
}

} // namespace

int runServe(const ServeArgs& args) {
    const Analysis analysis = analyze(args.paths, {});
    routing::RouteTablePtr table = compileServable(args, analysis, "not serving it");
    if (!table)
        return analysis.loaded.unreadable ? ExitUnreadable : ExitFindings;
    if (table->listeners().empty()) {
        std::cerr
            << "sluice serve: no Gateway server applies to the ingress gateway: nothing to listen on.\n";
        return ExitUnreadable;
    }

    // Workers must not take SIGINT/SIGTERM: block them before any thread starts, wait for them here.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    std::unique_ptr<proxy::AccessLog> accessLog;
    if (!args.accessLog.empty()) {
        accessLog = std::make_unique<proxy::AccessLog>();
        if (std::string error = accessLog->open(args.accessLog); !error.empty()) {
            std::cerr << "sluice serve: " << error << '\n';
            return ExitUnreadable;
        }
    }
    auto initial = std::make_shared<proxy::ServingConfig>();
    initial->table = table;
    LiveGateway gateway(args, initial, accessLog.get());
    // Listeners first: the replicas' ephemeral loopback ports must never land on a Gateway port.
    if (std::string error = gateway.server().listen(); !error.empty()) {
        std::cerr << "sluice serve: " << error << '\n';
        return ExitUnreadable;
    }
    if (std::string error = gateway.apply(analysis.loaded.resources, table); !error.empty()) {
        std::cerr << "sluice serve: " << error << '\n';
        return ExitUnreadable;
    }
    if (std::string error = gateway.server().start(); !error.empty()) {
        std::cerr << "sluice serve: " << error << '\n';
        return ExitUnreadable;
    }
    std::cout << summaryLine(analysis) << '\n';
    for (const auto& l : gateway.server().listeners())
        std::cout << "  Gateway port " << l.gatewayPort << " -> http://" << args.bind << ':' << l.localPort
                  << '\n';
    const auto& fleet = gateway.fleet();
    std::cout << "  " << fleet.simulatedCount() << " simulated replicas, "
              << fleet.plan().replicas.size() - fleet.simulatedCount() << " real endpoints; "
              << gateway.server().workerCount() << " workers\n"
              << "Watching the files: a valid change is served at once. Ctrl+C stops (requests in flight "
                 "finish first).\n"
              << std::flush;

    // Once a second: a stop signal ends the loop, a change to the files reloads them.
    std::string fingerprint = config::sourcesFingerprint(args.paths);
    const timespec second{1, 0};
    int signal = -1;
    while (signal < 0) {
        signal = sigtimedwait(&stopSignals, nullptr, &second);
        if (signal >= 0)
            break;
        if (std::string now = config::sourcesFingerprint(args.paths); now != fingerprint) {
            fingerprint = std::move(now);
            reload(args, gateway);
        }
    }
    std::cout << "sluice serve: stopping (" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ")\n"
              << std::flush;
    return ExitClean;
}

} // namespace sluice::cli
