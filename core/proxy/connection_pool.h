// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy and the simulated workloads (includes Asio).

#include "asio_executor.h"
#include "cluster_set.h"
#include "upstream_state.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::proxy {

struct PoolCore;

/// Shared ownership of a pool's bookkeeping without atomics: a pool and everything that refers
/// to it (leases, waiting requests) live on one worker's thread, or are torn down after it
/// stopped, so a plain count does (no shared_ptr traffic on the request path).
class PoolCoreRef {
public:
    PoolCoreRef() = default;
    explicit PoolCoreRef(PoolCore* core);
    PoolCoreRef(const PoolCoreRef& other);
    PoolCoreRef(PoolCoreRef&& other) noexcept
        : m_core(std::exchange(other.m_core, nullptr)) {}
    PoolCoreRef& operator=(PoolCoreRef other) noexcept {
        std::swap(m_core, other.m_core);
        return *this;
    }
    ~PoolCoreRef();

    [[nodiscard]] explicit operator bool() const { return m_core != nullptr; }
    [[nodiscard]] PoolCore* operator->() const { return m_core; }
    [[nodiscard]] PoolCore& operator*() const { return *m_core; }

private:
    PoolCore* m_core = nullptr;
};

/// An upstream connection of a pool. It stays at one address while it lives, so lending it out
/// and taking it back moves a pointer, not an Asio socket (a move of the socket's executor and
/// reactor state, and a destructor for what was moved from).
struct PooledConnection {
    TcpSocket socket;
    std::uint32_t requests = 0;                    ///< served on it so far
    std::chrono::steady_clock::time_point since{}; ///< idle since
};

/// One upstream connection lent to one request attempt. While it lives, the request counts as in
/// flight on its endpoint (and in the cluster's max_requests breaker). When it ends the connection
/// goes back to the pool if keep() was called and it may serve more requests, else it is closed.
class UpstreamLease {
public:
    UpstreamLease() = default;
    UpstreamLease(UpstreamLease&& other) noexcept;
    UpstreamLease& operator=(UpstreamLease&& other) noexcept;
    UpstreamLease(const UpstreamLease&) = delete;
    UpstreamLease& operator=(const UpstreamLease&) = delete;
    ~UpstreamLease() { release(); }

    [[nodiscard]] explicit operator bool() const { return m_connection != nullptr; }
    [[nodiscard]] TcpSocket& socket() { return m_connection->socket; }
    /// The connection served requests before this one (a stale keep-alive may have been closed).
    [[nodiscard]] bool reused() const { return m_reused; }
    /// The response ended cleanly: the connection may carry another request.
    void keep() { m_keep = true; }
    /// Ends the lease now (also done by the destructor).
    void release();

private:
    friend class ConnectionPool;
    friend struct PoolCore;

    PoolCoreRef m_core;
    std::unique_ptr<PooledConnection> m_connection;
    CircuitBreaker* m_breaker = nullptr;
    std::atomic<std::uint32_t>* m_active = nullptr;
    std::uint64_t m_generation = 0;
    std::uint32_t m_cluster = 0;
    std::uint32_t m_endpoint = 0;
    std::uint32_t m_requests = 0;    ///< served on this connection, this one included
    std::uint32_t m_maxRequests = 0; ///< maxRequestsPerConnection; 0: no limit
    bool m_reused = false;
    bool m_keep = false;
    bool m_countsRequest = false;
};

/// The HTTP/1.1 connection pools of one proxy on one worker, per cluster and endpoint (Envoy's
/// per-worker, per-host pools), under the cluster's circuit breakers (shared by the workers):
/// - a request takes an idle connection if one is open (max_requests checked when attached);
/// - else it becomes pending (max_pending_requests: over it, overflow) and opens a connection
///   if max_connections allows, or if this pool has none at all (Envoy always lets a host pool
///   open one, so its pending requests can progress); else it waits for one of the pool's
///   connections to come back, until the route deadline;
/// - a connection is closed after maxRequestsPerConnection requests, and when idle for the
///   cluster's idle timeout; connecting is bounded by connectTimeout.
/// Single-threaded (the worker's loop); the breakers are the only shared state.
class ConnectionPool {
public:
    using Clock = std::chrono::steady_clock;

    explicit ConnectionPool(Executor executor);
    ~ConnectionPool(); ///< closes the idle connections; leases still out close theirs when they end
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    /// Serves a new config version: idle connections of the previous one are closed, requests
    /// waiting for one go on with a connection of their own.
    void bind(const ClusterSet& clusters);
    /// Closes every idle connection (draining).
    void closeIdle();

    enum class Result : std::uint8_t {
        Ready,         ///< `lease` holds a connected socket
        Overflow,      ///< a circuit breaker is open: 503 UO
        ConnectFailed, ///< refused, unreachable, or connectTimeout passed: 503 UF
        Timeout,       ///< `deadline` passed while pending or connecting: 504 UT
    };
    /// A connection to endpoint `endpoint` of `cluster`, whose breakers are `state`'s. With
    /// `probe`, an idle connection is taken only when a peek shows the upstream has not closed it
    /// meanwhile (a syscall). Without, the caller must treat a reused connection (lease.reused())
    /// that fails before any response byte as stale and retry once on a fresh one, as nginx does
    /// with its upstream keepalive connections.
    /// acquire() when an idle connection is at hand: the result without a coroutine, or nothing
    /// when acquire() has to wait or connect (most requests find one, and it is their hot path).
    [[nodiscard]] std::optional<Result> acquireIdle(const ServedCluster& cluster, ClusterState& state,
                                                    std::uint32_t endpoint, bool probe, UpstreamLease& lease);
    [[nodiscard]] Awaitable<Result> acquire(const ServedCluster& cluster, ClusterState& state,
                                            std::uint32_t endpoint, Clock::time_point deadline, bool probe,
                                            UpstreamLease& lease);
    /// Open connections of this pool (busy, idle or connecting), for tests.
    [[nodiscard]] std::size_t openConnections() const;

private:
    PoolCoreRef m_core;
};

} // namespace sluice::proxy
