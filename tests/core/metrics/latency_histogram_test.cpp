// SPDX-License-Identifier: Apache-2.0
#include "metrics/latency_histogram.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <QTest>

using sluice::metrics::LatencyHistogram;

namespace {

std::uint64_t exactQuantile(std::vector<std::uint64_t> values, double q) {
    std::sort(values.begin(), values.end());
    const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * values.size())));
    return values[rank - 1];
}

} // namespace

class LatencyHistogramTest : public QObject {
    Q_OBJECT

private slots:
    // Buckets tile the whole range with no gap and no overlap, each at most 1/32 of its value wide.
    void bucketsTileTheRange() {
        QCOMPARE(LatencyHistogram::bucketOf(0), std::size_t(0));
        QCOMPARE(LatencyHistogram::bucketOf(LatencyHistogram::kMaxMicros), LatencyHistogram::kBuckets - 1);
        for (std::size_t b = 0; b + 1 < LatencyHistogram::kBuckets; ++b) {
            QCOMPARE(LatencyHistogram::bucketLow(b + 1), LatencyHistogram::bucketHigh(b) + 1);
            QCOMPARE(LatencyHistogram::bucketOf(LatencyHistogram::bucketLow(b)), b);
            QCOMPARE(LatencyHistogram::bucketOf(LatencyHistogram::bucketHigh(b)), b);
            const double width = double(LatencyHistogram::bucketHigh(b) - LatencyHistogram::bucketLow(b) + 1);
            QVERIFY(b < 64 ? width == 1.0 : width / double(LatencyHistogram::bucketLow(b)) <= 1.0 / 32);
        }
    }

    void quantilesAreWithinTheStatedPrecision_data() {
        QTest::addColumn<int>("shape");
        QTest::newRow("uniform 0..10ms") << 0;
        QTest::newRow("log-normal around 2ms") << 1;
        QTest::newRow("bimodal 50us / 800ms") << 2;
    }

    void quantilesAreWithinTheStatedPrecision() {
        QFETCH(int, shape);
        std::mt19937_64 gen(42);
        std::uniform_int_distribution<std::uint64_t> uniform(0, 10'000);
        std::lognormal_distribution<double> lognormal(std::log(2000.0), 0.8);
        std::vector<std::uint64_t> values;
        LatencyHistogram h;
        for (int i = 0; i < 50'000; ++i) {
            std::uint64_t v = 0;
            if (shape == 0)
                v = uniform(gen);
            else if (shape == 1)
                v = static_cast<std::uint64_t>(lognormal(gen));
            else
                v = i % 10 ? 50 + uniform(gen) % 5 : 800'000 + uniform(gen);
            values.push_back(v);
            h.record(v);
        }
        QCOMPARE(h.count(), std::uint64_t(values.size()));
        QCOMPARE(h.min(), *std::min_element(values.begin(), values.end()));
        QCOMPARE(h.max(), *std::max_element(values.begin(), values.end()));
        for (double q : {0.0, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
            const double exact = double(exactQuantile(values, q));
            const double got = double(h.quantile(q));
            QVERIFY2(std::abs(got - exact) <= std::max(1.0, exact / 64.0),
                     qPrintable(QStringLiteral("q%1: %2 vs exact %3").arg(q).arg(got).arg(exact)));
        }
    }

    // Shards merged answer as one histogram that saw every sample.
    void mergedShardsEqualOneHistogram() {
        LatencyHistogram all, a, b, empty;
        std::mt19937_64 gen(7);
        for (int i = 0; i < 10'000; ++i) {
            const std::uint64_t v = gen() % 1'000'000;
            all.record(v);
            (i % 3 ? a : b).record(v);
        }
        LatencyHistogram merged;
        merged.merge(a);
        merged.merge(empty);
        merged.merge(b);
        QCOMPARE(merged.count(), all.count());
        QCOMPARE(merged.min(), all.min());
        QCOMPARE(merged.max(), all.max());
        QCOMPARE(merged.mean(), all.mean());
        for (double q : {0.5, 0.9, 0.99})
            QCOMPARE(merged.quantile(q), all.quantile(q));
        LatencyHistogram copy = merged;
        merged.clear();
        QCOMPARE(merged.count(), std::uint64_t(0));
        QCOMPARE(merged.quantile(0.5), std::uint64_t(0));
        QCOMPARE(copy.quantile(0.99), all.quantile(0.99));
    }

    void extremesAreClampedNotLost() {
        LatencyHistogram h;
        QCOMPARE(h.quantile(0.5), std::uint64_t(0));
        QCOMPARE(h.min(), std::uint64_t(0));
        h.record(~std::uint64_t{0});
        h.record(0);
        QCOMPARE(h.count(), std::uint64_t(2));
        QCOMPARE(h.max(), LatencyHistogram::kMaxMicros);
        QCOMPARE(h.quantile(1.0), LatencyHistogram::kMaxMicros);
        QCOMPARE(h.quantile(0.5), std::uint64_t(0));
        QCOMPARE(h.countAtOrBelow(1000), std::uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(LatencyHistogramTest)
#include "latency_histogram_test.moc"
