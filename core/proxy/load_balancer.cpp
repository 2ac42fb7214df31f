// SPDX-License-Identifier: Apache-2.0
#include "load_balancer.h"

#include "least_request_balancer.h"
#include "maglev_table.h"
#include "random_balancer.h"
#include "ring_hash_balancer.h"
#include "round_robin_balancer.h"

#include <algorithm>

namespace sluice::proxy {

bool HostCandidates::contains(std::uint32_t endpoint) const {
    if (all)
        return endpoint < total;
    return std::binary_search(healthy.begin(), healthy.end(), endpoint);
}

std::string_view lbPolicyName(LbPolicy policy) {
    switch (policy) {
    case LbPolicy::RoundRobin:
        return "ROUND_ROBIN";
    case LbPolicy::LeastRequest:
        return "LEAST_REQUEST";
    case LbPolicy::Random:
        return "RANDOM";
    case LbPolicy::RingHash:
        return "RING_HASH";
    case LbPolicy::Maglev:
        return "MAGLEV";
    }
    return "";
}

std::uint64_t stableHash64(std::string_view data, std::uint64_t seed) {
    std::uint64_t h = 0xcbf29ce484222325ull ^ (seed * 0x9E3779B97F4A7C15ull);
    for (const char c : data) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBull;
    return h ^ (h >> 31);
}

LoadBalancerPtr makeLoadBalancer(const ClusterPolicy& policy, const std::vector<std::string>& keys) {
    switch (policy.lb) {
    case LbPolicy::RoundRobin:
        return std::make_unique<RoundRobinBalancer>();
    case LbPolicy::LeastRequest:
        return std::make_unique<LeastRequestBalancer>();
    case LbPolicy::Random:
        return std::make_unique<RandomBalancer>();
    case LbPolicy::RingHash:
        return std::make_unique<RingHashBalancer>(keys, policy.minimumRingSize);
    case LbPolicy::Maglev:
        return std::make_unique<MaglevTable>(keys, policy.maglevTableSize);
    }
    return std::make_unique<LeastRequestBalancer>();
}

} // namespace sluice::proxy
