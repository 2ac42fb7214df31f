// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/traffic_tally.h"
#include "routing/decision.h"
#include "routing/route_table.h"

#include <cstdint>
#include <vector>

namespace sluice::traffic {

/// The split the config asks for, to print next to the observed one. Counts the requests each
/// route (Istio rule and match) sent to a destination, then weighs every route's destinations by
/// those counts: destination d gets sum over routes r of (requests of r / all counted) x (weight
/// of d in r / total weight of r), in percent, directly comparable with the observed share of
/// the attributed requests. count() is cheap (a short scan of the routes seen so far).
class ConfiguredWeights {
public:
    explicit ConfiguredWeights(const routing::RouteTable& table);

    /// Counts a gateway decision; only one that picked a destination counts.
    void count(const routing::Decision& decision);
    [[nodiscard]] std::vector<metrics::DestinationWeight> weights() const;

private:
    struct Seen {
        routing::RouteOrigin origin; ///< of the first decision counted (route config, rule, match)
        std::uint64_t requests = 0;
    };

    const routing::RouteTable& m_table;
    std::vector<Seen> m_seen;
    std::size_t m_last = 0; ///< the entry the previous request hit
};

} // namespace sluice::traffic
