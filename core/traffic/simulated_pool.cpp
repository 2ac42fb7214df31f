// SPDX-License-Identifier: Apache-2.0
#include "simulated_pool.h"

#include <algorithm>

namespace sluice::traffic {
namespace {

using Resource = proxy::CircuitBreaker::Resource;

SimTime idleTimeoutOf(const proxy::ServedCluster& cluster) {
    return static_cast<SimTime>(cluster.policy().pool.idleTimeout.count()) * 1'000'000;
}

} // namespace

SimulatedPool::SimulatedPool(const proxy::ClusterSet& clusters)
    : m_slots(clusters.size()) {}

SimulatedPool::Slot& SimulatedPool::slot(const proxy::ServedCluster& cluster, std::uint32_t endpoint) {
    auto& slots = m_slots[cluster.index()];
    if (slots.empty())
        slots.resize(cluster.endpoints().size());
    return slots[endpoint];
}

std::uint32_t SimulatedPool::connections(std::size_t cluster, std::uint32_t endpoint) const {
    if (cluster >= m_slots.size() || endpoint >= m_slots[cluster].size())
        return 0;
    return m_slots[cluster][endpoint].connections;
}

void SimulatedPool::close(proxy::ClusterState& state, Slot& s) {
    --s.connections;
    state.breaker().release(Resource::Connections);
    // A connection of this endpoint closed: the first waiter may open one now.
    if (!s.waiters.empty()) {
        m_wakes.push_back({s.waiters.front(), false, 0});
        s.waiters.erase(s.waiters.begin());
    }
}

void SimulatedPool::give(Slot& s, Idle connection) {
    if (!s.waiters.empty()) {
        m_wakes.push_back({s.waiters.front(), true, connection.requests});
        s.waiters.erase(s.waiters.begin());
        return;
    }
    s.idle.push_back(connection);
}

bool SimulatedPool::takeIdle(const proxy::ServedCluster& cluster, proxy::ClusterState& state, Slot& s,
                             SimTime now, Idle& out) {
    while (!s.idle.empty()) {
        const Idle c = s.idle.back();
        s.idle.pop_back();
        if (now - c.since < idleTimeoutOf(cluster)) {
            out = c;
            return true;
        }
        close(state, s);
    }
    return false;
}

void SimulatedPool::sweep(const proxy::ServedCluster& cluster, proxy::ClusterState& state, SimTime now) {
    const SimTime timeout = idleTimeoutOf(cluster);
    for (Slot& s : m_slots[cluster.index()]) {
        const auto stale = std::remove_if(s.idle.begin(), s.idle.end(),
                                          [&](const Idle& c) { return now - c.since >= timeout; });
        const auto closing = static_cast<std::size_t>(s.idle.end() - stale);
        s.idle.erase(stale, s.idle.end());
        for (std::size_t i = 0; i < closing; ++i)
            close(state, s);
    }
}

SimulatedPool::Result SimulatedPool::attach(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                                            std::uint32_t endpoint, Slot& s, Idle connection, SimTime now,
                                            SimLease& lease) {
    (void)cluster;
    // max_requests is checked once a connection is at hand (Envoy); the connection stays pooled.
    const bool counts = state.breaker().tracked(Resource::Requests);
    if (counts && !state.breaker().tryAcquire(Resource::Requests)) {
        give(s, {connection.requests, now});
        return Result::Overflow;
    }
    lease.held = true;
    lease.requests = connection.requests + 1;
    lease.countsRequest = counts;
    state.activeRequests()[endpoint].fetch_add(1, std::memory_order_relaxed);
    return Result::Ready;
}

SimulatedPool::Result SimulatedPool::openOrWait(const proxy::ServedCluster& cluster,
                                                proxy::ClusterState& state, std::uint32_t endpoint, Slot& s,
                                                SimTime now, PoolWaiter waiter, SimLease& lease) {
    proxy::CircuitBreaker& breaker = state.breaker();
    Idle idle;
    if (takeIdle(cluster, state, s, now, idle)) {
        breaker.release(Resource::PendingRequests);
        return attach(cluster, state, endpoint, s, idle, now, lease);
    }
    // Envoy opens a connection within max_connections, or the host pool's first one regardless.
    bool open = false;
    if (s.connections == 0) {
        breaker.forceAcquire(Resource::Connections);
        open = true;
    } else {
        open = breaker.tryAcquire(Resource::Connections);
        if (!open) { // the live pool's sweep would have closed expired idle connections by now
            sweep(cluster, state, now);
            open = breaker.tryAcquire(Resource::Connections);
        }
    }
    if (open) {
        ++s.connections;
        breaker.release(Resource::PendingRequests);
        return attach(cluster, state, endpoint, s, {0, now}, now, lease);
    }
    s.waiters.push_back(waiter);
    return Result::Queued;
}

SimulatedPool::Result SimulatedPool::acquire(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                                             std::uint32_t endpoint, SimTime now, PoolWaiter waiter,
                                             SimLease& lease) {
    Slot& s = slot(cluster, endpoint);
    Idle idle;
    if (takeIdle(cluster, state, s, now, idle))
        return attach(cluster, state, endpoint, s, idle, now, lease);
    if (!state.breaker().tryAcquire(Resource::PendingRequests))
        return Result::Overflow;
    return openOrWait(cluster, state, endpoint, s, now, waiter, lease);
}

SimulatedPool::Result SimulatedPool::retry(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                                           std::uint32_t endpoint, SimTime now, PoolWaiter waiter,
                                           SimLease& lease) {
    return openOrWait(cluster, state, endpoint, slot(cluster, endpoint), now, waiter, lease);
}

SimulatedPool::Result SimulatedPool::takeHanded(const proxy::ServedCluster& cluster,
                                                proxy::ClusterState& state, std::uint32_t endpoint,
                                                SimTime now, const PoolWake& wake, SimLease& lease) {
    state.breaker().release(Resource::PendingRequests);
    return attach(cluster, state, endpoint, slot(cluster, endpoint), {wake.requests, now}, now, lease);
}

void SimulatedPool::abandon(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                            std::uint32_t endpoint, PoolWaiter waiter) {
    auto& waiters = slot(cluster, endpoint).waiters;
    waiters.erase(std::remove_if(waiters.begin(), waiters.end(),
                                 [&](const PoolWaiter& w) {
                                     return w.exchange == waiter.exchange && w.token == waiter.token;
                                 }),
                  waiters.end());
    state.breaker().release(Resource::PendingRequests);
}

void SimulatedPool::release(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                            std::uint32_t endpoint, SimLease& lease, bool keep, SimTime now) {
    if (!lease.held)
        return;
    if (lease.countsRequest)
        state.breaker().release(Resource::Requests);
    state.activeRequests()[endpoint].fetch_sub(1, std::memory_order_relaxed);
    Slot& s = slot(cluster, endpoint);
    const std::uint32_t max = cluster.policy().pool.maxRequestsPerConnection;
    if (keep && (max == 0 || lease.requests < max))
        give(s, {lease.requests, now});
    else
        close(state, s);
    lease = {};
}

} // namespace sluice::traffic
