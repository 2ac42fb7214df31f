// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sluice::cli {

struct ServeArgs {
    std::vector<std::string> paths;
    std::string bind = "127.0.0.1";
    std::uint16_t portOffset = 8000;
    unsigned workers = 0;
    bool force = false;
    std::string accessLog;                ///< "-" stdout, a file, or empty for none
    std::string accessLogFormat = "text"; ///< "text" (Envoy's default line) or "json" (Istio's keys)
    std::string admin;                    ///< "127.0.0.1:15000"; empty: no admin endpoint
    bool metrics = true;                  ///< per-worker metrics merged every 100 ms
    /// TLS servers without a usable certificate get one from a local development CA.
    bool devCerts = false;
};

/// `sluice serve`: the live proxy on the loaded config, in front of its simulated (or real)
/// workloads, until SIGINT/SIGTERM (then drains and exits 0).
void addServeCommand(CLI::App& app, int& exitCode);
[[nodiscard]] int runServe(const ServeArgs& args);

} // namespace sluice::cli
