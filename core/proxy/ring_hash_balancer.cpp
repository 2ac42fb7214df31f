// SPDX-License-Identifier: Apache-2.0
#include "ring_hash_balancer.h"

#include <algorithm>

namespace sluice::proxy {

RingHashBalancer::RingHashBalancer(const std::vector<std::string>& keys, std::uint64_t minimumRingSize) {
    if (keys.empty())
        return;
    const std::uint64_t minimum = std::clamp<std::uint64_t>(minimumRingSize, 1, kMaxRingSize);
    // Equal weights: every endpoint gets the same whole number of points (Envoy's scale).
    const std::uint64_t perEndpoint = std::max<std::uint64_t>(
        1, std::min((minimum + keys.size() - 1) / keys.size(), kMaxRingSize / keys.size()));
    m_ring.reserve(static_cast<std::size_t>(perEndpoint * keys.size()));
    std::string key;
    for (std::size_t e = 0; e < keys.size(); ++e) {
        for (std::uint64_t i = 0; i < perEndpoint; ++i) {
            key.assign(keys[e]);
            key += '_';
            key += std::to_string(i);
            m_ring.push_back({stableHash64(key), static_cast<std::uint32_t>(e)});
        }
    }
    std::sort(m_ring.begin(), m_ring.end(), [](const Point& a, const Point& b) {
        return a.hash < b.hash || (a.hash == b.hash && a.endpoint < b.endpoint);
    });
}

std::size_t RingHashBalancer::find(std::uint64_t hash) const {
    const auto it = std::lower_bound(m_ring.begin(), m_ring.end(), hash,
                                     [](const Point& p, std::uint64_t h) { return p.hash < h; });
    return it == m_ring.end() ? 0 : static_cast<std::size_t>(it - m_ring.begin());
}

std::uint32_t RingHashBalancer::owner(std::uint64_t hash) const {
    return m_ring.empty() ? 0 : m_ring[find(hash)].endpoint;
}

std::uint32_t RingHashBalancer::choose(PickContext& ctx) const {
    if (m_ring.empty())
        return ctx.hosts.at(0);
    const std::uint64_t hash = ctx.hash ? *ctx.hash : ctx.rng.next();
    const std::size_t start = (find(hash) + ctx.attempt) % m_ring.size();
    if (ctx.hosts.all)
        return m_ring[start].endpoint;
    for (std::size_t step = 0; step < m_ring.size(); ++step) {
        const std::uint32_t endpoint = m_ring[(start + step) % m_ring.size()].endpoint;
        if (ctx.hosts.contains(endpoint))
            return endpoint;
    }
    return ctx.hosts.at(0);
}

} // namespace sluice::proxy
