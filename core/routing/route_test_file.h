// SPDX-License-Identifier: Apache-2.0
#pragma once

// The route-test format Sluice owns (ARCHITECTURE.md "Formats the project owns"), also the
// format of ../shared/conformance/routing.yaml.

#include "request.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::routing {

struct DestinationExpectation {
    std::string host;
    std::optional<std::uint32_t> port;
    std::string subset;
};

/// Every key optional; only those given are checked. An inner nullopt means the test wrote `null`.
struct RouteExpectation {
    std::optional<std::string> status; ///< "200", "404", "conn_refused", "conn_reset", "connected"
    std::optional<std::optional<std::string>> cluster;
    std::optional<std::optional<DestinationExpectation>> destination;
    std::optional<std::optional<std::string>> responseFlag;
    std::optional<std::string> location;
    std::optional<std::string> upstreamPath;
    std::optional<std::string> body;
    std::map<std::string, std::string> upstreamHeaders;
    std::vector<std::string> upstreamHeadersAbsent;
    std::map<std::string, std::string> responseHeaders;
    std::map<std::string, double> distribution;
    double tolerance = 0.02;
};

struct RouteTestCase {
    std::string name;
    std::uint32_t line = 0;              ///< where the test starts in its file
    std::vector<std::string> configFiles; ///< resolved paths; empty when inline or inherited
    std::optional<std::string> inlineConfig;
    Request request;
    bool tcp = false;                    ///< request.protocol: tcp
    std::uint32_t repeat = 1;
    bool live = false;                   ///< needs the running proxy
    RouteExpectation expect;
};

struct RouteTestFile {
    std::string path;
    std::vector<std::string> defaultConfig; ///< top-level `config:` resolved against the file's folder
    std::vector<RouteTestCase> cases;
    std::vector<std::string> errors;        ///< "file:line: message" for malformed tests
};

/// Reads a route-test file. Never throws; problems land in `errors`.
[[nodiscard]] RouteTestFile loadRouteTests(const std::string& path);
/// Same, from text (the path resolves relative `config` files).
[[nodiscard]] RouteTestFile parseRouteTests(const std::string& path, const std::string& text);

} // namespace sluice::routing
