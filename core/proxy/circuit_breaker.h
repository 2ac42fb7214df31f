// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster_policy.h"

#include <atomic>
#include <cstdint>

namespace sluice::proxy {

/// Envoy's circuit breakers for one cluster of one proxy (its ResourceManager): counters of
/// connections, pending requests, requests and retries in flight, shared by all the proxy's
/// workers as relaxed atomics, and the thresholds from the DestinationRule's connectionPool.
/// A resource over its threshold is an overflow (503 UO). Thread-safe, lock-free.
class CircuitBreaker {
public:
    enum class Resource : std::uint8_t { Connections, PendingRequests, Requests, Retries };

    explicit CircuitBreaker(const ConnectionLimits& limits);

    /// Takes one unit of `r` if that keeps it within its threshold. False: overflow.
    [[nodiscard]] bool tryAcquire(Resource r);
    /// Takes one unit whatever the threshold (Envoy opens a host's first connection even when
    /// the cluster is at max_connections, so that its pending requests can make progress).
    void forceAcquire(Resource r);
    void release(Resource r);

    [[nodiscard]] std::uint32_t inUse(Resource r) const;
    [[nodiscard]] std::uint32_t limit(Resource r) const;
    /// Whether `r` is counted at all: thresholds left at Istio's 2^32-1 are never reached, so the
    /// request path skips their counters.
    [[nodiscard]] bool tracked(Resource r) const {
        return limit(r) != kUnlimited || r == Resource::Connections;
    }

private:
    [[nodiscard]] std::atomic<std::uint32_t>& counter(Resource r);
    [[nodiscard]] const std::atomic<std::uint32_t>& counter(Resource r) const;

    ConnectionLimits m_limits;
    std::atomic<std::uint32_t> m_connections{0};
    std::atomic<std::uint32_t> m_pending{0};
    std::atomic<std::uint32_t> m_requests{0};
    std::atomic<std::uint32_t> m_retries{0};
};

} // namespace sluice::proxy
