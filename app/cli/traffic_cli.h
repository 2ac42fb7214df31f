// SPDX-License-Identifier: Apache-2.0
#pragma once

// What `sluice load` and `sluice replay` share: loading the config they serve, durations, the
// stop signals and the live progress on stderr.

#include "analysis.h"
#include "routing/route_table.h"
#include "traffic/load_engine.h"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::proxy {
class DevCertificateAuthority;
}
namespace sluice::traffic {
class EmbeddedGateway;
}

namespace CLI {
class App;
}

namespace sluice::cli {

/// Registers `sluice load` (load_command.h) and `sluice replay` (replay_command.h).
void addTrafficCommands(CLI::App& app, int& exitCode);

/// A config loaded, validated and compiled to be served by the embedded gateway.
struct TrafficConfig {
    Analysis analysis;
    routing::RouteTablePtr table;
};

/// Loads `paths` for `command` ("load", "replay"), printing its diagnostics (errors only) on
/// stderr. nullopt with `exitCode` set when it must not be served: unreadable input (2), errors
/// Istio's webhook would refuse (1) unless `force`, or no Gateway listener at all (2). With
/// `devCerts`, a server's missing or unusable credentialName is no such error
/// (GatewaySession::blockingErrors()).
[[nodiscard]] std::optional<TrafficConfig> loadTrafficConfig(const std::vector<std::string>& paths,
                                                             bool force, const char* command, int& exitCode,
                                                             bool devCerts = false);

/// Starts the embedded gateway of `load -f` / `replay -f` on `config` into `gateway`, with
/// `workers` threads; with `devCerts`, first opens the development CA into `devCa` (the caller
/// keeps it alive longer than the gateway). Prints the certificate warnings as `sluice COMMAND`.
/// False, with the reason printed and `exitCode` set, when it cannot start.
[[nodiscard]] bool startEmbeddedGateway(const TrafficConfig& config, unsigned workers, bool devCerts,
                                        const char* command,
                                        std::unique_ptr<proxy::DevCertificateAuthority>& devCa,
                                        std::unique_ptr<traffic::EmbeddedGateway>& gateway, int& exitCode);

/// "10s", "1m30s", "500ms" (Go durations, as Istio writes them) or a plain number of seconds.
[[nodiscard]] std::optional<std::chrono::microseconds> parseDurationText(const std::string& text);

/// SIGINT and SIGTERM, blocked in this thread and every thread started after it (the engines'
/// and the gateway's workers), waited for here. Construct before starting any thread.
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    /// Waits up to `timeout`; true when a stop signal came.
    [[nodiscard]] bool wait(std::chrono::milliseconds timeout);

private:
    sigset_t m_signals{};
    sigset_t m_previous{};
};

/// What the progress display knows about the run's length.
struct ProgressPlan {
    std::optional<double> seconds;         ///< a run of this duration
    std::optional<std::uint64_t> requests; ///< or of this many requests
    bool quiet = false;                    ///< no progress at all
};

/// Waits for `engines` to finish, printing each completed second on stderr (on a terminal, one
/// line redrawn with a progress bar). A stop signal stops them: their partial results are kept.
/// Returns true when the run was interrupted.
bool driveWithProgress(const std::vector<traffic::LoadEngine*>& engines, const ProgressPlan& plan,
                       StopSignals& signals);

} // namespace sluice::cli
