// SPDX-License-Identifier: Apache-2.0
#include "allocation_counter.h"
#include "metrics/latency_histogram.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

#include <QTest>

using sluice::metrics::HistogramCell;
using sluice::metrics::HistogramPrecision;
using sluice::metrics::LatencyHistogram;

Q_DECLARE_METATYPE(HistogramPrecision)

namespace {

enum class Shape { Uniform, Exponential, LogNormal };

/// 100,000 samples (µs) of a known distribution, with a fixed seed.
std::vector<std::uint64_t> samples(Shape shape, unsigned seed = 42) {
    std::mt19937_64 gen(seed);
    std::uniform_int_distribution<std::uint64_t> uniform(0, 100'000);       // 0..100 ms
    std::exponential_distribution<double> exponential(1.0 / 5'000.0);       // mean 5 ms
    std::lognormal_distribution<double> lognormal(std::log(20'000.0), 1.0); // median 20 ms
    std::vector<std::uint64_t> values(100'000);
    for (std::uint64_t& v : values) {
        if (shape == Shape::Uniform)
            v = uniform(gen);
        else if (shape == Shape::Exponential)
            v = static_cast<std::uint64_t>(exponential(gen));
        else
            v = static_cast<std::uint64_t>(lognormal(gen));
    }
    return values;
}

/// The sorted-sample value of rank ceil(perMille / 1000 * N), in integers (no roundoff).
std::uint64_t exactAtPerMille(const std::vector<std::uint64_t>& sorted, std::uint64_t perMille) {
    const std::uint64_t rank = std::max<std::uint64_t>(1, (perMille * sorted.size() + 999) / 1000);
    return sorted[rank - 1];
}

void compareBuckets(const LatencyHistogram& got, const LatencyHistogram& want) {
    QCOMPARE(got.precision(), want.precision());
    QCOMPARE(got.count(), want.count());
    QCOMPARE(got.sum(), want.sum());
    QCOMPARE(got.min(), want.min());
    QCOMPARE(got.max(), want.max());
    QCOMPARE(got.clamped(), want.clamped());
    for (std::size_t i = 0; i < want.bucketCount(); ++i)
        if (got.countAt(i) != want.countAt(i))
            QFAIL(qPrintable(
                QStringLiteral("bucket %1: %2 vs %3").arg(i).arg(got.countAt(i)).arg(want.countAt(i))));
}

} // namespace

class LatencyHistogramTest : public QObject {
    Q_OBJECT

private slots:
    // HdrHistogram's numbers for 3 significant digits from 1 µs to 60 s.
    void threeDigitsIsHdrHistogramsLayout() {
        constexpr HistogramPrecision p = HistogramPrecision::threeDigits();
        QCOMPARE(p.subBucketHalfBits, std::uint8_t(10)); // 2 * 10^3 -> 2048 sub-buckets, 1024 per half
        QCOMPARE(p.highestTrackable, std::uint64_t(60'000'000));
        QCOMPARE(HistogramPrecision::significantDigits(1, 100).subBucketHalfBits, std::uint8_t(4)); // 32
        QCOMPARE(HistogramPrecision::significantDigits(2, 100).subBucketHalfBits, std::uint8_t(7)); // 256
        QCOMPARE(HistogramPrecision::significantDigits(0, 100).subBucketHalfBits, std::uint8_t(0)); // 2
        // Unit resolution below 2048; then buckets of 2, 4, ... each half-range of 1024 buckets.
        QCOMPARE(p.index(2047), std::size_t(2047));
        QCOMPARE(p.index(2048), std::size_t(2048));
        QCOMPARE(p.index(2049), std::size_t(2048));
        QCOMPARE(p.index(4096), std::size_t(3072));
        QCOMPARE(p.lowest(3072), std::uint64_t(4096));
        QCOMPARE(p.highest(3072), std::uint64_t(4099));
        QCOMPARE(p.countsLength(), std::size_t(17'192));
        QCOMPARE(p.countsBytes(), std::size_t(137'536));
        // The compact layout is the proxy's historical one: 896 buckets up to 2^32 - 1.
        QCOMPARE(HistogramPrecision::compact().countsLength(), std::size_t(896));
        QCOMPARE(HistogramPrecision::compact().countsBytes(), std::size_t(7'168));
        // Out-of-range layouts are brought within what the indexing supports.
        const LatencyHistogram wild(HistogramPrecision{200, 1});
        QCOMPARE(wild.precision(), (HistogramPrecision{17, 2}));
    }

    void bucketsTileTheRange_data() {
        QTest::addColumn<HistogramPrecision>("precision");
        QTest::newRow("compact") << HistogramPrecision::compact();
        QTest::newRow("three digits") << HistogramPrecision::threeDigits();
    }

    // No gap, no overlap; each bucket at most 2^-halfBits of its lowest value wide.
    void bucketsTileTheRange() {
        QFETCH(HistogramPrecision, precision);
        const std::size_t n = precision.countsLength();
        QCOMPARE(precision.index(0), std::size_t(0));
        QCOMPARE(precision.index(precision.highestTrackable), n - 1);
        for (std::size_t b = 0; b + 1 < n; ++b) {
            QCOMPARE(precision.lowest(b + 1), precision.highest(b) + 1);
            QCOMPARE(precision.index(precision.lowest(b)), b);
            QCOMPARE(precision.index(precision.highest(b)), b);
            const std::uint64_t width = precision.highest(b) - precision.lowest(b) + 1;
            QVERIFY(width == 1 || width <= precision.lowest(b) >> precision.subBucketHalfBits);
        }
    }

    void quantilesFollowHdrHistogram_data() {
        QTest::addColumn<HistogramPrecision>("precision");
        QTest::addColumn<int>("shape");
        for (const auto& [name, p] : {std::pair{"three digits", HistogramPrecision::threeDigits()},
                                      std::pair{"compact", HistogramPrecision::compact()}}) {
            QTest::addRow("%s uniform", name) << p << int(Shape::Uniform);
            QTest::addRow("%s exponential", name) << p << int(Shape::Exponential);
            QTest::addRow("%s log-normal", name) << p << int(Shape::LogNormal);
        }
    }

    // p50/p90/p99/p99.9 are the highest value of the bucket that holds the exact sorted-sample
    // quantile (never below it; at most one bucket width, < 0.1 % at three digits, above it).
    void quantilesFollowHdrHistogram() {
        QFETCH(HistogramPrecision, precision);
        QFETCH(int, shape);
        std::vector<std::uint64_t> values = samples(static_cast<Shape>(shape));
        LatencyHistogram h(precision);
        for (const std::uint64_t v : values)
            h.record(v);
        std::sort(values.begin(), values.end());
        QCOMPARE(h.count(), std::uint64_t(values.size()));
        QCOMPARE(h.min(), values.front());
        QCOMPARE(h.max(), values.back());
        QCOMPARE(h.quantile(0.0), values.front());
        QCOMPARE(h.quantile(1.0), values.back());
        for (const std::uint64_t perMille : {500, 900, 990, 999}) {
            const std::uint64_t exact = exactAtPerMille(values, perMille);
            const std::uint64_t got = h.valueAtPercentile(static_cast<double>(perMille) / 10.0);
            QCOMPARE(got, std::min(precision.highest(precision.index(exact)), values.back()));
            QVERIFY(got >= exact);
            if (precision == HistogramPrecision::threeDigits())
                QVERIFY2(
                    got - exact <= exact / 1024,
                    qPrintable(QStringLiteral("p%1: %2 vs %3").arg(perMille / 10.0).arg(got).arg(exact)));
        }
    }

    // The rank rule: ceil(p/100 * N) with one ulp removed, so p99.9 of 1..1000 is 999, not 1000.
    void rankRoundsLikeHdrHistogram() {
        LatencyHistogram h(HistogramPrecision::threeDigits());
        for (std::uint64_t v = 1; v <= 1000; ++v)
            h.record(v);
        QCOMPARE(h.valueAtPercentile(50.0), std::uint64_t(500));
        QCOMPARE(h.valueAtPercentile(99.0), std::uint64_t(990));
        QCOMPARE(h.valueAtPercentile(99.9), std::uint64_t(999));
        QCOMPARE(h.valueAtPercentile(100.0), std::uint64_t(1000));
        QCOMPARE(h.valueAtPercentile(0.0), std::uint64_t(1));
        QCOMPARE(h.valueAtPercentile(-5.0), std::uint64_t(1));
        QCOMPARE(h.valueAtPercentile(std::nan("")), std::uint64_t(1));
        QCOMPARE(h.valueAtPercentile(250.0), std::uint64_t(1000));
        QCOMPARE(h.mean(), 500.5);
    }

    void mergedShardsEqualOneHistogram_data() { bucketsTileTheRange_data(); }

    void mergedShardsEqualOneHistogram() {
        QFETCH(HistogramPrecision, precision);
        LatencyHistogram all(precision), a(precision), b(precision), c(precision), empty(precision);
        std::mt19937_64 gen(7);
        for (const std::uint64_t v : samples(Shape::LogNormal, 7)) {
            all.record(v * 100); // median 2 s, a tail of minutes: some clamp at three digits
            (gen() % 3 == 0 ? a : gen() % 2 ? b : c).record(v * 100);
        }
        LatencyHistogram merged(precision);
        QVERIFY(merged.merge(a));
        QVERIFY(merged.merge(empty));
        QVERIFY(merged.merge(b));
        QVERIFY(merged.merge(c));
        compareBuckets(merged, all);
        if (precision == HistogramPrecision::threeDigits())
            QVERIFY(all.clamped() > 0);
        for (const double q : {0.5, 0.9, 0.99, 0.999})
            QCOMPARE(merged.quantile(q), all.quantile(q));
        // A sparse copy merges back to the same histogram.
        std::vector<HistogramCell> cells;
        all.appendCells(cells);
        LatencyHistogram rebuilt(precision);
        QVERIFY(rebuilt.merge(cells, all.totals(), precision));
        compareBuckets(rebuilt, all);
    }

    // Finer into coarser converts exactly; coarser into finer is refused and changes nothing.
    void mergeAcrossPrecisions() {
        LatencyHistogram fine(HistogramPrecision::threeDigits());
        LatencyHistogram coarse(HistogramPrecision::compact());
        for (const std::uint64_t v : samples(Shape::Exponential, 3)) {
            fine.record(v);
            coarse.record(v);
        }
        LatencyHistogram merged(HistogramPrecision::compact());
        QVERIFY(merged.merge(fine));
        compareBuckets(merged, coarse);
        const std::optional<LatencyHistogram> converted = fine.convertedTo(HistogramPrecision::compact());
        QVERIFY(converted);
        compareBuckets(*converted, coarse);

        LatencyHistogram precise(HistogramPrecision::threeDigits());
        precise.record(1234);
        QVERIFY(!precise.merge(coarse));
        QCOMPARE(precise.count(), std::uint64_t(1));
        QCOMPARE(precise.max(), std::uint64_t(1234));
        QVERIFY(!coarse.convertedTo(HistogramPrecision::threeDigits()));
        std::vector<HistogramCell> cells;
        coarse.appendCells(cells);
        QVERIFY(!precise.merge(cells, coarse.totals(), coarse.precision()));
        QCOMPARE(precise.count(), std::uint64_t(1));
    }

    // 0, 1 µs and 60 s are recorded exactly; above 60 s clamps to 60 s and is counted.
    void bounds() {
        LatencyHistogram h(HistogramPrecision::threeDigits());
        QCOMPARE(h.quantile(0.5), std::uint64_t(0));
        QCOMPARE(h.min(), std::uint64_t(0));
        h.record(0);
        h.record(1);
        QCOMPARE(h.quantile(0.5), std::uint64_t(0));
        QCOMPARE(h.quantile(1.0), std::uint64_t(1));
        h.record(60'000'000);
        QCOMPARE(h.clamped(), std::uint64_t(0));
        QCOMPARE(h.max(), std::uint64_t(60'000'000));
        h.record(60'000'001);
        h.record(~std::uint64_t{0});
        QCOMPARE(h.count(), std::uint64_t(5));
        QCOMPARE(h.clamped(), std::uint64_t(2));
        QCOMPARE(h.max(), std::uint64_t(60'000'000));
        QCOMPARE(h.quantile(0.99), std::uint64_t(60'000'000));
        QCOMPARE(h.sum(), std::uint64_t(1 + 3 * 60'000'000));
        QCOMPARE(h.countAtOrBelow(1000), std::uint64_t(2));

        LatencyHistogram compact; // the default: the proxy's layout, up to 2^32 - 1 µs
        compact.record(~std::uint64_t{0});
        QCOMPARE(compact.max(), (std::uint64_t{1} << 32) - 1);
        QCOMPARE(compact.clamped(), std::uint64_t(1));
        // A histogram with a lower ceiling clamps what it merges, and counts it.
        LatencyHistogram low(HistogramPrecision{5, 1000});
        QVERIFY(low.merge(compact));
        QCOMPARE(low.max(), std::uint64_t(1000));
        QCOMPARE(low.clamped(), std::uint64_t(2));
    }

    // Clearing, copying and merging touch only the buckets between min and max; what they leave
    // must still equal a histogram that saw exactly the same samples.
    void reuseAfterClearEqualsFresh() {
        for (const HistogramPrecision p :
             {HistogramPrecision::compact(), HistogramPrecision::threeDigits()}) {
            LatencyHistogram h(p);
            for (const std::uint64_t v :
                 {std::uint64_t{0}, std::uint64_t{5}, std::uint64_t{999'999}, ~std::uint64_t{0}})
                h.record(v);
            const LatencyHistogram copy(h);
            compareBuckets(copy, h);
            h.clear();
            compareBuckets(h, LatencyHistogram(p));
            h.record(700);
            LatencyHistogram fresh(p);
            fresh.record(700);
            compareBuckets(h, fresh);
            QVERIFY(h.merge(copy));
            QVERIFY(fresh.merge(copy));
            compareBuckets(h, fresh);
            QCOMPARE(h.quantile(1.0), p.highestTrackable);
        }
    }

    // A sparse copy whose cells contradict its totals (min and max inside the cells' range) still
    // lands whole, and min and max widen to cover it, so clear() leaves nothing behind.
    void contradictoryCellsAreKeptAndCleared() {
        const HistogramPrecision p = HistogramPrecision::compact();
        LatencyHistogram source(p);
        source.record(3);
        source.record(50'000);
        std::vector<HistogramCell> cells;
        source.appendCells(cells);
        LatencyHistogram h(p);
        QVERIFY(h.merge(cells, {2, 50'003, 1000, 1000, 0}, p));
        QCOMPARE(h.count(), std::uint64_t(2));
        QCOMPARE(h.min(), std::uint64_t(3));
        QVERIFY(h.max() >= 50'000);
        QCOMPARE(h.countAtOrBelow(10), std::uint64_t(1));
        h.clear();
        compareBuckets(h, LatencyHistogram(p));
    }

    // Counts are allocated on the first sample; recording never allocates after it.
    void memory() {
        for (const HistogramPrecision p :
             {HistogramPrecision::compact(), HistogramPrecision::threeDigits()}) {
            LatencyHistogram h(p);
            QCOMPARE(h.memoryBytes(), sizeof(LatencyHistogram));
            h.record(5);
            QCOMPARE(h.memoryBytes(), sizeof(LatencyHistogram) + p.countsBytes());
            const std::size_t before = sluice::test::g_allocations.load();
            for (std::uint64_t v = 0; v < 100'000; ++v)
                h.record(v * 977);
            h.clear();
            h.record(3);
            QCOMPARE(sluice::test::g_allocations.load(), before);
            LatencyHistogram moved(std::move(h));
            QCOMPARE(moved.count(), std::uint64_t(1));
            QCOMPARE(h.count(), std::uint64_t(0)); // NOLINT(bugprone-use-after-move): defined empty
            QCOMPARE(h.quantile(0.5), std::uint64_t(0));
            QCOMPARE(h.precision(), p);
            h.record(7);
            QCOMPARE(h.quantile(0.5), std::uint64_t(7));
        }
        QCOMPARE(sizeof(LatencyHistogram), std::size_t(72));
    }

    // A copy stores only the buckets from min to max; recording or merging outside them widens
    // it to the whole layout, and it still counts what a fresh histogram would.
    void copiesStoreTheUsedBuckets() {
        for (const HistogramPrecision p :
             {HistogramPrecision::compact(), HistogramPrecision::threeDigits()}) {
            LatencyHistogram h(p);
            for (std::uint64_t v = 1000; v <= 2000; v += 7)
                h.record(v);
            LatencyHistogram copy(h);
            const std::size_t used = p.index(h.max()) - p.index(h.min()) + 1;
            QCOMPARE(copy.memoryBytes(), sizeof(LatencyHistogram) + used * sizeof(std::uint64_t));
            compareBuckets(copy, h);
            QCOMPARE(copy.quantile(0.5), h.quantile(0.5));
            QCOMPARE(copy.countAtOrBelow(1500), h.countAtOrBelow(1500));

            LatencyHistogram merged(copy);
            QVERIFY(merged.merge(copy)); // inside the window: stays narrow
            QCOMPARE(merged.memoryBytes(), copy.memoryBytes());
            copy.record(5); // below the window
            h.record(5);
            compareBuckets(copy, h);
            QCOMPARE(copy.memoryBytes(), sizeof(LatencyHistogram) + p.countsBytes());
            LatencyHistogram wide(p);
            wide.record(1'000'000);
            QVERIFY(merged.merge(wide)); // above it
            LatencyHistogram want(p);
            for (std::uint64_t v = 1000; v <= 2000; v += 7) {
                want.record(v);
                want.record(v);
            }
            want.record(1'000'000);
            compareBuckets(merged, want);
            merged.clear();
            compareBuckets(merged, LatencyHistogram(p));
        }
    }
};

QTEST_GUILESS_MAIN(LatencyHistogramTest)
#include "latency_histogram_test.moc"
