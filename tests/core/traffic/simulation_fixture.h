// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the simulator tests share: configs from YAML or the samples, run with options.

#include "config/loader.h"
#include "routing/route_table.h"
#include "traffic/traffic_simulator.h"

#include <string>
#include <vector>

namespace sluice::traffic::test {

struct LoadedConfig {
    config::LoadResult loaded;
    routing::RouteTablePtr table;
};

inline LoadedConfig fromYaml(const std::string& yaml) {
    LoadedConfig c;
    config::loadText("test.yaml", yaml, c.loaded);
    config::dropRedefinedResources(c.loaded);
    c.table = routing::compile(c.loaded.resources);
    return c;
}

inline LoadedConfig fromSamples(const std::vector<std::string>& folders, const std::string& extraYaml = {}) {
    LoadedConfig c;
    std::vector<std::string> paths;
    for (const auto& f : folders)
        paths.push_back(std::string(SLUICE_SOURCE_DIR "/samples/") + f);
    c.loaded = config::loadPaths(paths);
    if (!extraYaml.empty()) {
        config::loadText("extra.yaml", extraYaml, c.loaded);
        config::dropRedefinedResources(c.loaded);
    }
    c.table = routing::compile(c.loaded.resources);
    return c;
}

inline SimulationResult simulate(const LoadedConfig& c, const SimulationOptions& options,
                                 const RequestMix* mix = nullptr, const Recording* recording = nullptr) {
    return TrafficSimulator::run({c.loaded.resources, c.table, mix, recording, nullptr}, options);
}

inline SimulationOptions requestsAt(std::uint64_t requests, double rate, std::uint64_t seed = 1,
                                    ArrivalProcess process = ArrivalProcess::Poisson) {
    SimulationOptions o;
    o.requests = requests;
    o.rate = rate;
    o.seed = seed;
    o.arrivals = process;
    return o;
}

/// A gateway for web.example.com routing to Service `web` (port 80) with `http` as the
/// VirtualService's http block (indented under `http:`), plus `extra` documents (a
/// DestinationRule, Workloads).
inline std::string webConfig(const std::string& http, const std::string& extra) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web-gateway, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [web.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: [web.example.com]
  gateways: [istio-system/web-gateway]
  http:
)" + http + R"(
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
)" + extra;
}

inline std::uint64_t statusCount(const metrics::TrafficReport& r, int status) {
    const auto it = r.statusCodes.find(status);
    return it == r.statusCodes.end() ? 0 : it->second;
}

inline std::uint64_t flagCount(const metrics::TrafficReport& r, const std::string& flag) {
    const auto it = r.responseFlags.find(flag);
    return it == r.responseFlags.end() ? 0 : it->second;
}

} // namespace sluice::traffic::test
