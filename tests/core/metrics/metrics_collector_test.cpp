// SPDX-License-Identifier: Apache-2.0
#include "metrics/metrics_collector.h"

#include <atomic>
#include <random>
#include <thread>

#include <QTest>

using namespace sluice::metrics;
using Clock = MetricsCollector::Clock;

namespace {

RequestSample sample(std::string_view cluster, int code, std::uint64_t micros) {
    RequestSample s;
    s.virtualService = "default/shop";
    s.ruleIndex = 0;
    s.cluster = cluster;
    s.replica = cluster == "a" ? "a-1" : "b-1";
    s.responseCode = code;
    s.durationMicros = micros;
    return s;
}

const SeriesStats* find(const MetricsSnapshot& s, std::string_view cluster, int code) {
    for (const auto& series : s.series)
        if (series.key->cluster == cluster && series.key->responseCode == code)
            return &series;
    return nullptr;
}

} // namespace

class MetricsCollectorTest : public QObject {
    Q_OBJECT

private slots:
    // Four workers record concurrently while the collector merges every few milliseconds: no
    // request is lost or counted twice, whatever the interleaving.
    void countsAddUpAcrossWorkers() {
        MetricsCollector collector(std::chrono::milliseconds(2));
        constexpr int kWorkers = 4;
        constexpr int kPerWorker = 50'000;
        std::vector<MetricsShard*> shards;
        for (int i = 0; i < kWorkers; ++i)
            shards.push_back(&collector.addShard());
        collector.start();
        std::vector<std::thread> workers;
        for (int w = 0; w < kWorkers; ++w)
            workers.emplace_back([shard = shards[w], w] {
                for (int i = 0; i < kPerWorker; ++i) {
                    shard->record(sample(i % 3 == 0 ? "b" : "a", i % 10 == 0 ? 503 : 200,
                                         static_cast<std::uint64_t>(100 + w)));
                    if (i % 1000 == 0)
                        std::this_thread::yield();
                }
            });
        for (auto& t : workers)
            t.join();
        collector.stop();
        const MetricsSnapshotPtr s = collector.collect();
        QCOMPARE(s->totalRequests(), std::uint64_t(kWorkers * kPerWorker));
        // Per worker: i % 3 == 0 -> b (16,667 of 50,000); of those i % 10 == 0 -> 503 (i % 30 == 0).
        QCOMPARE(find(*s, "b", 503)->requests, std::uint64_t(kWorkers * 1667));
        QCOMPARE(find(*s, "b", 200)->requests, std::uint64_t(kWorkers * (16667 - 1667)));
        QCOMPARE(find(*s, "a", 503)->requests, std::uint64_t(kWorkers * (5000 - 1667)));
        QCOMPARE(s->series.size(), std::size_t(4));
        std::uint64_t histogramCount = 0;
        for (const auto& series : s->series)
            histogramCount += series.duration->count();
        QCOMPARE(histogramCount, s->totalRequests());
    }

    // Merged shards answer quantiles as one histogram that saw every sample would.
    void histogramQuantilesAcrossShards() {
        MetricsCollector collector;
        MetricsShard& one = collector.addShard();
        MetricsShard& two = collector.addShard();
        std::mt19937_64 rng(7);
        std::lognormal_distribution<double> latency(std::log(20'000.0), 0.8); // p50 20 ms
        std::vector<std::uint64_t> all;
        for (int i = 0; i < 20'000; ++i) {
            const auto micros = static_cast<std::uint64_t>(latency(rng));
            all.push_back(micros);
            (i % 2 ? one : two).record(sample("a", 200, micros));
        }
        const MetricsSnapshotPtr s = collector.collect();
        std::sort(all.begin(), all.end());
        const LatencyHistogram merged = s->mergedDuration();
        for (const double q : {0.5, 0.9, 0.99}) {
            // HdrHistogram's convention at the compact precision: the highest value of the
            // bucket holding the exact quantile, at most 1/32 above it.
            const double exact = static_cast<double>(all[static_cast<std::size_t>(q * all.size()) - 1]);
            const double got = static_cast<double>(merged.quantile(q));
            QVERIFY2(got >= exact && (got - exact) / exact <= 1.0 / 32,
                     qPrintable(QStringLiteral("q%1: %2 vs %3").arg(q).arg(got).arg(exact)));
        }
        QCOMPARE(merged.max(), all.back());
    }

    // Each snapshot carries totals and what its interval added; rates are per second of it.
    void intervalsAndRates() {
        MetricsCollector collector;
        MetricsShard& shard = collector.addShard();
        const auto t0 = Clock::now();
        (void)collector.collect(t0);
        for (int i = 0; i < 50; ++i)
            shard.record(sample("a", 200, 1000));
        MetricsSnapshotPtr s = collector.collect(t0 + std::chrono::milliseconds(100));
        QCOMPARE(s->intervalRequests(), std::uint64_t(50));
        QCOMPARE(s->requestsPerSecond(), 500.0);
        QVERIFY(s->series[0].intervalDuration);
        QCOMPARE(s->series[0].intervalDuration->count(), std::uint64_t(50));
        const HistogramPtr before = s->series[0].duration;

        s = collector.collect(t0 + std::chrono::milliseconds(200)); // nothing new
        QCOMPARE(s->totalRequests(), std::uint64_t(50));
        QCOMPARE(s->intervalRequests(), std::uint64_t(0));
        QVERIFY(!s->series[0].intervalDuration);
        QCOMPARE(s->series[0].duration.get(), before.get()); // unchanged: shared, not copied

        shard.record(sample("a", 200, 1000));
        s = collector.collect(t0 + std::chrono::milliseconds(300));
        QCOMPARE(s->totalRequests(), std::uint64_t(51));
        QVERIFY(s->series[0].duration.get() != before.get());
        QCOMPARE(before->count(), std::uint64_t(50)); // an old snapshot never changes
        QCOMPARE(s->sequence, std::uint64_t(4));
    }

    // Subscribers get every published snapshot; snapshot() returns the latest.
    void subscribersAndLatest() {
        MetricsCollector collector(std::chrono::milliseconds(5));
        MetricsShard& shard = collector.addShard();
        QCOMPARE(collector.snapshot()->totalRequests(), std::uint64_t(0));
        std::atomic<int> calls{0};
        std::atomic<std::uint64_t> seen{0};
        const auto id = collector.subscribe([&](const MetricsSnapshotPtr& s) {
            ++calls;
            seen = s->totalRequests();
        });
        shard.record(sample("a", 200, 10));
        collector.start();
        QTRY_VERIFY_WITH_TIMEOUT(calls >= 3, 5000);
        QCOMPARE(seen.load(), std::uint64_t(1));
        collector.unsubscribe(id);
        collector.stop();
        const int after = calls;
        (void)collector.collect();
        QCOMPARE(calls.load(), after);
        QCOMPARE(collector.snapshot()->totalRequests(), std::uint64_t(1));
    }

    // Endpoint stats: attempts in flight are started minus finished, across shards.
    void endpointStats() {
        MetricsCollector collector;
        MetricsShard& one = collector.addShard();
        MetricsShard& two = collector.addShard();
        const EndpointIdentity e{"c", "a-1", "127.0.0.1", 1};
        one.attemptEnded(one.attemptStarted(e), true);
        (void)two.attemptStarted(e);
        two.attemptEnded(two.attemptStarted(e), false);
        const MetricsSnapshotPtr s = collector.collect();
        QCOMPARE(s->endpoints.size(), std::size_t(1));
        QCOMPARE(s->endpoints[0].active, std::uint64_t(1));
        QCOMPARE(s->endpoints[0].success, std::uint64_t(1));
        QCOMPARE(s->endpoints[0].error, std::uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(MetricsCollectorTest)
#include "metrics_collector_test.moc"
