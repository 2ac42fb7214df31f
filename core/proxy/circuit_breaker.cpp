// SPDX-License-Identifier: Apache-2.0
#include "circuit_breaker.h"

namespace sluice::proxy {

CircuitBreaker::CircuitBreaker(const ConnectionLimits& limits)
    : m_limits(limits) {}

std::atomic<std::uint32_t>& CircuitBreaker::counter(Resource r) {
    switch (r) {
    case Resource::Connections:
        return m_connections;
    case Resource::PendingRequests:
        return m_pending;
    case Resource::Requests:
        return m_requests;
    case Resource::Retries:
        break;
    }
    return m_retries;
}

const std::atomic<std::uint32_t>& CircuitBreaker::counter(Resource r) const {
    return const_cast<CircuitBreaker*>(this)->counter(r);
}

std::uint32_t CircuitBreaker::limit(Resource r) const {
    switch (r) {
    case Resource::Connections:
        return m_limits.maxConnections;
    case Resource::PendingRequests:
        return m_limits.maxPendingRequests;
    case Resource::Requests:
        return m_limits.maxRequests;
    case Resource::Retries:
        break;
    }
    return m_limits.maxRetries;
}

bool CircuitBreaker::tryAcquire(Resource r) {
    if (!tracked(r))
        return true;
    const std::uint32_t max = limit(r);
    std::atomic<std::uint32_t>& c = counter(r);
    // Increment first, undo on overflow: two workers racing for the last unit cannot both win.
    if (c.fetch_add(1, std::memory_order_relaxed) >= max) {
        c.fetch_sub(1, std::memory_order_relaxed);
        return false;
    }
    return true;
}

void CircuitBreaker::forceAcquire(Resource r) {
    if (tracked(r))
        counter(r).fetch_add(1, std::memory_order_relaxed);
}

void CircuitBreaker::release(Resource r) {
    if (tracked(r))
        counter(r).fetch_sub(1, std::memory_order_relaxed);
}

std::uint32_t CircuitBreaker::inUse(Resource r) const {
    return counter(r).load(std::memory_order_relaxed);
}

} // namespace sluice::proxy
