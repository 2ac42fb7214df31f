// SPDX-License-Identifier: Apache-2.0
// A proxy session routes every request into the same Decision (reset() between requests). Once
// it has seen the destinations it alternates between, routing into it allocates nothing, and a
// reset Decision still reads as a fresh one.

#include "../metrics/allocation_counter.h"
#include "routing/route_executor.h"
#include "routing_test_support.h"

#include <QTest>

using namespace sluice::routing;

class DecisionReuseTest : public QObject {
    Q_OBJECT

private slots:
    void routingIntoAReusedDecisionDoesNotAllocate() {
        RouteAction action;
        action.destinations = {
            sluice::test::healthy("reviews.default.svc.cluster.local", 90, "v1"),
            sluice::test::healthy("reviews-canary-with-a-longer-name.default.svc.cluster.local", 10, "v1")};
        action.totalWeight = 100;
        const CompiledRoute route{*RequestMatcher::compile(sluice::test::httpMatch("{}")),
                                  std::make_shared<RouteAction>(std::move(action)),
                                  {},
                                  {},
                                  {}};
        const Request request = sluice::test::request("bookinfo.example.com", "/reviews/1");
        const MatchInput input(request);
        Rng rng(7);
        Decision d;
        d.traced = false;               // as the proxy routes (Explain::No)
        for (int i = 0; i < 100; ++i) { // both destinations seen, every buffer grown
            d.reset();
            d.traced = false;
            executeRoute(route, input, rng, d);
        }
        int canary = 0;
        const std::size_t before = sluice::test::g_allocations.load();
        for (int i = 0; i < 1000; ++i) {
            d.reset();
            d.traced = false;
            executeRoute(route, input, rng, d);
            canary += d.destination->host.starts_with("reviews-canary");
        }
        QCOMPARE(sluice::test::g_allocations.load() - before, std::size_t(0));
        QVERIFY2(canary > 50 && canary < 150, qPrintable(QString::number(canary))); // both taken
    }

    void aResetDecisionHasNoDestination() {
        Decision d;
        d.setDestination({"a.default.svc.cluster.local", 80, "", "outbound|80||a.default.svc.cluster.local"});
        QVERIFY(d.destination);
        d.reset();
        QVERIFY(!d.destination);
        d.setDestination(
            {"b.default.svc.cluster.local", 81, "v2", "outbound|81|v2|b.default.svc.cluster.local"});
        QCOMPARE(d.destination->host, std::string("b.default.svc.cluster.local"));
        QCOMPARE(d.destination->port, 81u);
        QCOMPARE(d.destination->subset, std::string("v2"));
        QCOMPARE(d.destination->cluster, std::string("outbound|81|v2|b.default.svc.cluster.local"));
    }
};

QTEST_GUILESS_MAIN(DecisionReuseTest)
#include "decision_reuse_test.moc"
