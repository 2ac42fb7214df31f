// SPDX-License-Identifier: Apache-2.0
#include "routing/rng.h"
#include "traffic/arrival_schedule.h"

#include <cmath>
#include <vector>

#include <QTest>

using namespace sluice::traffic;

class ArrivalScheduleTest : public QObject {
    Q_OBJECT

private slots:
    // Constant arrivals sit at k/rate exactly; the window ends where the next one would be.
    void constantArrivals() {
        auto s = ArrivalSchedule::atRate(ArrivalProcess::Constant, 3, 4);
        sluice::routing::Rng rng;
        std::vector<SimTime> at;
        while (const auto t = s.next(rng))
            at.push_back(*t);
        QCOMPARE(at, (std::vector<SimTime>{0, 333'333'333, 666'666'667, 1'000'000'000}));
        QCOMPARE(s.count(), std::uint64_t(4));
        QCOMPARE(s.windowEnd(), SimTime(1'333'333'333));
    }

    // A time window: arrivals before it only, and the window is the duration.
    void windowStopsArrivals() {
        auto s = ArrivalSchedule::atRate(ArrivalProcess::Constant, 10, 1'000'000, 1'000'000'000);
        sluice::routing::Rng rng;
        std::size_t n = 0;
        while (s.next(rng))
            ++n;
        QCOMPARE(n, std::size_t(10));
        QCOMPARE(s.windowEnd(), SimTime(1'000'000'000));
    }

    // Poisson arrivals: the count in a window is close to rate x window, the gaps' spread too.
    void poissonArrivals() {
        auto s = ArrivalSchedule::atRate(ArrivalProcess::Poisson, 1000, 1'000'000, 100'000'000'000);
        sluice::routing::Rng rng(3);
        std::size_t n = 0;
        SimTime previous = 0;
        double sumSquares = 0;
        while (const auto t = s.next(rng)) {
            const double gap = static_cast<double>(*t - previous) / 1e6; // ms
            sumSquares += gap * gap;
            previous = *t;
            ++n;
        }
        // 100,000 expected, standard deviation 316.
        QVERIFY2(std::abs(static_cast<double>(n) - 100000.0) < 1500.0, std::to_string(n).c_str());
        // Exponential gaps of mean 1 ms: E[gap^2] = 2 ms^2.
        const double meanSquare = sumSquares / static_cast<double>(n);
        QVERIFY2(std::abs(meanSquare - 2.0) < 0.1, std::to_string(meanSquare).c_str());
    }

    // A recording's offsets, capped by a count or a window; the window of a recording is its span.
    void recordedArrivals() {
        const std::vector<SimTime> offsets{0, 5, 5, 20, 40};
        sluice::routing::Rng rng;
        auto all = ArrivalSchedule::recorded(offsets, 100);
        std::vector<SimTime> at;
        while (const auto t = all.next(rng))
            at.push_back(*t);
        QCOMPARE(at, offsets);
        QCOMPARE(all.windowEnd(), SimTime(40));
        auto three = ArrivalSchedule::recorded(offsets, 3);
        while (three.next(rng)) {
        }
        QCOMPARE(three.count(), std::uint64_t(3));
        QCOMPARE(three.windowEnd(), SimTime(5));
        auto early = ArrivalSchedule::recorded(offsets, 100, 20);
        while (early.next(rng)) {
        }
        QCOMPARE(early.count(), std::uint64_t(3));
        QCOMPARE(early.windowEnd(), SimTime(20));
    }

    // Rates so low that the times would not fit end the schedule instead of overflowing.
    void absurdlySlowRateEnds() {
        auto s = ArrivalSchedule::atRate(ArrivalProcess::Constant, 1e-12, 10);
        sluice::routing::Rng rng;
        QCOMPARE(s.next(rng).value_or(-1), SimTime(0));
        QVERIFY(!s.next(rng));
    }
};

QTEST_GUILESS_MAIN(ArrivalScheduleTest)
#include "arrival_schedule_test.moc"
