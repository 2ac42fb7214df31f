// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sluice::cli {

struct RouteArgs {
    std::vector<std::string> config;
    std::string gateway;                 ///< "ns/name" (its selector picks the workload) or "mesh"
    std::optional<std::uint32_t> port;
    std::vector<std::string> headers;    ///< "name: value"
    bool tls = false;
    std::string sni;
    std::string method = "GET";
    std::string output = "text";
    std::vector<std::string> sourceLabels; ///< mesh: "k=v"
    std::string sourceNamespace = "default";
    std::string url;
};

/// `sluice route` (one request: decision and trace) and `sluice routes` (the effective table).
void addRouteCommands(CLI::App& app, int& exitCode);
[[nodiscard]] int runRoute(const RouteArgs& args);

} // namespace sluice::cli
