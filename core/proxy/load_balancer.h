// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster_policy.h"
#include "routing/rng.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sluice::proxy {

/// The endpoints a pick may land on: every endpoint of the cluster, or only the healthy ones
/// (some are ejected by outlier detection and the cluster is not in panic mode).
struct HostCandidates {
    std::size_t total = 0;                  ///< endpoints in the cluster
    std::span<const std::uint32_t> healthy; ///< ascending endpoint indices; unused when `all`
    bool all = true;

    [[nodiscard]] std::size_t size() const { return all ? total : healthy.size(); }
    [[nodiscard]] std::uint32_t at(std::size_t i) const {
        return all ? static_cast<std::uint32_t>(i) : healthy[i];
    }
    [[nodiscard]] bool contains(std::uint32_t endpoint) const;

    /// Every endpoint of a cluster of `count`.
    [[nodiscard]] static HostCandidates every(std::size_t count) { return {count, {}, true}; }
};

/// What one host choice needs besides the balancer's own (immutable) state.
struct PickContext {
    const HostCandidates& hosts;
    std::optional<std::uint64_t> hash; ///< the request's hash (consistent hashing); none: random
    std::uint32_t attempt = 0;         ///< host-selection attempt of the previous-hosts predicate
    routing::Rng& rng;                 ///< the calling worker's
    std::uint64_t& cursor;             ///< the calling worker's round-robin position for the cluster
    /// Requests in flight per endpoint (Envoy's rq_active), for least request; may be null.
    const std::atomic<std::uint32_t>* activeRequests = nullptr;
};

/// Envoy's load balancer for one cluster: picks an endpoint among the candidates. Built once per
/// cluster per config version and shared by every worker, so choose() is const; per-worker state
/// (the round-robin cursor, the random source) comes in the context.
class LoadBalancer {
public:
    virtual ~LoadBalancer() = default;
    /// An endpoint index among `ctx.hosts`, which is never empty.
    [[nodiscard]] virtual std::uint32_t choose(PickContext& ctx) const = 0;
};

using LoadBalancerPtr = std::unique_ptr<const LoadBalancer>;

/// The balancer `policy` asks for over endpoints named by `keys` ("address:port", what ring hash
/// and Maglev hash to place them).
[[nodiscard]] LoadBalancerPtr makeLoadBalancer(const ClusterPolicy& policy,
                                               const std::vector<std::string>& keys);

/// A 64-bit hash of `data` (FNV-1a, then SplitMix64's finalizer for avalanche), stable across
/// runs: what endpoints are placed by and requests hashed with.
[[nodiscard]] std::uint64_t stableHash64(std::string_view data, std::uint64_t seed = 0);

} // namespace sluice::proxy
