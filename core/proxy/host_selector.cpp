// SPDX-License-Identifier: Apache-2.0
#include "host_selector.h"

#include <algorithm>

namespace sluice::proxy {

void TriedEndpoints::add(std::uint32_t endpoint) {
    m_list[m_count % m_list.size()] = endpoint;
    ++m_count;
}

bool TriedEndpoints::contains(std::uint32_t endpoint) const {
    const std::size_t n = std::min(m_count, m_list.size());
    return std::find(m_list.begin(), m_list.begin() + static_cast<std::ptrdiff_t>(n), endpoint) !=
           m_list.begin() + static_cast<std::ptrdiff_t>(n);
}

std::optional<std::uint32_t> HostSelector::select(const ServedCluster& cluster, ClusterState& state,
                                                  const Request& request, routing::Rng& rng,
                                                  std::uint64_t& cursor,
                                                  std::vector<std::uint32_t>& scratch) {
    // The clock is read only when outlier detection needs it (a cost on every request otherwise).
    const auto now = state.outlier().enabled() ? std::chrono::steady_clock::now()
                                               : std::chrono::steady_clock::time_point{};
    return select(cluster, state, request, rng, cursor, scratch, now);
}

std::optional<std::uint32_t> HostSelector::select(const ServedCluster& cluster, ClusterState& state,
                                                  const Request& request, routing::Rng& rng,
                                                  std::uint64_t& cursor, std::vector<std::uint32_t>& scratch,
                                                  std::chrono::steady_clock::time_point now) {
    const std::size_t count = cluster.endpoints().size();
    if (count == 0)
        return std::nullopt;
    const HostCandidates hosts =
        state.outlier().enabled() ? state.outlier().candidates(now, scratch) : HostCandidates::every(count);
    if (hosts.size() == 0)
        return std::nullopt;
    PickContext ctx{hosts, request.hash, 0, rng, cursor, state.activeRequests()};
    std::uint32_t picked = cluster.balancer().choose(ctx);
    // Istio leaves the previous_hosts predicate off for consistent-hash destinations: a retry
    // stays with the endpoint its key maps to.
    const bool avoid =
        request.tried && !request.tried->empty() && hosts.size() > 1 && !cluster.policy().hashed();
    for (std::uint32_t attempt = 1; avoid && attempt <= kSelectionRetries && request.tried->contains(picked);
         ++attempt) {
        ctx.attempt = attempt;
        picked = cluster.balancer().choose(ctx);
    }
    return picked;
}

} // namespace sluice::proxy
