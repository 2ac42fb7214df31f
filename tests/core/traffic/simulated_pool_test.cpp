// SPDX-License-Identifier: Apache-2.0
// The simulated connection pool against the live pool's rules and the cluster's circuit breakers.

#include "proxy/cluster_set.h"
#include "proxy/upstream_state.h"
#include "traffic/simulated_pool.h"

#include <memory>

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;
using Resource = proxy::CircuitBreaker::Resource;
using Result = SimulatedPool::Result;

namespace {

/// One cluster "c" of `endpoints` endpoints with `pool` limits, its state and a pool.
struct Fixture {
    explicit Fixture(proxy::ConnectionLimits limits, std::size_t endpoints = 1) {
        for (std::size_t i = 0; i < endpoints; ++i)
            config.clusters["c"].push_back({"replica-" + std::to_string(i), 80, "replica", {}});
        config.policies["c"].pool = limits;
        clusters = std::make_unique<proxy::ClusterSet>(config);
        state = std::make_unique<proxy::UpstreamState>(*clusters, std::chrono::steady_clock::time_point{});
        pool = std::make_unique<SimulatedPool>(*clusters);
    }
    const proxy::ServedCluster& cluster() const { return clusters->all().front(); }
    proxy::ClusterState& cs() const { return state->cluster(0); }
    Result acquire(std::uint32_t endpoint, SimTime now, std::uint32_t who, SimLease& lease) {
        return pool->acquire(cluster(), cs(), endpoint, now, {who, who}, lease);
    }
    void release(std::uint32_t endpoint, SimLease& lease, bool keep, SimTime now) {
        pool->release(cluster(), cs(), endpoint, lease, keep, now);
    }
    std::uint32_t inUse(Resource r) const { return cs().breaker().inUse(r); }

    proxy::ServingConfig config;
    std::unique_ptr<proxy::ClusterSet> clusters;
    std::unique_ptr<proxy::UpstreamState> state;
    std::unique_ptr<SimulatedPool> pool;
};

proxy::ConnectionLimits oneConnectionOnePending() {
    proxy::ConnectionLimits l;
    l.maxConnections = 1;
    l.maxPendingRequests = 1;
    return l;
}

} // namespace

class SimulatedPoolTest : public QObject {
    Q_OBJECT

private slots:
    // A kept connection is reused: one connection, its request count goes on.
    void keptConnectionIsReused() {
        Fixture f({});
        SimLease a;
        QCOMPARE(f.acquire(0, 0, 1, a), Result::Ready);
        QCOMPARE(a.requests, 1u);
        QCOMPARE(f.cs().activeRequests()[0].load(), 1u);
        f.release(0, a, true, 10);
        QVERIFY(!a.held);
        QCOMPARE(f.cs().activeRequests()[0].load(), 0u);
        SimLease b;
        QCOMPARE(f.acquire(0, 20, 2, b), Result::Ready);
        QCOMPARE(b.requests, 2u);
        QCOMPARE(f.pool->connections(0, 0), 1u);
        QCOMPARE(f.inUse(Resource::Connections), 1u);
    }

    // At max_connections the next request waits (pending); past max_pending it overflows. A
    // connection coming back is handed to the first waiter.
    void pendingThenOverflowThenHandOff() {
        Fixture f(oneConnectionOnePending());
        SimLease a, b, c;
        QCOMPARE(f.acquire(0, 0, 1, a), Result::Ready);
        QCOMPARE(f.acquire(0, 1, 2, b), Result::Queued);
        QCOMPARE(f.inUse(Resource::PendingRequests), 1u);
        QCOMPARE(f.acquire(0, 2, 3, c), Result::Overflow);
        QVERIFY(!c.held);
        f.release(0, a, true, 100);
        QCOMPARE(f.pool->wakes().size(), std::size_t(1));
        const PoolWake w = f.pool->wakes().front();
        f.pool->wakes().clear();
        QCOMPARE(w.waiter.exchange, 2u);
        QVERIFY(w.handed);
        QCOMPARE(w.requests, 1u);
        QCOMPARE(f.pool->takeHanded(f.cluster(), f.cs(), 0, 100, w, b), Result::Ready);
        QCOMPARE(b.requests, 2u);
        QCOMPARE(f.inUse(Resource::PendingRequests), 0u);
        QCOMPARE(f.inUse(Resource::Connections), 1u);
    }

    // A connection that closes wakes the first waiter, which opens one of its own.
    void closeWakesAWaiterThatOpens() {
        Fixture f(oneConnectionOnePending());
        SimLease a, b;
        QCOMPARE(f.acquire(0, 0, 1, a), Result::Ready);
        QCOMPARE(f.acquire(0, 1, 2, b), Result::Queued);
        f.release(0, a, false, 50);
        QCOMPARE(f.pool->connections(0, 0), 0u);
        QCOMPARE(f.pool->wakes().size(), std::size_t(1));
        QVERIFY(!f.pool->wakes().front().handed);
        f.pool->wakes().clear();
        QCOMPARE(f.pool->retry(f.cluster(), f.cs(), 0, 50, {2, 2}, b), Result::Ready);
        QCOMPARE(b.requests, 1u);
        QCOMPARE(f.inUse(Resource::PendingRequests), 0u);
    }

    // A waiter that gives up leaves the queue and its pending unit.
    void abandonLeavesTheQueue() {
        Fixture f(oneConnectionOnePending());
        SimLease a, b;
        QCOMPARE(f.acquire(0, 0, 1, a), Result::Ready);
        QCOMPARE(f.acquire(0, 1, 2, b), Result::Queued);
        f.pool->abandon(f.cluster(), f.cs(), 0, {2, 2});
        QCOMPARE(f.inUse(Resource::PendingRequests), 0u);
        f.release(0, a, true, 10);
        QVERIFY(f.pool->wakes().empty()); // back to idle, nobody waits
        SimLease c;
        QCOMPARE(f.acquire(0, 20, 3, c), Result::Ready);
        QCOMPARE(c.requests, 2u);
    }

    // Envoy opens a host's first connection even at the cluster's max_connections.
    void firstConnectionOfAnEndpointIsAlwaysOpened() {
        Fixture f(oneConnectionOnePending(), 2);
        SimLease a, b;
        QCOMPARE(f.acquire(0, 0, 1, a), Result::Ready);
        QCOMPARE(f.acquire(1, 0, 2, b), Result::Ready);
        QCOMPARE(f.inUse(Resource::Connections), 2u);
    }

    // maxRequestsPerConnection: the connection closes after that many requests.
    void connectionClosesAfterItsRequests() {
        proxy::ConnectionLimits l;
        l.maxRequestsPerConnection = 2;
        Fixture f(l);
        SimLease a;
        QCOMPARE(f.acquire(0, 0, 1, a), Result::Ready);
        f.release(0, a, true, 1);
        QCOMPARE(f.acquire(0, 2, 2, a), Result::Ready);
        QCOMPARE(a.requests, 2u);
        f.release(0, a, true, 3);
        QCOMPARE(f.pool->connections(0, 0), 0u);
        QCOMPARE(f.inUse(Resource::Connections), 0u);
    }

    // An idle connection past the idle timeout is not reused: a new one is opened.
    void idleTimeoutClosesIdleConnections() {
        proxy::ConnectionLimits l;
        l.idleTimeout = std::chrono::milliseconds(100);
        Fixture f(l);
        SimLease a;
        QCOMPARE(f.acquire(0, 0, 1, a), Result::Ready);
        f.release(0, a, true, 0);
        QCOMPARE(f.acquire(0, 100'000'000, 2, a), Result::Ready);
        QCOMPARE(a.requests, 1u); // a fresh connection
        QCOMPARE(f.pool->connections(0, 0), 1u);
        QCOMPARE(f.inUse(Resource::Connections), 1u);
    }

    // http2MaxRequests (max_requests) is checked once a connection is at hand; the connection
    // stays pooled.
    void maxRequestsOverflowKeepsTheConnection() {
        proxy::ConnectionLimits l;
        l.maxRequests = 1;
        Fixture f(l, 2);
        SimLease a, b;
        QCOMPARE(f.acquire(0, 0, 1, a), Result::Ready);
        QVERIFY(a.countsRequest);
        QCOMPARE(f.acquire(1, 0, 2, b), Result::Overflow);
        QCOMPARE(f.pool->connections(0, 1), 1u);
        QCOMPARE(f.inUse(Resource::Requests), 1u);
        f.release(0, a, true, 5);
        QCOMPARE(f.inUse(Resource::Requests), 0u);
        QCOMPARE(f.acquire(1, 6, 3, b), Result::Ready);
        QCOMPARE(b.requests, 1u);
    }
};

QTEST_GUILESS_MAIN(SimulatedPoolTest)
#include "simulated_pool_test.moc"
