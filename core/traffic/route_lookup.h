// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the routing engine says about a request beyond its one weighted pick: the matched route's
// weighted destinations (the configured split), as load reports and `replay --diff` need it.
// No sockets: everything comes from a compiled RouteTable.

#include "metrics/traffic_tally.h"
#include "request_profile.h"
#include "routing/route_action.h"
#include "routing/route_table.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::traffic {

/// The action of the route a decision came from (its `origin`: route config, virtual host,
/// VirtualService, rule and match) in `table`: a gateway route config (any listener or filter
/// chain; route config names are unique across them), or with `mesh` a sidecar's. Null when no
/// route matched (404 NR, connection-level outcomes) or the decision is a TCP one. The one
/// lookup from a decision back to its configured split (load reports, `replay --diff`, the
/// simulator's configured weights).
[[nodiscard]] const routing::RouteAction*
routeActionOf(const routing::RouteTable& table, const routing::RouteOrigin& origin, bool mesh = false);

/// A destination of a route with its share of the route's weight, percent.
struct WeightedTarget {
    std::string host;
    std::string subset;
    std::uint32_t port = 0;
    double percent = 0;
    bool operator==(const WeightedTarget&) const = default;
};

/// What the gateway does with a request as configured: the outcome and status, the rule, and the
/// configured split (every destination with its weight, not the one random pick).
struct RouteSummary {
    routing::Outcome outcome = routing::Outcome::NoRoute;
    int status = 0;
    std::string responseFlag;
    std::string virtualService; ///< "ns/name"; empty: none
    int ruleIndex = -1;
    int matchIndex = -1;
    std::string ruleName;
    std::vector<WeightedTarget> destinations; ///< by host, subset
    std::string location;                     ///< redirects

    /// "default/reviews rule 1 -> reviews.default.svc.cluster.local v2 25%, v3 75%", "404 NR", ...
    [[nodiscard]] std::string text() const;
    /// Whether traffic fares the same: outcome, status, flag, destinations with their weights,
    /// redirect location, VirtualService, and the rule's name when both rules have one. A rule
    /// that only moved (its index changed because one was added before it) is the same routing.
    [[nodiscard]] bool sameRouting(const RouteSummary& other) const;
    bool operator==(const RouteSummary&) const = default;
};

/// Routes `request` with `table` (no trace, a fixed random source) and summarises it.
[[nodiscard]] RouteSummary summarizeRoute(const routing::RouteTable& table, const routing::Request& request);

/// The split a profile should show per destination and subset, percent of the requests that
/// reach one (forwarded): each template's share times its route's weights. Templates with
/// variables are routed `samples` times (random users, ids) and averaged. Empty when nothing is
/// forwarded. Requests go to Gateway port `gatewayPort` (TLS when `tls`); templates without a
/// host use `defaultAuthority`.
[[nodiscard]] std::vector<metrics::DestinationWeight>
expectedSplit(const routing::RouteTable& table, const std::shared_ptr<const RequestProfile>& profile,
              std::uint32_t gatewayPort, bool tls, const std::string& defaultAuthority,
              std::size_t samples = 64);

} // namespace sluice::traffic
