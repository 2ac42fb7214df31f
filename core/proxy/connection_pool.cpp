// SPDX-License-Identifier: Apache-2.0
#include "connection_pool.h"

#include "asio_executor.h"
#include "coarse_clock.h"
#include "upstream_connector.h"

#include <algorithm>
#include <vector>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sys/socket.h>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = ConnectionPool::Clock;
using Resource = CircuitBreaker::Resource;

Clock::time_point bounded(Clock::time_point deadline) {
    return UpstreamConnector::bounded(deadline);
}

using Connection = std::unique_ptr<PooledConnection>;

struct Waiter;

struct Slot {
    std::vector<Connection> idle;
    std::vector<Waiter*> waiters;  ///< first come, first served
    std::uint32_t connections = 0; ///< open on this worker: busy, idle or connecting
    std::chrono::milliseconds idleTimeout{0};
    CircuitBreaker* breaker = nullptr; ///< whose Connections count the idle ones hold
};

/// A request waiting for a connection of its slot; lives in the waiting coroutine's frame.
struct Waiter {
    explicit Waiter(const Executor& executor)
        : timer(executor) {}
    ~Waiter() {
        if (queued && slot)
            slot->waiters.erase(std::remove(slot->waiters.begin(), slot->waiters.end(), this),
                                slot->waiters.end());
    }
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;

    SteadyTimer timer;
    Connection handed;
    Slot* slot = nullptr;
    bool queued = false;
};

/// An idle connection whose upstream closed it (FIN or stray bytes waiting) cannot carry a request.
bool stillOpen(TcpSocket& socket) {
    char probe = 0;
    const auto n = ::recv(socket.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

} // namespace

struct PoolCore {
    explicit PoolCore(Executor ex)
        : executor(std::move(ex)) {}

    std::uint32_t references = 0; ///< PoolCoreRef count (one thread at a time)

    Executor executor;
    const ClusterSet* bound = nullptr;    ///< the config version the slots are for
    std::vector<std::vector<Slot>> slots; ///< [cluster][endpoint]
    std::uint64_t generation = 1;
    bool closed = false;
    std::optional<SteadyTimer> sweepTimer;
    bool sweepArmed = false;
    std::chrono::milliseconds sweepEvery{1000};

    /// Whether `c` is a cluster of the version the pool serves (a request that started on an
    /// older one gets a connection of its own).
    [[nodiscard]] bool serves(const ServedCluster& c) const {
        return !closed && bound && c.index() < bound->size() && &bound->all()[c.index()] == &c;
    }

    Slot* slot(std::size_t cluster, std::size_t endpoint) {
        if (cluster >= slots.size() || endpoint >= slots[cluster].size())
            return nullptr;
        return &slots[cluster][endpoint];
    }

    void closeConnection(Slot& s, TcpSocket& socket, CircuitBreaker& breaker) {
        error_code ignored;
        socket.close(ignored);
        breaker.release(Resource::Connections);
        --s.connections;
        wakeOne(s);
    }

    /// A connection of `s` closed: the first waiter may open one now.
    static void wakeOne(Slot& s) {
        if (s.waiters.empty())
            return;
        Waiter* w = s.waiters.front();
        s.waiters.erase(s.waiters.begin());
        w->queued = false;
        w->timer.cancel();
    }

    /// An idle connection of `s` within the idle timeout; with `probe`, one seen still open.
    Connection takeIdle(Slot& s, Clock::time_point now, bool probe) {
        while (!s.idle.empty()) {
            Connection c = std::move(s.idle.back());
            s.idle.pop_back();
            if (now - c->since < s.idleTimeout && (!probe || stillOpen(c->socket)))
                return c;
            closeConnection(s, c->socket, *s.breaker);
        }
        return nullptr;
    }

    /// Attaches a request to `c` as `lease` (`self` refers to this core): max_requests is checked
    /// once a connection is at hand (Envoy). `pooled`: `c` belongs to `slot` of version `version`.
    ConnectionPool::Result attach(const PoolCoreRef& self, Slot* slot, std::uint64_t version,
                                  const ServedCluster& cluster, ClusterState& state, std::uint32_t endpoint,
                                  Connection c, bool reused, bool pooled, UpstreamLease& lease) {
        CircuitBreaker& breaker = state.breaker();
        const bool counts = breaker.tracked(Resource::Requests);
        if (counts && !breaker.tryAcquire(Resource::Requests)) {
            if (pooled && generation == version)
                give(*slot, std::move(c));
            else {
                error_code ignored;
                c->socket.close(ignored);
                breaker.release(Resource::Connections);
            }
            return ConnectionPool::Result::Overflow;
        }
        lease.release();
        lease.m_core = self;
        lease.m_requests = c->requests + 1;
        lease.m_connection = std::move(c);
        lease.m_breaker = &breaker;
        lease.m_active = state.activeRequests() + endpoint;
        lease.m_active->fetch_add(1, std::memory_order_relaxed);
        lease.m_generation = pooled ? version : 0;
        lease.m_cluster = static_cast<std::uint32_t>(cluster.index());
        lease.m_endpoint = endpoint;
        lease.m_maxRequests = cluster.policy().pool.maxRequestsPerConnection;
        lease.m_reused = reused;
        lease.m_keep = false;
        lease.m_countsRequest = counts;
        return ConnectionPool::Result::Ready;
    }

    void give(Slot& s, Connection c) {
        if (!s.waiters.empty()) {
            Waiter* w = s.waiters.front();
            s.waiters.erase(s.waiters.begin());
            w->queued = false;
            w->handed = std::move(c);
            w->timer.cancel();
            return;
        }
        s.idle.push_back(std::move(c));
        armSweep();
    }

    void release(UpstreamLease& lease) {
        if (lease.m_countsRequest)
            lease.m_breaker->release(Resource::Requests);
        if (lease.m_active)
            lease.m_active->fetch_sub(1, std::memory_order_relaxed);
        if (!lease.m_connection)
            return;
        Slot* s =
            lease.m_generation == generation && !closed ? slot(lease.m_cluster, lease.m_endpoint) : nullptr;
        Connection c = std::move(lease.m_connection);
        const bool reusable = s && lease.m_keep && c->socket.is_open() &&
                              (lease.m_maxRequests == 0 || lease.m_requests < lease.m_maxRequests);
        if (reusable) {
            c->requests = lease.m_requests;
            c->since = coarseNow();
            give(*s, std::move(c));
        } else if (s) {
            closeConnection(*s, c->socket, *lease.m_breaker);
        } else { // a connection of an earlier config version (or of a closed pool)
            error_code ignored;
            c->socket.close(ignored);
            lease.m_breaker->release(Resource::Connections);
        }
    }

    void closeAllIdle() {
        for (auto& cluster : slots)
            for (Slot& s : cluster)
                while (!s.idle.empty()) {
                    const Connection c = std::move(s.idle.back());
                    s.idle.pop_back();
                    closeConnection(s, c->socket, *s.breaker);
                }
    }

    void wakeAll() {
        for (auto& cluster : slots)
            for (Slot& s : cluster)
                while (!s.waiters.empty())
                    wakeOne(s);
    }

    void armSweep() {
        if (sweepArmed || closed)
            return;
        if (!sweepTimer)
            sweepTimer.emplace(executor);
        sweepArmed = true;
        sweepTimer->expires_after(sweepEvery);
        sweepTimer->async_wait([this](const error_code& ec) {
            if (ec)
                return; // cancelled: the pool is closing
            sweepArmed = false;
            sweep();
        });
    }

    /// Closes the connections idle for their cluster's idle timeout; runs while any is idle.
    void sweep() {
        const Clock::time_point now = coarseNow();
        bool any = false;
        for (auto& cluster : slots)
            for (Slot& s : cluster) {
                for (std::size_t i = 0; i < s.idle.size();) {
                    if (now - s.idle[i]->since >= s.idleTimeout) {
                        const Connection c = std::move(s.idle[i]);
                        s.idle.erase(s.idle.begin() + static_cast<std::ptrdiff_t>(i));
                        closeConnection(s, c->socket, *s.breaker);
                    } else {
                        ++i;
                    }
                }
                any = any || !s.idle.empty();
            }
        if (any)
            armSweep();
    }
};

PoolCoreRef::PoolCoreRef(PoolCore* core)
    : m_core(core) {
    if (m_core)
        ++m_core->references;
}

PoolCoreRef::PoolCoreRef(const PoolCoreRef& other)
    : PoolCoreRef(other.m_core) {}

PoolCoreRef::~PoolCoreRef() {
    if (m_core && --m_core->references == 0)
        delete m_core;
}

UpstreamLease::UpstreamLease(UpstreamLease&& other) noexcept {
    *this = std::move(other);
}

UpstreamLease& UpstreamLease::operator=(UpstreamLease&& other) noexcept {
    if (this == &other)
        return *this;
    release();
    m_core = std::move(other.m_core);
    m_connection = std::move(other.m_connection);
    m_breaker = other.m_breaker;
    m_active = std::exchange(other.m_active, nullptr);
    m_generation = other.m_generation;
    m_cluster = other.m_cluster;
    m_endpoint = other.m_endpoint;
    m_requests = other.m_requests;
    m_maxRequests = other.m_maxRequests;
    m_reused = other.m_reused;
    m_keep = other.m_keep;
    m_countsRequest = std::exchange(other.m_countsRequest, false);
    return *this;
}

void UpstreamLease::release() {
    if (!m_core)
        return;
    const PoolCoreRef core = std::move(m_core);
    core->release(*this);
    m_active = nullptr;
    m_countsRequest = false;
}

ConnectionPool::ConnectionPool(Executor executor)
    : m_core(new PoolCore(std::move(executor))) {}

ConnectionPool::~ConnectionPool() {
    m_core->closeAllIdle();
    m_core->wakeAll();
    m_core->closed = true;
    m_core->sweepTimer.reset();
    m_core->slots.clear();
    m_core->bound = nullptr;
}

void ConnectionPool::bind(const ClusterSet& clusters) {
    PoolCore& core = *m_core;
    core.closeAllIdle();
    core.wakeAll();
    ++core.generation;
    core.bound = &clusters;
    core.slots.clear();
    core.slots.resize(clusters.size());
    std::chrono::milliseconds shortest{1000};
    for (const ServedCluster& c : clusters.all()) {
        auto& cluster = core.slots[c.index()];
        cluster.resize(c.endpoints().size());
        for (Slot& s : cluster)
            s.idleTimeout = c.policy().pool.idleTimeout;
        shortest = std::min(shortest, c.policy().pool.idleTimeout / 2);
    }
    core.sweepEvery = std::max(shortest, std::chrono::milliseconds(10));
}

void ConnectionPool::closeIdle() {
    m_core->closeAllIdle();
}

std::size_t ConnectionPool::openConnections() const {
    std::size_t n = 0;
    for (const auto& cluster : m_core->slots)
        for (const Slot& s : cluster)
            n += s.connections;
    return n;
}

std::optional<ConnectionPool::Result> ConnectionPool::acquireIdle(const ServedCluster& cluster,
                                                                  ClusterState& state, std::uint32_t endpoint,
                                                                  bool probe, UpstreamLease& lease) {
    PoolCore& core = *m_core;
    Slot* slot = core.serves(cluster) ? core.slot(cluster.index(), endpoint) : nullptr;
    if (!slot)
        return std::nullopt;
    slot->breaker = &state.breaker();
    Connection idle = core.takeIdle(*slot, coarseNow(), probe);
    if (!idle)
        return std::nullopt;
    return core.attach(m_core, slot, core.generation, cluster, state, endpoint, std::move(idle), true, true,
                       lease);
}

Awaitable<ConnectionPool::Result> ConnectionPool::acquire(const ServedCluster& cluster, ClusterState& state,
                                                          std::uint32_t endpoint, Clock::time_point deadline,
                                                          bool probe, UpstreamLease& lease) {
    const PoolCoreRef core = m_core; // the frame keeps the pool's bookkeeping alive
    CircuitBreaker& breaker = state.breaker();
    const ConnectionLimits& limits = cluster.policy().pool;
    const std::uint64_t generation = core->generation;
    Slot* slot = core->serves(cluster) ? core->slot(cluster.index(), endpoint) : nullptr;
    if (slot)
        slot->breaker = &breaker;

    const auto attach = [&](Connection c, bool reused, bool pooled) {
        return core->attach(core, slot, generation, cluster, state, endpoint, std::move(c), reused, pooled,
                            lease);
    };

    if (slot)
        if (Connection idle = core->takeIdle(*slot, coarseNow(), probe))
            co_return attach(std::move(idle), true, true);
    if (!breaker.tryAcquire(Resource::PendingRequests))
        co_return Result::Overflow;
    struct PendingGuard {
        CircuitBreaker& breaker;
        ~PendingGuard() { breaker.release(Resource::PendingRequests); }
    } pending{breaker};

    for (;;) {
        const bool current = slot && core->generation == generation && !core->closed;
        if (current)
            if (Connection idle = core->takeIdle(*slot, coarseNow(), probe))
                co_return attach(std::move(idle), true, true);
        // Envoy opens a connection within max_connections, or the host pool's first one regardless.
        bool open = !current;
        if (current && slot->connections == 0) {
            breaker.forceAcquire(Resource::Connections);
            open = true;
        } else if (current) {
            open = breaker.tryAcquire(Resource::Connections);
        } else {
            breaker.forceAcquire(Resource::Connections); // a connection of its own, closed after use
        }
        if (open) {
            if (current)
                ++slot->connections;
            auto fresh = std::make_unique<PooledConnection>(PooledConnection{TcpSocket(core->executor)});
            const auto c = co_await UpstreamConnector::connect(fresh->socket, cluster.endpoints()[endpoint],
                                                               limits.connectTimeout, deadline);
            const bool stillCurrent = current && core->generation == generation && !core->closed;
            if (c != UpstreamConnector::Outcome::Connected) {
                if (stillCurrent) {
                    breaker.release(Resource::Connections);
                    --slot->connections;
                    PoolCore::wakeOne(*slot);
                } else {
                    breaker.release(Resource::Connections);
                }
                co_return c == UpstreamConnector::Outcome::DeadlinePassed ? Result::Timeout
                                                                          : Result::ConnectFailed;
            }
            co_return attach(std::move(fresh), false, stillCurrent);
        }
        // Wait for one of this pool's connections to this endpoint to come back (or close).
        Waiter w(core->executor);
        w.slot = slot;
        w.queued = true;
        slot->waiters.push_back(&w);
        w.timer.expires_at(bounded(deadline));
        error_code ec;
        co_await w.timer.async_wait(asio::redirect_error(useAwaitable, ec));
        if (w.handed)
            co_return attach(std::move(w.handed), true, core->generation == generation && !core->closed);
        if (!ec)
            co_return Result::Timeout;
    }
}

} // namespace sluice::proxy
