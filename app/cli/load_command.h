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

struct LoadArgs {
    std::vector<std::string> config; ///< -f: serve these with the embedded gateway and send through it
    std::string url;                 ///< the target (no -f), or with -f the Host, path and Gateway port
    std::string profile;
    std::optional<double> rate;
    std::optional<unsigned> connections;
    unsigned streams = 1;
    unsigned workers = 1;
    unsigned gatewayWorkers = 1;
    std::string duration;
    std::optional<std::uint64_t> requests;
    std::string arrivals = "constant";
    bool h2 = false;
    std::string output = "text";
    std::string csv;
    std::string seriesJson; ///< --series-json FILE: the time series as JSON
    std::string timeout = "30s";
    std::string cacert;
    std::string cert;
    std::string key;
    std::string sni;
    std::uint64_t seed = 0x5EED;
    bool devCerts = false; ///< with -f: development certificates, trusted by the generator
    bool force = false;
    bool quiet = false;
};

/// `sluice load`: a load generator, closed or open loop, against a URL or through the embedded
/// gateway serving -f CONFIG; live progress on stderr, the report on stdout.
void addLoadCommand(CLI::App& app, int& exitCode);
[[nodiscard]] int runLoad(const LoadArgs& args);

} // namespace sluice::cli
