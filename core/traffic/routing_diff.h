// SPDX-License-Identifier: Apache-2.0
#pragma once

// `sluice replay --diff OTHER-CONFIG`: the recorded requests whose routing differs between two
// configs. Both are routed with the routing engine (RouteTable, the one the live proxy routes
// every request with), no sockets: exact and repeatable, where two live gateways would also
// differ by their random weighted picks. A weighted route compares by its configured split.

#include "replay_source.h"
#include "route_lookup.h"
#include "routing/route_table.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sluice::traffic {

struct RoutingChange {
    std::size_t request = 0; ///< index in the prepared requests
    std::size_t record = 0;  ///< index in the recording
    std::size_t line = 0;    ///< where it was recorded (1-based; 0: unknown)
    std::string method;
    std::string authority;
    std::string path;
    std::uint32_t gatewayPort = 0;
    RouteSummary before;
    RouteSummary after;
};

struct RoutingDiff {
    std::size_t compared = 0;
    std::vector<RoutingChange> changes; ///< in recording order
};

/// Routes every prepared request with both tables (to the Gateway port `before` would take it
/// to: gatewayEntryFor(), else 80) and lists those whose routing differs (RouteSummary::sameRouting).
[[nodiscard]] RoutingDiff diffRouting(const routing::RouteTable& before, const routing::RouteTable& after,
                                      const Recording& recording,
                                      const std::vector<PreparedRequest>& requests);

/// The routing request a prepared request makes at Gateway port `gatewayPort`.
[[nodiscard]] routing::Request routingRequestOf(const PreparedRequest& request, std::uint32_t gatewayPort,
                                                bool tls);

} // namespace sluice::traffic
