// SPDX-License-Identifier: Apache-2.0
#include "allocation_counter.h"
#include "metrics/traffic_tally.h"

#include <atomic>
#include <cstdlib>
#include <new>

#include <QTest>

using namespace sluice::metrics;

namespace {

constexpr std::string_view kReviews = "reviews.default.svc.cluster.local";

TrafficOutcome outcome(int status, std::string_view subset, std::uint64_t micros,
                       std::string_view flags = {}) {
    return {status, flags, subset.empty() ? std::string_view{} : kReviews, subset, micros};
}

} // namespace

class TrafficTallyTest : public QObject {
    Q_OBJECT

private slots:
    void reportCountsEverything() {
        TrafficTally tally;
        for (int i = 0; i < 600; ++i)
            tally.record(outcome(200, "v1", 1000 + static_cast<std::uint64_t>(i)));
        for (int i = 0; i < 200; ++i)
            tally.record(outcome(200, "v2", 2000));
        tally.record(outcome(503, "v2", 50, "UF,URX"));
        tally.record(outcome(503, "", 10, "UF"));      // the gateway answered: no destination
        tally.record(outcome(0, "", 30'000'000, "-")); // no response at all
        tally.record(outcome(1200, "", 5));            // not a status code: counted as none, an error
        tally.record(outcome(404, "", 7, "NR"));
        const std::vector<DestinationWeight> weights{{std::string(kReviews), "v1", 75},
                                                     {std::string(kReviews), "v2", 20},
                                                     {std::string(kReviews), "v3", 5}};
        const TrafficReport r = tally.report(8.0, false, 100.0, weights);
        QCOMPARE(r.requests, std::uint64_t(805));
        QCOMPARE(r.errors, std::uint64_t(4)); // 503 twice, no response, 1200
        QCOMPARE(r.unattributed, std::uint64_t(4));
        QCOMPARE(r.rate, 805.0 / 8.0);
        QCOMPARE(r.targetRate, std::optional<double>(100.0));
        QCOMPARE(r.statusCodes, (std::map<int, std::uint64_t>{{0, 2}, {200, 800}, {404, 1}, {503, 2}}));
        QCOMPARE(r.responseFlags, (std::map<std::string, std::uint64_t>{{"NR", 1}, {"UF", 2}, {"URX", 1}}));
        QCOMPARE(r.destinations.size(), std::size_t(3));
        // Shares are of the 801 requests whose destination is known.
        QCOMPARE(r.destinations[0],
                 (DestinationSplit{std::string(kReviews), "v1", 600, 100.0 * 600 / 801, 75.0}));
        QCOMPARE(r.destinations[1].requests, std::uint64_t(201));
        QCOMPARE(r.destinations[1].share, 100.0 * 201 / 801);
        QCOMPARE(r.destinations[2], (DestinationSplit{std::string(kReviews), "v3", 0, 0.0, 5.0}));
        // Three significant digits: exact below 2,048 µs; the max is exact.
        QCOMPARE(r.latency.count, std::uint64_t(805));
        QCOMPARE(r.latency.p50, 1.398); // rank ceil(0.5 * 805) = 403 of 5, 7, 10, 50, 1000..1599, ...
        QCOMPARE(r.latency.p90, 2.0);
        QCOMPARE(r.latency.max, 30'000.0);
        QCOMPARE(r.latency.clamped, std::uint64_t(0));
        QVERIFY(!r.simulated);
        QVERIFY(tally.report(0.0, true).rate == 0.0);
        QVERIFY(tally.report(0.0, true).simulated);
    }

    void mergedTalliesEqualOne() {
        TrafficTally all, a, b;
        for (int i = 0; i < 1000; ++i) {
            const TrafficOutcome o = outcome(i % 7 ? 200 : 503, i % 3 ? "v1" : "v2",
                                             static_cast<std::uint64_t>(i * 37 % 5000), i % 11 ? "" : "UT");
            all.record(o);
            (i % 2 ? a : b).record(o);
        }
        TrafficTally merged;
        QVERIFY(merged.merge(a));
        QVERIFY(merged.merge(b));
        QCOMPARE(merged.report(1.0, false), all.report(1.0, false));
        TrafficTally coarse(HistogramPrecision::compact());
        QVERIFY(!all.merge(coarse)); // its latencies cannot be split into finer buckets
        QCOMPARE(all.requests(), std::uint64_t(1000));
        QVERIFY(coarse.merge(all));
        QCOMPARE(coarse.requests(), std::uint64_t(1000));
        merged.clear();
        QCOMPARE(merged.report(1.0, false), TrafficTally().report(1.0, false));
    }

    // After the first meeting of each destination and flag, recording allocates nothing.
    void recordingDoesNotAllocateAfterWarmUp() {
        TrafficTally tally;
        tally.record(outcome(200, "v1", 100, "UF,URX"));
        tally.record(outcome(200, "v2", 100));
        const std::size_t before = sluice::test::g_allocations.load();
        for (int i = 0; i < 100'000; ++i)
            tally.record(outcome(i % 2 ? 200 : 503, i % 2 ? "v1" : "v2", static_cast<std::uint64_t>(i),
                                 i % 5 ? "" : "URX,UF"));
        QCOMPARE(sluice::test::g_allocations.load(), before);
        QCOMPARE(tally.requests(), std::uint64_t(100'002));
    }
};

QTEST_GUILESS_MAIN(TrafficTallyTest)
#include "traffic_tally_test.moc"
