// SPDX-License-Identifier: Apache-2.0
#include "traffic_cli.h"

#include "dev_certs.h"
#include "diagnostic_formatter.h"
#include "load_command.h"
#include "model/duration.h"
#include "proxy/dev_certificate_authority.h"
#include "replay_command.h"
#include "traffic/embedded_gateway.h"
#include "traffic/progress_line.h"
#include "validate_command.h"
#include "workload/gateway_session.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <map>

#include <pthread.h>
#include <unistd.h>

namespace sluice::cli {

bool startEmbeddedGateway(const TrafficConfig& config, unsigned workers, bool devCerts, const char* command,
                          std::unique_ptr<proxy::DevCertificateAuthority>& devCa,
                          std::unique_ptr<traffic::EmbeddedGateway>& gateway, int& exitCode) {
    if (devCerts && !(devCa = openDevCa(command))) {
        exitCode = ExitUnreadable;
        return false;
    }
    gateway = std::make_unique<traffic::EmbeddedGateway>();
    if (std::string error =
            gateway->start(config.analysis.loaded.resources, config.table, workers, devCa.get());
        !error.empty()) {
        std::cerr << "sluice " << command << ": the embedded gateway did not start: " << error << '\n';
        exitCode = ExitUnreadable;
        return false;
    }
    for (const auto& problem : gateway->tlsProblems())
        std::cerr << "sluice " << command
                  << ": warning: no usable certificate, handshakes fail (see --dev-certs): " << problem
                  << '\n';
    for (const auto& d : gateway->devCertificates())
        std::cerr << "sluice " << command << ": --dev-certs: development certificate for " << d << '\n';
    return true;
}

void addTrafficCommands(CLI::App& app, int& exitCode) {
    addLoadCommand(app, exitCode);
    addReplayCommand(app, exitCode);
}

std::optional<TrafficConfig> loadTrafficConfig(const std::vector<std::string>& paths, bool force,
                                               const char* command, int& exitCode, bool devCerts) {
    TrafficConfig config{analyze(paths, {}), nullptr};
    model::Diagnostics errors;
    for (const auto& d : config.analysis.diagnostics)
        if (d.level >= model::Level::Error)
            errors.push_back(d);
    const DiagnosticFormatter text(config.analysis.loaded.resources, OutputFormat::Text,
                                   isatty(STDERR_FILENO) != 0);
    text.write(errors, std::cerr);
    if (config.analysis.loaded.unreadable) {
        std::cerr << "sluice " << command << ": some input could not be read.\n";
        exitCode = ExitUnreadable;
        return std::nullopt;
    }
    if (workload::GatewaySession::blockingErrors(errors, devCerts) > 0 && !force) {
        std::cerr
            << summaryLine(config.analysis) << "\nsluice " << command
            << ": the config has errors (Istio's webhook would refuse it); not serving it. Fix them, or "
               "pass --force.\n";
        exitCode = ExitFindings;
        return std::nullopt;
    }
    config.table = routing::compile(config.analysis.loaded.resources);
    if (config.table->listeners().empty()) {
        std::cerr << "sluice " << command
                  << ": no Gateway server applies to the ingress gateway: nothing to send to.\n";
        exitCode = ExitUnreadable;
        return std::nullopt;
    }
    return config;
}

std::optional<std::chrono::microseconds> parseDurationText(const std::string& text) {
    double seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) {
        if (!std::isfinite(seconds) || std::abs(seconds) > 1e9)
            return std::nullopt;
        return std::chrono::microseconds(static_cast<std::int64_t>(std::llround(seconds * 1e6)));
    }
    const auto d = model::Duration::parse(text);
    if (!d)
        return std::nullopt;
    return std::chrono::duration_cast<std::chrono::microseconds>(d->value());
}

StopSignals::StopSignals() {
    sigemptyset(&m_signals);
    sigaddset(&m_signals, SIGINT);
    sigaddset(&m_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &m_signals, &m_previous);
}

StopSignals::~StopSignals() {
    pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
}

bool StopSignals::wait(std::chrono::milliseconds timeout) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    const timespec t{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    return sigtimedwait(&m_signals, nullptr, &t) >= 0;
}

namespace {

/// Several engines (a replay to several Gateway ports) report the same second: summed, the worst
/// percentiles kept.
std::vector<traffic::SecondSummary> pollAll(const std::vector<traffic::LoadEngine*>& engines,
                                            std::map<std::int64_t, traffic::SecondSummary>& pending,
                                            std::vector<std::int64_t>& through) {
    for (std::size_t i = 0; i < engines.size(); ++i)
        for (const auto& s : engines[i]->poll()) {
            auto& p = pending[s.second];
            p.second = s.second;
            p.requests += s.requests;
            p.errors += s.errors;
            p.p50 = std::max(p.p50, s.p50);
            p.p99 = std::max(p.p99, s.p99);
            through[i] = std::max(through[i], s.second);
        }
    std::int64_t ready = INT64_MAX;
    for (std::size_t i = 0; i < engines.size(); ++i)
        ready = std::min(ready, engines[i]->done() ? INT64_MAX : through[i]);
    std::vector<traffic::SecondSummary> out;
    while (!pending.empty() && pending.begin()->first <= ready) {
        out.push_back(pending.begin()->second);
        pending.erase(pending.begin());
    }
    return out;
}

} // namespace

bool driveWithProgress(const std::vector<traffic::LoadEngine*>& engines, const ProgressPlan& plan,
                       StopSignals& signals) {
    const bool tty = isatty(STDERR_FILENO) != 0;
    std::map<std::int64_t, traffic::SecondSummary> pending;
    std::vector<std::int64_t> through(engines.size(), -1);
    std::optional<traffic::SecondSummary> last;
    std::uint64_t requests = 0;
    bool interrupted = false;
    const auto allDone = [&] {
        return std::all_of(engines.begin(), engines.end(),
                           [](const traffic::LoadEngine* e) { return e->done(); });
    };
    bool drawn = false;
    while (!allDone()) {
        if (signals.wait(std::chrono::milliseconds(tty ? 200 : 250)) && !interrupted) {
            interrupted = true;
            for (auto* e : engines)
                e->stop();
            if (tty && drawn)
                std::cerr << "\r\033[K";
            std::cerr << "sluice: stopping (interrupted); the results so far follow\n";
            drawn = false;
        }
        if (plan.quiet)
            continue;
        for (const auto& s : pollAll(engines, pending, through)) {
            requests += s.requests;
            last = s;
            if (!tty)
                std::cerr << traffic::ProgressLine::second(s) << '\n';
        }
        if (tty && !interrupted) {
            const double elapsed = engines.empty() ? 0.0 : engines.front()->elapsedSeconds();
            double fraction = 0;
            if (plan.seconds && *plan.seconds > 0)
                fraction = elapsed / *plan.seconds;
            else if (plan.requests && *plan.requests > 0)
                fraction = static_cast<double>(requests) / static_cast<double>(*plan.requests);
            std::cerr << "\r\033[K"
                      << traffic::ProgressLine::bar(fraction, std::max(elapsed, 0.0), plan.seconds, last)
                      << std::flush;
            drawn = true;
        }
    }
    if (tty && drawn)
        std::cerr << "\r\033[K" << std::flush;
    if (!plan.quiet && !tty)
        for (const auto& s : pollAll(engines, pending, through))
            std::cerr << traffic::ProgressLine::second(s) << '\n';
    return interrupted;
}

} // namespace sluice::cli
