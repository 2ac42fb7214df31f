// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sluice::cli {

struct ReplayArgs {
    std::string file;
    std::string format; ///< empty: detected
    std::vector<std::string> config;
    std::string target;
    double speed = 1;
    std::optional<double> rate;
    std::string diff;
    std::string host; ///< for requests that recorded no Host
    unsigned connections = 32;
    unsigned gatewayWorkers = 1;
    std::string timeout = "30s";
    std::string output = "text";
    bool devCerts = false; ///< with -f: development certificates, trusted by the replay
    bool force = false;
    bool quiet = false;
};

/// `sluice replay FILE`: sends recorded traffic again (HAR, Envoy/Istio and nginx logs, Sluice
/// JSONL) with its recorded timing, through the embedded gateway (-f) or to --target; --diff lists
/// the requests another config would route differently.
void addReplayCommand(CLI::App& app, int& exitCode);
[[nodiscard]] int runReplay(const ReplayArgs& args);

} // namespace sluice::cli
