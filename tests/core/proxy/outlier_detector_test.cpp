// SPDX-License-Identifier: Apache-2.0
// Envoy's outlier detection semantics, on an explicit clock: consecutive errors eject, the
// ejection lasts base x backoff and ends on an interval tick, maxEjectionPercent caps ejections
// (Envoy counts the ejection about to happen), panic mode, and the return to service.

#include "proxy/outlier_detector.h"

#include <QTest>

using sluice::proxy::OutlierDetector;
using sluice::proxy::OutlierPolicy;
using namespace std::chrono_literals;

namespace {

using Clock = OutlierDetector::Clock;
const Clock::time_point t0 = Clock::now();

Clock::time_point at(std::chrono::milliseconds ms) {
    return t0 + ms;
}

OutlierPolicy policy(std::uint32_t consecutive5xx = 3, std::uint32_t maxPercent = 100) {
    OutlierPolicy p;
    p.enabled = true;
    p.consecutive5xx = consecutive5xx;
    p.interval = 1s;
    p.baseEjectionTime = 10s;
    p.maxEjectionPercent = maxPercent;
    return p;
}

void fail(OutlierDetector& d, std::size_t endpoint, int times, Clock::time_point when, int status = 500) {
    for (int i = 0; i < times; ++i)
        d.report(endpoint, status, when);
}

std::size_t healthyCount(const OutlierDetector& d, Clock::time_point when) {
    std::vector<std::uint32_t> scratch;
    return d.candidates(when, scratch).size();
}

} // namespace

class OutlierDetectorTest : public QObject {
    Q_OBJECT

private slots:
    // Three 5xx in a row eject; a success in between starts the count over.
    void consecutive5xxEject() {
        OutlierDetector d(policy(), 4, t0);
        fail(d, 1, 2, at(100ms));
        d.report(1, 200, at(150ms));
        fail(d, 1, 2, at(200ms));
        QVERIFY(!d.ejected(1, at(300ms)));
        d.report(1, 503, at(300ms));
        QVERIFY(d.ejected(1, at(300ms)));
        QCOMPARE(d.view(1, at(300ms)).ejections, 1u);
        std::vector<std::uint32_t> scratch;
        const auto hosts = d.candidates(at(300ms), scratch);
        QCOMPARE(hosts.size(), std::size_t(3));
        QVERIFY(!hosts.contains(1));
        QVERIFY(!d.ejected(0, at(300ms)));
    }

    // Gateway errors (502-504) eject only with consecutiveGatewayErrors; a 500 breaks their run.
    void gatewayErrorsOnlyWhenConfigured() {
        OutlierPolicy p = policy(0); // consecutive5xxErrors: 0 turns 5xx ejection off
        p.enforce5xx = false;
        OutlierDetector off(p, 2, t0);
        fail(off, 0, 20, at(10ms), 503);
        QVERIFY(!off.ejected(0, at(10ms)));

        p.consecutiveGatewayErrors = 2;
        p.enforceGatewayErrors = true;
        OutlierDetector on(p, 2, t0);
        fail(on, 0, 1, at(10ms), 502);
        fail(on, 0, 1, at(10ms), 500);
        fail(on, 0, 1, at(10ms), 504);
        QVERIFY(!on.ejected(0, at(10ms)));
        fail(on, 0, 1, at(20ms), 503);
        QVERIFY(on.ejected(0, at(20ms)));
    }

    // base 10 s, interval 1 s: ejected at 0.5 s, back at the first tick from 10.5 s on (11 s);
    // ejected again at once, the time doubles (backoff 2): back at 31 s.
    void ejectionTimeGrowsWithEjections() {
        OutlierDetector d(policy(), 4, t0);
        fail(d, 2, 3, at(500ms));
        QVERIFY(d.ejected(2, at(10'999ms)));
        QVERIFY(!d.ejected(2, at(11'000ms)));
        QCOMPARE(healthyCount(d, at(11'000ms)), std::size_t(4));
        fail(d, 2, 3, at(11'000ms));
        QVERIFY(d.ejected(2, at(30'999ms)));
        QVERIFY(!d.ejected(2, at(31'000ms)));
        QCOMPARE(d.view(2, at(31'000ms)).ejections, 2u);
    }

    // Every interval spent in service takes one off the backoff: a long healthy spell brings the
    // next ejection back to the base time.
    void backoffShrinksWhileHealthy() {
        OutlierDetector d(policy(), 4, t0);
        fail(d, 0, 3, at(0ms));  // backoff 1: back at 10 s
        fail(d, 0, 3, at(10s));  // backoff 2: back at 30 s
        fail(d, 0, 3, at(100s)); // 70 ticks in service: backoff 0, then 1
        QVERIFY(d.ejected(0, at(109'999ms)));
        QVERIFY(!d.ejected(0, at(110s)));
        QCOMPARE(d.view(0, at(110s)).ejections, 3u);
    }

    // maxEjectionPercent counts the ejection about to happen: 100 x (ejected + 1) / endpoints.
    void maxEjectionPercentCaps_data() {
        QTest::addColumn<int>("endpoints");
        QTest::addColumn<int>("maxPercent");
        QTest::addColumn<int>("ejectable");
        QTest::newRow("default 10 %, 4 endpoints: none") << 4 << 10 << 0;
        QTest::newRow("default 10 %, 10 endpoints: one") << 10 << 10 << 1;
        QTest::newRow("50 %, 4 endpoints: two") << 4 << 50 << 2;
        QTest::newRow("100 %: all") << 3 << 100 << 3;
    }

    void maxEjectionPercentCaps() {
        QFETCH(int, endpoints);
        QFETCH(int, maxPercent);
        QFETCH(int, ejectable);
        OutlierDetector d(policy(3, static_cast<std::uint32_t>(maxPercent)),
                          static_cast<std::size_t>(endpoints), t0);
        for (int e = 0; e < endpoints; ++e)
            fail(d, static_cast<std::size_t>(e), 3, at(10ms));
        int ejected = 0;
        for (int e = 0; e < endpoints; ++e)
            ejected += d.ejected(static_cast<std::size_t>(e), at(10ms));
        QCOMPARE(ejected, ejectable);
    }

    // Back in service, the counts start over: it takes three new errors to eject it again.
    void returnsWithCountsReset() {
        OutlierDetector d(policy(), 2, t0);
        fail(d, 0, 3, at(0ms));
        fail(d, 0, 1, at(5s)); // while ejected
        QVERIFY(!d.ejected(0, at(10s)));
        fail(d, 0, 2, at(10s));
        QVERIFY(!d.ejected(0, at(10s)));
        fail(d, 0, 1, at(10s));
        QVERIFY(d.ejected(0, at(10s)));
    }

    // Below minHealthPercent healthy endpoints the balancer uses all (panic); with the default 0
    // an all-ejected cluster has no candidate at all.
    void panicThreshold() {
        OutlierPolicy p = policy();
        p.minHealthPercent = 60;
        OutlierDetector panic(p, 4, t0);
        fail(panic, 0, 3, at(0ms));
        QCOMPARE(healthyCount(panic, at(1ms)), std::size_t(3));
        fail(panic, 1, 3, at(0ms));
        QCOMPARE(healthyCount(panic, at(1ms)), std::size_t(4)); // 50 % < 60 %: panic

        OutlierDetector none(policy(), 2, t0);
        fail(none, 0, 3, at(0ms));
        fail(none, 1, 3, at(0ms));
        QCOMPARE(healthyCount(none, at(1ms)), std::size_t(0));
    }

    // Without an outlierDetection block nothing is ever ejected.
    void disabledDetectorIgnoresErrors() {
        OutlierDetector d(OutlierPolicy{}, 2, t0);
        fail(d, 0, 100, at(0ms), 503);
        QVERIFY(!d.ejected(0, at(0ms)));
        QCOMPARE(healthyCount(d, at(0ms)), std::size_t(2));
    }
};

QTEST_GUILESS_MAIN(OutlierDetectorTest)
#include "outlier_detector_test.moc"
