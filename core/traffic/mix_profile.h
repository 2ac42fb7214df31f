// SPDX-License-Identifier: Apache-2.0
#pragma once

// Request profiles made from the routes of a config, for load runs that name no profile file:
// the Studio's "built from the routes in view" mix and its "Run demo" traffic.

#include "model/resource_set.h"
#include "request_mix.h"
#include "request_profile.h"
#include "routing/route_table.h"

#include <cstdint>

namespace sluice::traffic {

class MixProfile {
public:
    /// The templates of `mix` that go to Gateway port `gatewayPort` (over TLS when `tls`), as a
    /// profile with the same weights and no variables. Empty requests when none does.
    [[nodiscard]] static RequestProfile fromMix(const RequestMix& mix, std::uint32_t gatewayPort, bool tls);

    /// The gentle mixed traffic of the Studio's "Run demo": every route the gateway serves on
    /// `gatewayPort` (DefaultMix: the product page, a canary split...), three requests in four
    /// anonymous and one in four as the test user of Istio's request-routing task
    /// (`end-user: jason`, which bookinfo's productpage propagates to reviews, routed to v2).
    [[nodiscard]] static RequestProfile demo(const model::ResourceSet& resources,
                                             const routing::RouteTable& table, std::uint32_t gatewayPort,
                                             bool tls);

    static constexpr double kDemoRate = 200; ///< requests per second
    static constexpr unsigned kDemoConnections = 8;
};

} // namespace sluice::traffic
