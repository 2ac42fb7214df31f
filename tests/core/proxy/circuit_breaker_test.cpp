// SPDX-License-Identifier: Apache-2.0
#include "proxy/circuit_breaker.h"

#include <thread>
#include <vector>

#include <QTest>

using sluice::proxy::CircuitBreaker;
using sluice::proxy::ConnectionLimits;
using sluice::proxy::kUnlimited;
using R = CircuitBreaker::Resource;

class CircuitBreakerTest : public QObject {
    Q_OBJECT

private slots:
    void thresholds_data() {
        QTest::addColumn<int>("resource");
        QTest::newRow("connections") << int(R::Connections);
        QTest::newRow("pending requests") << int(R::PendingRequests);
        QTest::newRow("requests") << int(R::Requests);
        QTest::newRow("retries") << int(R::Retries);
    }

    // Up to the threshold, then overflow; a release makes room again.
    void thresholds() {
        QFETCH(int, resource);
        const R r = static_cast<R>(resource);
        ConnectionLimits limits;
        limits.maxConnections = limits.maxPendingRequests = limits.maxRequests = limits.maxRetries = 2;
        CircuitBreaker b(limits);
        QVERIFY(b.tryAcquire(r));
        QVERIFY(b.tryAcquire(r));
        QVERIFY(!b.tryAcquire(r));
        QCOMPARE(b.inUse(r), 2u);
        b.release(r);
        QVERIFY(b.tryAcquire(r));
        QCOMPARE(b.inUse(r), 2u);
        QCOMPARE(b.limit(r), 2u);
    }

    // Istio's defaults (2^32-1) never overflow and are not even counted, but connections are.
    void unlimitedIsNotCounted() {
        CircuitBreaker b(ConnectionLimits{});
        for (int i = 0; i < 1000; ++i)
            QVERIFY(b.tryAcquire(R::Requests));
        QCOMPARE(b.inUse(R::Requests), 0u);
        QCOMPARE(b.limit(R::Requests), kUnlimited);
        QVERIFY(b.tryAcquire(R::Connections));
        QCOMPARE(b.inUse(R::Connections), 1u);
    }

    // A host pool's first connection is opened even at the cluster's limit (Envoy).
    void forcedAcquireGoesPastTheLimit() {
        ConnectionLimits limits;
        limits.maxConnections = 1;
        CircuitBreaker b(limits);
        QVERIFY(b.tryAcquire(R::Connections));
        b.forceAcquire(R::Connections);
        QCOMPARE(b.inUse(R::Connections), 2u);
        QVERIFY(!b.tryAcquire(R::Connections));
        b.release(R::Connections);
        b.release(R::Connections);
        QVERIFY(b.tryAcquire(R::Connections));
    }

    // Workers racing for the same units never hold more than the threshold together.
    void concurrentWorkersStayWithinTheLimit() {
        ConnectionLimits limits;
        limits.maxRequests = 3;
        CircuitBreaker b(limits);
        std::atomic<std::uint32_t> held{0}, worst{0};
        std::vector<std::thread> workers;
        for (int t = 0; t < 4; ++t)
            workers.emplace_back([&] {
                for (int i = 0; i < 20000; ++i) {
                    if (!b.tryAcquire(R::Requests))
                        continue;
                    const std::uint32_t now = held.fetch_add(1) + 1;
                    std::uint32_t seen = worst.load();
                    while (now > seen && !worst.compare_exchange_weak(seen, now)) {
                    }
                    held.fetch_sub(1);
                    b.release(R::Requests);
                }
            });
        for (auto& w : workers)
            w.join();
        QVERIFY(worst.load() <= 3);
        QCOMPARE(b.inUse(R::Requests), 0u);
    }
};

QTEST_GUILESS_MAIN(CircuitBreakerTest)
#include "circuit_breaker_test.moc"
