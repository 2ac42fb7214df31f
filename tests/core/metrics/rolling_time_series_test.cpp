// SPDX-License-Identifier: Apache-2.0
#include "metrics/metrics_collector.h"
#include "metrics/rolling_time_series.h"

#include <random>

#include <QTest>

using namespace sluice::metrics;
using Clock = RollingTimeSeries::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// A fixed, arbitrary origin: every time in these tests is synthetic (no clock, no sleeping).
const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1000);

struct Series {
    std::string subset;
    int code = 200;
    std::uint64_t requests = 0;
    std::uint64_t micros = 0;
};

/// A MetricsSnapshot as a collector publishes it at `at` for a 100 ms interval.
MetricsSnapshot snapshotAt(Clock::time_point at, const std::vector<Series>& series) {
    MetricsSnapshot s;
    s.at = at;
    s.interval = milliseconds(100);
    for (const Series& in : series) {
        SeriesStats& out = s.series.emplace_back();
        auto key = std::make_shared<SeriesKey>();
        key->virtualService = "default/reviews";
        key->ruleIndex = 0;
        key->service = "reviews.default.svc.cluster.local";
        key->port = 9080;
        key->subset = in.subset;
        key->replica = "reviews-" + in.subset + "-1";
        key->responseCode = in.code;
        out.key = key;
        out.intervalRequests = in.requests;
        auto h = std::make_shared<LatencyHistogram>();
        for (std::uint64_t i = 0; i < in.requests; ++i)
            h->record(in.micros);
        out.intervalDuration = in.requests ? h : nullptr;
        out.duration = h;
        out.upstream = h;
    }
    return s;
}

TimeSeriesKeyView keyOf(std::string_view subset) {
    return {"default/reviews", 0, "", "reviews.default.svc.cluster.local", 9080, subset};
}

StatusClassCounts ok(std::uint64_t n) {
    StatusClassCounts c{};
    c[static_cast<std::size_t>(StatusClass::Success)] = n;
    return c;
}

} // namespace

class RollingTimeSeriesTest : public QObject {
    Q_OBJECT

private slots:
    // The series counts the gateway's requests: calls between workloads (a source workload) in
    // the same snapshots are left out.
    void callsBetweenWorkloadsAreNotTheGatewaysTraffic() {
        RollingTimeSeries series(kStart);
        for (int k = 1; k <= 10; ++k) {
            MetricsSnapshot s =
                snapshotAt(kStart + milliseconds(100 * k), {{"v1", 200, 4, 1000}, {"v2", 200, 6, 1000}});
            auto caller = std::make_shared<SeriesKey>(*s.series[1].key);
            caller->sourceWorkload = "productpage-v1";
            caller->sourceNamespace = "default";
            s.series[1].key = caller;
            series.ingest(s);
        }
        const TimeSeriesSnapshotPtr s = series.snapshot();
        QCOMPARE(s->keys().size(), std::size_t(1));
        QCOMPARE(s->keys().front().subset, std::string("v1"));
        QCOMPARE(s->points(900).front().requests, std::uint64_t(40));
    }

    // 100 ms snapshots land in the second that holds their interval's midpoint.
    void snapshotsFillSeconds() {
        RollingTimeSeries series(kStart);
        for (int k = 1; k <= 25; ++k) // 0.1 s .. 2.5 s
            series.ingest(snapshotAt(kStart + milliseconds(100 * k),
                                     {{"v1", 200, 10, 1000}, {"v2", 503, 5, 40'000}, {"v3", 200, 0, 0}}));
        const TimeSeriesSnapshotPtr s = series.snapshot();
        QCOMPARE(s->firstSecond(), std::int64_t(0));
        QCOMPARE(s->lastSecond(), std::int64_t(2));
        QVERIFY(s->lastIsPartial());
        QCOMPARE(s->keys().size(), std::size_t(2)); // v3 never had a request
        const std::vector<TimeSeriesPoint> points = s->points(900);
        QCOMPARE(points.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            const std::uint64_t n = i < 2 ? 10 : 5; // snapshots per second
            QCOMPARE(points[i].second, std::int64_t(i));
            QCOMPARE(points[i].requests, 15 * n);
            QCOMPARE(points[i].errors, 5 * n);
            QCOMPARE(points[i].classes[2], 10 * n);
            QCOMPARE(points[i].classes[5], 5 * n);
            // The highest value of 1000's compact bucket [992, 1007] (HdrHistogram's convention).
            QCOMPARE(points[i].p50, std::uint64_t(1007));
            QCOMPARE(points[i].max, std::uint64_t(40'000));
            // 40,000's bucket reaches 40,959: lowered to the exact max.
            QCOMPARE(points[i].p90, std::uint64_t(40'000));
            QCOMPARE(points[i].mean, 14'000.0);
            QCOMPARE(points[i].partial, i == 2);
        }
        // Windows count complete seconds only: rates are per whole second.
        const TimeSeriesWindow all = s->window(60);
        QCOMPARE(all.firstSecond, std::int64_t(0));
        QCOMPARE(all.lastSecond, std::int64_t(1));
        QCOMPARE(all.requests, std::uint64_t(300));
        QCOMPARE(all.rate(), 150.0);
        QCOMPARE(all.latency.count(), std::uint64_t(300));
        TimeSeriesFilter v2;
        v2.subset = "v2";
        const TimeSeriesWindow errors = s->window(60, v2);
        QCOMPARE(errors.requests, std::uint64_t(100));
        QCOMPARE(errors.errors, std::uint64_t(100));
        QCOMPARE(errors.latency.quantile(0.5), std::uint64_t(40'000));
        const TimeSeriesWindow last = s->window(1, v2);
        QCOMPARE(last.firstSecond, std::int64_t(1));
        QCOMPARE(last.requests, std::uint64_t(50));
    }

    // Fed by a real collector whose collections are stamped with synthetic times.
    void fedByACollector() {
        MetricsCollector collector;
        MetricsShard& shard = collector.addShard();
        const Clock::time_point start = Clock::now();
        RollingTimeSeries series(start);
        RequestSample r;
        r.virtualService = "default/shop";
        r.ruleIndex = 1;
        r.service = "shop.default.svc.cluster.local";
        r.subset = "canary";
        r.cluster = "outbound|80|canary|shop.default.svc.cluster.local";
        r.replica = "shop-canary-1";
        for (int k = 1; k <= 30; ++k) {
            for (int i = 0; i < k; ++i) {
                r.responseCode = i % 10 == 0 ? 500 : 200;
                r.durationMicros = 100 + static_cast<std::uint64_t>(i);
                shard.record(r);
            }
            series.ingest(*collector.collect(start + milliseconds(100 * k)));
        }
        series.advanceTo(start + seconds(3));
        const std::vector<TimeSeriesPoint> points = series.snapshot()->points(900);
        QCOMPARE(points.size(), std::size_t(4));
        QCOMPARE(points[0].requests, std::uint64_t(55));  // 1 + ... + 10
        QCOMPARE(points[1].requests, std::uint64_t(155)); // 11 + ... + 20
        QCOMPARE(points[2].requests, std::uint64_t(255)); // 21 + ... + 30
        QCOMPARE(points[0].errors, std::uint64_t(10));    // i == 0 in each interval
        QCOMPARE(points[2].max, std::uint64_t(100 + 29));
        QCOMPARE(series.snapshot()->keys().front().subset, std::string("canary"));
    }

    // Idle seconds are empty points; only the last N seconds are kept.
    void idleSecondsAndRollOver() {
        RollingTimeSeries series(kStart, {5, HistogramPrecision::compact(), 16});
        series.add(kStart, keyOf("v1"), ok(3), nullptr);
        series.add(kStart + seconds(3) + milliseconds(500), keyOf("v1"), ok(4), nullptr);
        std::vector<TimeSeriesPoint> points = series.snapshot()->points(900);
        QCOMPARE(points.size(), std::size_t(4));
        QCOMPARE(points[0].requests, std::uint64_t(3));
        QCOMPARE(points[1].requests, std::uint64_t(0));
        QCOMPARE(points[2].requests, std::uint64_t(0));
        QCOMPARE(points[3].requests, std::uint64_t(4));
        for (int s = 4; s <= 10; ++s)
            series.add(kStart + seconds(s), keyOf("v1"), ok(static_cast<std::uint64_t>(s)), nullptr);
        TimeSeriesSnapshotPtr snap = series.snapshot();
        QCOMPARE(snap->firstSecond(), std::int64_t(6));
        QCOMPARE(snap->lastSecond(), std::int64_t(10));
        QCOMPARE(snap->window(900).requests, std::uint64_t(6 + 7 + 8 + 9));
        series.advanceTo(kStart + std::chrono::hours(2)); // a long idle spell
        snap = series.snapshot();
        QCOMPARE(snap->lastSecond(), std::int64_t(7200));
        QCOMPARE(snap->firstSecond(), std::int64_t(7196));
        QCOMPARE(snap->window(900).requests, std::uint64_t(0));
    }

    // Data for a closed second (or before the start) is counted, not silently merged elsewhere.
    void lateDataIsCounted() {
        RollingTimeSeries series(kStart);
        series.add(kStart + seconds(5), keyOf("v1"), ok(2), nullptr);
        series.add(kStart + seconds(3), keyOf("v1"), ok(7), nullptr);
        series.add(kStart - seconds(1), keyOf("v1"), ok(1), nullptr);
        QCOMPARE(series.lateRequests(), std::uint64_t(8));
        QCOMPARE(series.snapshot()->points(900).back().requests, std::uint64_t(2));
    }

    // A snapshot never changes after it is taken, whatever the series does next.
    void snapshotsAreImmutable() {
        RollingTimeSeries series(kStart, {3, HistogramPrecision::compact(), 16});
        series.add(kStart, keyOf("v1"), ok(1), nullptr);
        const TimeSeriesSnapshotPtr before = series.snapshot();
        series.add(kStart + milliseconds(10), keyOf("v1"), ok(1), nullptr);
        series.add(kStart + seconds(1), keyOf("v2"), ok(5), nullptr);
        for (int s = 2; s < 10; ++s)
            series.add(kStart + seconds(s), keyOf("v1"), ok(1), nullptr);
        QCOMPARE(before->keys().size(), std::size_t(1));
        QCOMPARE(before->points(900).size(), std::size_t(1));
        QCOMPARE(before->points(900).front().requests, std::uint64_t(1));
        QCOMPARE(series.snapshot()->keys().size(), std::size_t(2));
    }

    // Latencies merged over a window equal one histogram that saw them all; a three-digit
    // histogram fed in converts exactly to the series' compact precision.
    void windowLatencyIsExact() {
        RollingTimeSeries series(kStart);
        LatencyHistogram all;
        std::mt19937_64 gen(11);
        std::lognormal_distribution<double> latency(std::log(5'000.0), 0.9);
        for (int s = 0; s < 120; ++s) {
            for (const char* subset : {"v1", "v2", "v3"}) {
                LatencyHistogram h(HistogramPrecision::threeDigits());
                for (int i = 0; i < 50; ++i) {
                    const auto v = static_cast<std::uint64_t>(latency(gen));
                    h.record(v);
                    all.record(v);
                }
                series.add(kStart + seconds(s), keyOf(subset), ok(50), &h);
            }
        }
        series.advanceTo(kStart + seconds(120));
        const TimeSeriesWindow w = series.snapshot()->window(900);
        QCOMPARE(w.requests, std::uint64_t(120 * 150));
        QCOMPARE(w.latency.count(), all.count());
        QCOMPARE(w.latency.sum(), all.sum());
        QCOMPARE(w.latency.max(), all.max());
        for (std::size_t i = 0; i < all.bucketCount(); ++i)
            QCOMPARE(w.latency.countAt(i), all.countAt(i));
        QCOMPARE(series.snapshot()->window(60).requests, std::uint64_t(60 * 150));
        const auto totals = series.snapshot()->keyTotals(900);
        QCOMPARE(totals.size(), std::size_t(3));
        QCOMPARE(totals[1].first->subset, std::string("v2"));
        QCOMPARE(totals[1].second, std::uint64_t(120 * 50));
    }

    void keyLimit() {
        RollingTimeSeries series(kStart, {900, HistogramPrecision::compact(), 2});
        for (const char* subset : {"a", "b", "c", "d"})
            series.add(kStart, keyOf(subset), ok(1), nullptr);
        const TimeSeriesSnapshotPtr s = series.snapshot();
        QCOMPARE(s->keys().size(), std::size_t(3));
        QCOMPARE(s->keys()[2].virtualService, std::string("(series limit)"));
        TimeSeriesFilter overflow;
        overflow.virtualService = "(series limit)";
        QCOMPARE(s->points(1, overflow).front().requests, std::uint64_t(2));
    }

    // 15 minutes of one busy key (1,000 requests a second over ~100 latency buckets) stay near
    // a megabyte; idle keys and idle seconds cost next to nothing.
    void memoryStaysBounded() {
        RollingTimeSeries series(kStart);
        std::mt19937_64 gen(5);
        std::lognormal_distribution<double> latency(std::log(20'000.0), 0.8);
        LatencyHistogram h;
        for (int s = 0; s < 900; ++s) {
            h.clear();
            for (int i = 0; i < 1000; ++i)
                h.record(static_cast<std::uint64_t>(latency(gen)));
            series.add(kStart + seconds(s), keyOf("v1"), ok(1000), &h);
        }
        series.advanceTo(kStart + seconds(900));
        const std::size_t busy = series.memoryBytes();
        QVERIFY2(busy < 2'000'000, qPrintable(QString::number(busy)));
        series.advanceTo(kStart + seconds(1800)); // 900 idle seconds
        QVERIFY2(series.memoryBytes() < 64 * 1024, qPrintable(QString::number(series.memoryBytes())));
    }
};

QTEST_GUILESS_MAIN(RollingTimeSeriesTest)
#include "rolling_time_series_test.moc"
