// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "event_queue.h"
#include "proxy/cluster_set.h"
#include "proxy/upstream_state.h"

#include <cstdint>
#include <vector>

namespace sluice::traffic {

/// A connection lent to one attempt (what proxy::UpstreamLease is to the live pool).
struct SimLease {
    bool held = false;
    std::uint32_t requests = 0; ///< served on this connection, this one included
    bool countsRequest = false; ///< holds a unit of the cluster's max_requests breaker
};

/// A request waiting for a connection: which exchange, for which of its attempts.
struct PoolWaiter {
    std::uint32_t exchange = 0;
    std::uint64_t token = 0;
};

/// What the pool did to a waiting request: handed it a connection (`handed`), or woke it to try
/// again because a connection of its endpoint closed.
struct PoolWake {
    PoolWaiter waiter;
    bool handed = false;
    std::uint32_t requests = 0; ///< the handed connection's count so far
};

/// The HTTP/1.1 connection pools of one simulated proxy (the gateway, or one workload's sidecar),
/// per cluster and endpoint, under the cluster's circuit breakers (proxy::CircuitBreaker in the
/// proxy's ClusterState), with the live pool's rules (proxy::ConnectionPool) in simulated time:
/// - an attempt takes an idle connection if its endpoint has one (max_requests checked on attach);
/// - else it becomes pending (max_pending_requests: over it, overflow) and opens a connection
///   within max_connections, or the endpoint's first one regardless; else it waits, first come
///   first served, for one of the endpoint's connections to come back or close;
/// - one request per connection at a time; a connection closes after maxRequestsPerConnection
///   requests and is not reused once idle for the cluster's idle timeout.
/// Opening a connection takes no simulated time. Waiters are not called back: the pool lists
/// what happened to them in wakes(), which the caller delivers (as events) and clears.
class SimulatedPool {
public:
    enum class Result : std::uint8_t {
        Ready,    ///< `lease` holds a connection
        Overflow, ///< a circuit breaker is open: 503 UO
        Queued,   ///< waiting (pending); a PoolWake will say when to go on
    };

    explicit SimulatedPool(const proxy::ClusterSet& clusters);

    /// A new attempt for `endpoint` of `cluster` (whose breakers are `state`'s).
    [[nodiscard]] Result acquire(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                                 std::uint32_t endpoint, SimTime now, PoolWaiter waiter, SimLease& lease);
    /// A queued attempt that was woken (not handed a connection) tries again; still pending.
    [[nodiscard]] Result retry(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                               std::uint32_t endpoint, SimTime now, PoolWaiter waiter, SimLease& lease);
    /// A queued attempt takes the connection `wake` handed it; its wait ends.
    [[nodiscard]] Result takeHanded(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                                    std::uint32_t endpoint, SimTime now, const PoolWake& wake,
                                    SimLease& lease);
    /// A queued attempt gives up (its deadline passed): it leaves the queue, its wait ends.
    void abandon(const proxy::ServedCluster& cluster, proxy::ClusterState& state, std::uint32_t endpoint,
                 PoolWaiter waiter);
    /// Ends `lease`: with `keep` the connection goes back (to the first waiter, or idle) unless it
    /// served its maxRequestsPerConnection; otherwise it closes.
    void release(const proxy::ServedCluster& cluster, proxy::ClusterState& state, std::uint32_t endpoint,
                 SimLease& lease, bool keep, SimTime now);

    /// What the operations since the last clear did to waiting requests, in order.
    [[nodiscard]] std::vector<PoolWake>& wakes() { return m_wakes; }
    /// Open connections to `endpoint` of `cluster` (busy or idle), for tests.
    [[nodiscard]] std::uint32_t connections(std::size_t cluster, std::uint32_t endpoint) const;

private:
    struct Idle {
        std::uint32_t requests = 0;
        SimTime since = 0;
    };
    struct Slot {
        std::vector<Idle> idle;
        std::vector<PoolWaiter> waiters; ///< first come, first served
        std::uint32_t connections = 0;   ///< busy or idle
    };

    Slot& slot(const proxy::ServedCluster& cluster, std::uint32_t endpoint);
    [[nodiscard]] bool takeIdle(const proxy::ServedCluster& cluster, proxy::ClusterState& state, Slot& s,
                                SimTime now, Idle& out);
    /// Pending held: an idle connection, a new one, or the queue.
    [[nodiscard]] Result openOrWait(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                                    std::uint32_t endpoint, Slot& s, SimTime now, PoolWaiter waiter,
                                    SimLease& lease);
    [[nodiscard]] Result attach(const proxy::ServedCluster& cluster, proxy::ClusterState& state,
                                std::uint32_t endpoint, Slot& s, Idle connection, SimTime now,
                                SimLease& lease);
    void give(Slot& s, Idle connection);
    void close(proxy::ClusterState& state, Slot& s);
    /// Closes the connections of `cluster` idle past its idle timeout (the live pool's sweep).
    void sweep(const proxy::ServedCluster& cluster, proxy::ClusterState& state, SimTime now);

    std::vector<std::vector<Slot>> m_slots; ///< [cluster][endpoint], made on first use
    std::vector<PoolWake> m_wakes;
};

} // namespace sluice::traffic
