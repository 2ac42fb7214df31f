// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "load_balancer.h"

#include <string>
#include <vector>

namespace sluice::proxy {

/// Envoy's RING_HASH (ketama): every endpoint owns ceil(minimumRingSize / endpoints) points on a
/// ring of 64-bit hashes (of "address:port_i"); a request goes to the first point at or after its
/// hash. Removing an endpoint moves only the requests that hashed to it (and, as the points per
/// endpoint grow, a few more). Built once per cluster per config version.
///
/// Ejected endpoints: Envoy rebuilds the ring over the healthy ones; here the walk goes on past
/// them to the next healthy point, which sends their requests to the same neighbours without
/// rebuilding the ring on every ejection.
class RingHashBalancer final : public LoadBalancer {
public:
    static constexpr std::uint64_t kMaxRingSize = 8 * 1024 * 1024; ///< Envoy's default maximum

    RingHashBalancer(const std::vector<std::string>& keys, std::uint64_t minimumRingSize);

    /// Without a hash the request lands at a random point (Envoy). A retry's attempt n moves n
    /// points further on (Envoy's previous-hosts behaviour for the ring).
    [[nodiscard]] std::uint32_t choose(PickContext& ctx) const override;
    /// The endpoint owning `hash` when every endpoint is healthy.
    [[nodiscard]] std::uint32_t owner(std::uint64_t hash) const;
    [[nodiscard]] std::size_t size() const { return m_ring.size(); }

private:
    struct Point {
        std::uint64_t hash;
        std::uint32_t endpoint;
    };
    [[nodiscard]] std::size_t find(std::uint64_t hash) const;

    std::vector<Point> m_ring; ///< sorted by hash
};

} // namespace sluice::proxy
