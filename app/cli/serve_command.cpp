// SPDX-License-Identifier: Apache-2.0
#include "serve_command.h"

#include "analysis.h"
#include "config/loader.h"
#include "config/source_watcher.h"
#include "dev_certs.h"
#include "diagnostic_formatter.h"
#include "metrics/metrics_collector.h"
#include "proxy/access_log.h"
#include "proxy/admin_server.h"
#include "proxy/dev_certificate_authority.h"
#include "proxy/proxy_server.h"
#include "proxy/tls_context_builder.h"
#include "routing/route_table.h"
#include "validate_command.h"
#include "workload/gateway_session.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <poll.h>
#include <pthread.h>
#include <sys/signalfd.h>
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
    cmd->add_option("--access-log", args->accessLog, "Log every request to FILE (appended), or - for stdout");
    cmd->add_option("--access-log-format", args->accessLogFormat,
                    "text: Envoy's default line; json: Istio's JSON access log keys")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    cmd->add_option("--admin", args->admin,
                    "Serve the admin endpoint on ADDRESS:PORT (e.g. 127.0.0.1:15000): /stats/prometheus, "
                    "/ready, /config_dump, /clusters");
    cmd->add_flag_callback(
        "--no-metrics", [args] { args->metrics = false; }, "Do not keep request metrics");
    cmd->add_flag("--dev-certs", args->devCerts,
                  "TLS servers whose certificate is missing or unusable get one from a local development "
                  "CA (made once in $XDG_DATA_HOME/sluice/dev-ca, reused); prints how to trust it");
    cmd->footer(
        "Every Service's workloads (Deployments, Pods, sluice.dev Workloads) run as simulated replicas on\n"
        "loopback ports, or forward to a Workload's `endpoint:`. HTTPS/TLS servers take their certificates\n"
        "from the Secrets in the YAML (credentialName, in the gateway's namespace) or from the files they\n"
        "name; a server with none is refused unless --dev-certs (or --force: its handshakes fail, as on a\n"
        "gateway whose Secret is missing). Stop with Ctrl+C: requests in flight finish first. Exit\n"
        "status: 0 stopped cleanly, 1 config errors, 2 unreadable input or a port that cannot be bound.");
    cmd->callback([args, &exitCode] { exitCode = runServe(*args); });
}

namespace {

workload::SessionOptions sessionOptions(const ServeArgs& args, proxy::AccessLogSink* log,
                                        const proxy::DevCertificateAuthority* devCa) {
    workload::SessionOptions o;
    o.accessLog = log;
    o.metrics = args.metrics;
    o.serve.bindAddress = args.bind;
    o.serve.portOffset = args.portOffset;
    o.serve.workers = args.workers;
    o.devCa = devCa;
    o.refuseMissingTls = !args.force;
    return o;
}

/// Which development certificates were made, and how to trust the CA (never a key).
void printDevCertificates(const proxy::TlsSetup& tls, const proxy::DevCertificateAuthority& ca,
                          const std::vector<proxy::BoundListener>& listeners) {
    if (tls.devCertificates.empty())
        return;
    const std::string caPath = ca.certificatePath().string();
    std::cout << "Development certificates (--dev-certs) from the local CA " << caPath
              << (ca.created() ? " (made now)" : " (reused)") << " for:\n";
    for (const auto& d : tls.devCertificates)
        std::cout << "  " << d << '\n';
    std::uint16_t httpsPort = 0;
    for (const auto& l : listeners)
        if (l.gatewayPort == 443 || httpsPort == 0)
            httpsPort = l.localPort;
    std::cout << "Trust the CA:\n"
              << "  curl:    curl --cacert " << caPath << " --resolve HOST:" << httpsPort
              << ":127.0.0.1 https://HOST:" << httpsPort << "/\n"
              << "  system:  sudo cp " << caPath
              << " /usr/local/share/ca-certificates/sluice-dev-ca.crt && sudo update-ca-certificates\n"
              << "  browser: import " << caPath
              << " as an authority (Firefox: Settings > Privacy & Security > Certificates > View "
                 "Certificates > Authorities > Import; Chrome: Settings > Privacy and security > Security > "
                 "Manage certificates > Authorities > Import)\n";
    if (tls.mutualWithDevCa) {
        std::filesystem::path cert, key;
        if (std::string error = ca.ensureClientCertificate(cert, key); !error.empty())
            std::cerr << "sluice serve: no development client certificate: " << error << '\n';
        else
            std::cout << "  MUTUAL servers accept client certificates of this CA: curl --cert "
                      << cert.string() << " --key " << key.string() << " ...\n";
    }
}

/// Loads and validates; nullptr (with the reason printed) when the config must not be served.
routing::RouteTablePtr compileServable(const ServeArgs& args, const Analysis& analysis, const char* refusal) {
    const DiagnosticFormatter text(analysis.loaded.resources, OutputFormat::Text, isatty(STDERR_FILENO) != 0);
    text.write(analysis.diagnostics, std::cerr);
    if (analysis.loaded.unreadable) {
        std::cerr << "sluice serve: some input could not be read; " << refusal << ".\n";
        return nullptr;
    }
    if (workload::GatewaySession::blockingErrors(analysis.diagnostics, args.devCerts) > 0 && !args.force) {
        std::cerr << summaryLine(analysis)
                  << "\nsluice serve: the config has errors (Istio's webhook would refuse "
                  << "it); " << refusal << ". Fix them, or pass --force.\n";
        return nullptr;
    }
    return routing::compile(analysis.loaded.resources);
}

/// Blocks until a stop signal (its number) or a change to the sources, once the writes have
/// settled (-1). Editors save in steps (write a temporary file, rename it over the old one), so a
/// change is reported after 50 ms without further events, or a second into a steady stream of
/// them. Without inotify (SourceWatcher::usable()), it wakes once a second for the caller's check.
int waitForStopOrChange(int signalFd, const sigset_t& stopSignals, config::SourceWatcher& watcher) {
    constexpr int kPollMs = 1000;
    constexpr int kSettleMs = 50;
    // Without signalfd (descriptors exhausted at start) or when poll() fails: a second's wait for
    // a signal, so that a persistent failure never spins.
    const auto plainWait = [&stopSignals] {
        const timespec second{1, 0};
        return sigtimedwait(&stopSignals, nullptr, &second);
    };
    if (signalFd < 0)
        return plainWait();
    int settling = -1; // ms of events seen while waiting for a pause; -1: nothing changed yet
    for (;;) {
        pollfd fds[2] = {{signalFd, POLLIN, 0}, {watcher.fd(), POLLIN, 0}};
        const nfds_t count = watcher.usable() ? 2 : 1;
        const int ready = ::poll(fds, count, !watcher.usable() ? kPollMs : settling >= 0 ? kSettleMs : -1);
        if (ready < 0 && errno != EINTR)
            return plainWait();
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo info{};
            if (::read(signalFd, &info, sizeof info) == sizeof info)
                return static_cast<int>(info.ssi_signo);
            continue;
        }
        if (ready == 0 && (settling >= 0 || !watcher.usable()))
            return -1;
        if (ready > 0 && count == 2 && (fds[1].revents & POLLIN) && watcher.drain() && settling < 0)
            settling = 0;
        if (!watcher.usable() || (settling >= 0 && (settling += kSettleMs) >= kPollMs))
            return -1;
    }
}

void reload(const ServeArgs& args, workload::GatewaySession& gateway) {
    const Analysis analysis = analyze(args.paths, {});
    routing::RouteTablePtr table = compileServable(args, analysis, "still serving the previous config");
    if (!table)
        return;
    if (std::string error = gateway.apply(analysis.loaded.resources, std::move(table)); !error.empty()) {
        std::cerr << "sluice serve: " << error << "; still serving the previous config.\n";
        return;
    }
    const proxy::ListenerChanges& changes = gateway.listenerChanges();
    for (const auto& l : changes.added)
        std::cout << "sluice serve: listening on " << args.bind << ':' << l.localPort << " (new Gateway port "
                  << l.gatewayPort << ")\n";
    for (const std::uint32_t port : changes.retired)
        std::cout << "sluice serve: Gateway port " << port
                  << " is gone: no longer listening; its connections close after their request\n";
    for (const auto& error : changes.errors)
        std::cerr << "sluice serve: " << error << '\n';
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
        const auto format =
            args.accessLogFormat == "json" ? proxy::AccessLogFormat::Json : proxy::AccessLogFormat::Text;
        if (std::string error = accessLog->open(args.accessLog, format); !error.empty()) {
            std::cerr << "sluice serve: " << error << '\n';
            return ExitUnreadable;
        }
    }
    proxy::AdminOptions adminOptions;
    if (!args.admin.empty() && !proxy::parseAdminAddress(args.admin, adminOptions)) {
        std::cerr << "sluice serve: --admin " << args.admin
                  << ": expected ADDRESS:PORT, e.g. 127.0.0.1:15000\n";
        return ExitUnreadable;
    }
    // Declared after the log (the gateway's workers use it) and before the admin endpoint (which
    // reads the gateway): destroyed in the reverse order.
    std::unique_ptr<proxy::DevCertificateAuthority> devCa;
    if (args.devCerts && !(devCa = openDevCa("serve")))
        return ExitUnreadable;
    workload::GatewaySession session(sessionOptions(args, accessLog.get(), devCa.get()));
    bool tlsRefused = false;
    if (std::string error = session.start(analysis.loaded.resources, table, &tlsRefused); !error.empty()) {
        std::cerr << "sluice serve: " << error << '\n';
        return tlsRefused ? ExitFindings : ExitUnreadable;
    }
    workload::LiveGateway& gateway = session.gateway();
    for (const auto& problem : gateway.tls().problems)
        std::cerr << "sluice serve: warning: no usable certificate, handshakes fail: " << problem << '\n';
    proxy::AdminPages adminPages(gateway.server(), session.metrics());
    std::unique_ptr<proxy::AdminServer> admin;
    if (!args.admin.empty()) {
        admin = std::make_unique<proxy::AdminServer>(adminOptions, adminPages);
        if (std::string error = admin->start(); !error.empty()) {
            std::cerr << "sluice serve: " << error << '\n';
            return ExitUnreadable;
        }
    }
    std::cout << summaryLine(analysis) << '\n';
    for (const auto& l : session.listeners())
        std::cout << "  Gateway port " << l.gatewayPort << " -> " << l.scheme << "://" << args.bind << ':'
                  << l.localPort << '\n';
    const auto& fleet = gateway.fleet();
    std::cout << "  " << fleet.simulatedCount() << " simulated replicas, "
              << fleet.plan().replicas.size() - fleet.simulatedCount() << " real endpoints; "
              << gateway.server().workerCount() << " workers\n";
    if (admin)
        std::cout << "  admin: http://" << adminOptions.address << ':' << admin->port()
                  << "/stats/prometheus /ready /config_dump /clusters\n";
    if (devCa)
        printDevCertificates(gateway.tls(), *devCa, gateway.server().listeners());
    std::cout << "Watching the files: a valid change is served at once. Ctrl+C stops (requests in flight "
                 "finish first).\n"
              << std::flush;

    // A stop signal ends the loop; a change to the files reloads them. The watcher wakes it only
    // when something in the watched folders changed: an idle gateway does nothing here. A watcher
    // that gave up (its folder was moved away) is rebuilt at each check until it can watch again;
    // the fingerprint compared after the rebuild covers what changed in between. One over the
    // folder limit is not: the check once a second serves instead.
    auto watcher = std::make_unique<config::SourceWatcher>(args.paths);
    const int signalFd = signalfd(-1, &stopSignals, SFD_CLOEXEC);
    std::string fingerprint = config::sourcesFingerprint(args.paths);
    int signal = -1;
    while (signal < 0) {
        signal = waitForStopOrChange(signalFd, stopSignals, *watcher);
        if (signal >= 0)
            break;
        if (!watcher->usable() && !watcher->overFolderLimit())
            watcher = std::make_unique<config::SourceWatcher>(args.paths);
        if (std::string now = config::sourcesFingerprint(args.paths); now != fingerprint) {
            fingerprint = std::move(now);
            reload(args, session);
        }
    }
    if (signalFd >= 0)
        ::close(signalFd);
    std::cout << "sluice serve: stopping (" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ")\n"
              << std::flush;
    // Drain while the admin endpoint still answers: /ready says 503 DRAINING meanwhile.
    gateway.server().stop();
    admin.reset();
    session.stop();
    return ExitClean;
}

} // namespace sluice::cli
