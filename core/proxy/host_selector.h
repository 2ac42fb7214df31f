// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster_set.h"
#include "upstream_state.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace sluice::proxy {

/// The endpoints one request has tried so far, for Envoy's previous_hosts retry predicate.
/// Remembers the last 16 (attempts beyond that are rare: retries are counted in single digits).
class TriedEndpoints {
public:
    void add(std::uint32_t endpoint);
    [[nodiscard]] bool contains(std::uint32_t endpoint) const;
    [[nodiscard]] bool empty() const { return m_count == 0; }

private:
    std::array<std::uint32_t, 16> m_list{};
    std::size_t m_count = 0;
};

/// Chooses the endpoint of an attempt as Envoy does: candidates are the healthy endpoints (or
/// all, in panic mode), the cluster's balancer picks among them, and with the previous_hosts
/// predicate (Istio sets it on every route whose destination is not consistent-hashed) a pick
/// that was tried before is redrawn up to 5 times (host_selection_retry_max_attempts), the last
/// draw standing if all were tried.
class HostSelector {
public:
    static constexpr std::uint32_t kSelectionRetries = 5;

    struct Request {
        std::optional<std::uint64_t> hash; ///< consistent hash of the request, if any
        const TriedEndpoints* tried = nullptr;
    };

    /// nullopt: the cluster has no endpoint a request may go to (empty, or all ejected).
    /// `cursor` and `scratch` are the calling worker's (its round-robin position for the cluster and
    /// a reusable list).
    [[nodiscard]] static std::optional<std::uint32_t> select(const ServedCluster& cluster,
                                                             ClusterState& state, const Request& request,
                                                             routing::Rng& rng, std::uint64_t& cursor,
                                                             std::vector<std::uint32_t>& scratch);
    /// The same at time `now` (outlier ejections are judged then): the simulator's clock.
    [[nodiscard]] static std::optional<std::uint32_t> select(const ServedCluster& cluster,
                                                             ClusterState& state, const Request& request,
                                                             routing::Rng& rng, std::uint64_t& cursor,
                                                             std::vector<std::uint32_t>& scratch,
                                                             std::chrono::steady_clock::time_point now);
};

} // namespace sluice::proxy
