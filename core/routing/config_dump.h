// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "route_table.h"

#include <string>

namespace sluice::routing {

/// The compiled routing state as JSON, shaped after Envoy's /config_dump (snake_case names of
/// Envoy's listener and route protos): every listener with its filter chains, route configs,
/// virtual hosts and routes (match, then route / redirect / direct_response with their policies),
/// each route naming the VirtualService rule it came from and where it is written; then the mesh
/// (sidecar) route configs. What the admin endpoint's /config_dump serves.
class ConfigDump {
public:
    /// The dump of `table`, indented by `indent` spaces (-1: one line).
    [[nodiscard]] static std::string json(const RouteTable& table, int indent = 2);
};

} // namespace sluice::routing
