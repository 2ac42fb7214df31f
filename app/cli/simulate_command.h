// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sluice::cli {

struct SimulateArgs {
    std::vector<std::string> config;
    std::string profile;
    std::string replay;
    std::string replayFormat; ///< empty: detected
    std::optional<std::uint64_t> requests;
    std::string duration; ///< Go duration ("10s", "1m30s") or plain seconds
    std::optional<double> rate;
    std::string arrivals = "poisson";
    std::uint64_t seed = 1;
    std::string output = "text";
    bool force = false;
};

/// `sluice simulate`: the config's answer to a request mix or a recording in simulated time (no
/// sockets), reported with the same statistics as `load`, marked as simulated.
void addSimulateCommand(CLI::App& app, int& exitCode);
[[nodiscard]] int runSimulate(const SimulateArgs& args);

} // namespace sluice::cli
