// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "circuit_breaker.h"
#include "upstream_state.h"

#include <atomic>
#include <cstdint>

namespace sluice::proxy {

/// An HTTP/2 attempt's hold on its cluster while its stream lives: Envoy's HTTP/2 pools count
/// streams against max_requests (Istio's http2MaxRequests), and the endpoint's active requests
/// feed least-request balancing, as a leased HTTP/1.1 connection does.
class StreamHold {
public:
    StreamHold(ClusterState& state, std::uint32_t endpoint)
        : m_state(state)
        , m_endpoint(endpoint) {}
    ~StreamHold() { release(); }
    StreamHold(const StreamHold&) = delete;
    StreamHold& operator=(const StreamHold&) = delete;

    /// False: the cluster is at max_requests (an overflow, never retried).
    [[nodiscard]] bool acquire() {
        m_counts = m_state.breaker().tracked(CircuitBreaker::Resource::Requests);
        if (m_counts && !m_state.breaker().tryAcquire(CircuitBreaker::Resource::Requests)) {
            m_counts = false;
            return false;
        }
        m_active = m_state.activeRequests() + m_endpoint;
        m_active->fetch_add(1, std::memory_order_relaxed);
        return true;
    }

    void release() {
        if (m_counts)
            m_state.breaker().release(CircuitBreaker::Resource::Requests);
        if (m_active)
            m_active->fetch_sub(1, std::memory_order_relaxed);
        m_counts = false;
        m_active = nullptr;
    }

private:
    ClusterState& m_state;
    std::uint32_t m_endpoint;
    bool m_counts = false;
    std::atomic<std::uint32_t>* m_active = nullptr;
};

} // namespace sluice::proxy
