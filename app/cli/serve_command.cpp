// SPDX-License-Identifier: Apache-2.0
#include "serve_command.h"

#include "analysis.h"
#include "diagnostic_formatter.h"
#include "proxy/proxy_server.h"
#include "routing/route_table.h"
#include "validate_command.h"
#include "workload/workload_fleet.h"

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
    cmd->footer(
        "Every Service's workloads (Deployments, Pods, sluice.dev Workloads) run as simulated replicas on\n"
        "loopback ports, or forward to a Workload's `endpoint:`. Stop with Ctrl+C: requests in flight\n"
        "finish first. Exit status: 0 stopped cleanly, 1 config errors, 2 unreadable input or a port\n"
        "that cannot be bound.");
    cmd->callback([args, &exitCode] { exitCode = runServe(*args); });
}

int runServe(const ServeArgs& args) {
    const Analysis analysis = analyze(args.paths, {});
    const DiagnosticFormatter text(analysis.loaded.resources, OutputFormat::Text, isatty(STDERR_FILENO) != 0);
    text.write(analysis.diagnostics, std::cerr);
    if (analysis.loaded.unreadable)
        return ExitUnreadable;
    if (countAtOrAbove(analysis.diagnostics, model::Level::Error) > 0 && !args.force) {
        std::cerr << summaryLine(analysis) << "\nsluice serve: refusing to serve a config with errors (as "
                  << "Istio's webhook would refuse it); fix them, or pass --force.\n";
        return ExitFindings;
    }
    auto config = std::make_shared<proxy::ServingConfig>();
    config->table = routing::compile(analysis.loaded.resources);
    if (config->table->listeners().empty()) {
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

    proxy::ServeOptions options;
    options.bindAddress = args.bind;
    options.portOffset = args.portOffset;
    options.workers = args.workers;
    proxy::ProxyServer server(options, config);
    workload::WorkloadFleet fleet(workload::planFleet(analysis.loaded.resources, config->table->workload()));
    if (std::string error = fleet.start(server); !error.empty()) {
        std::cerr << "sluice serve: " << error << '\n';
        return ExitUnreadable;
    }
    auto serving = std::make_shared<proxy::ServingConfig>(*config);
    serving->clusters = fleet.endpoints();
    server.swap(serving);
    if (std::string error = server.start(); !error.empty()) {
        std::cerr << "sluice serve: " << error << '\n';
        return ExitUnreadable;
    }
    std::cout << summaryLine(analysis) << '\n';
    for (const auto& l : server.listeners())
        std::cout << "  Gateway port " << l.gatewayPort << " -> http://" << args.bind << ':' << l.localPort
                  << '\n';
    std::cout << "  " << fleet.simulatedCount() << " simulated replicas, "
              << fleet.plan().replicas.size() - fleet.simulatedCount() << " real endpoints; "
              << server.workerCount() << " workers\nCtrl+C stops (requests in flight finish first).\n"
              << std::flush;

    int signal = 0;
    sigwait(&stopSignals, &signal);
    std::cout << "sluice serve: stopping (" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ")\n"
              << std::flush;
    fleet.stop();
    server.stop();
    return ExitClean;
}

} // namespace sluice::cli
