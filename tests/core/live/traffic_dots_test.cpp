// SPDX-License-Identifier: Apache-2.0
// The flow graph's moving dots: none on an idle edge, more on a busier one, moving from source to
// target at a steady speed, each keeping its colour, red in the share of requests that fail.

#include "live/traffic_dots.h"

#include <algorithm>
#include <cmath>

#include <QTest>

using sluice::live::TrafficDot;
using sluice::live::TrafficDots;

class TrafficDotsTest : public QObject {
    Q_OBJECT

private slots:
    void idleEdgesHaveNoDots() {
        QVERIFY(TrafficDots::at(0, 0, 300, 5).empty());
        QVERIFY(TrafficDots::at(-1, 0, 300, 5).empty());
        QVERIFY(TrafficDots::at(100, 0, 0, 5).empty()); // an edge with no length
        QCOMPARE(TrafficDots::dotsPerSecond(0), 0.0);
    }

    void busierEdgesCarryMoreDots() {
        double before = 0;
        for (double rps : {0.2, 1.0, 10.0, 100.0, 1000.0, 50000.0}) {
            const double rate = TrafficDots::dotsPerSecond(rps);
            QVERIFY2(rate > before, qPrintable(QString::number(rps)));
            QVERIFY(rate <= 12);
            before = rate;
        }
        // Once the edge has filled, the count on it is its length over the spacing.
        const auto quiet = TrafficDots::at(1, 0, 600, 60);
        const auto busy = TrafficDots::at(5000, 0, 600, 60);
        QVERIFY(quiet.size() >= 4 && quiet.size() <= 6); // 600 px at 120 px/s: 5 s of 1 dot/s
        QVERIFY2(busy.size() > 3 * quiet.size(), qPrintable(QString::number(busy.size())));
    }

    // A dot advances by speed x time, so the same dot is found further along a frame later.
    void dotsMoveFromSourceToTarget() {
        const double length = 480;
        const auto now = TrafficDots::at(50, 0, length, 10.0);
        const auto later = TrafficDots::at(50, 0, length, 10.1);
        QVERIFY(!now.empty() && !later.empty());
        for (const TrafficDot& d : now)
            QVERIFY(d.at >= 0 && d.at <= 1);
        const double step = TrafficDots::kSpeed * 0.1 / length;
        bool found = false;
        for (const TrafficDot& d : later)
            found = found || std::abs(d.at - (now.front().at + step)) < 1e-9;
        QVERIFY(found);
        // Nothing before the animation started: at 0 s one dot, at the source.
        const auto start = TrafficDots::at(50, 0, length, 0);
        QCOMPARE(start.size(), std::size_t{1});
        QCOMPARE(start.front().at, 0.0);
    }

    void failingShareIsRedAndStaysRed() {
        const auto none = TrafficDots::at(800, 0, 2000, 30);
        QVERIFY(!none.empty());
        QVERIFY(std::none_of(none.begin(), none.end(), [](const TrafficDot& d) { return d.error; }));
        const auto all = TrafficDots::at(800, 1, 2000, 30);
        QVERIFY(std::all_of(all.begin(), all.end(), [](const TrafficDot& d) { return d.error; }));
        // A fifth failing: about a fifth of the dots on a long edge are red.
        const auto some = TrafficDots::at(800, 0.2, 20000, 300);
        const auto red = std::count_if(some.begin(), some.end(), [](const TrafficDot& d) { return d.error; });
        QVERIFY2(some.size() > 100, qPrintable(QString::number(some.size())));
        const double share = static_cast<double>(red) / static_cast<double>(some.size());
        QVERIFY2(share > 0.15 && share < 0.25, qPrintable(QString::number(share)));
        // The same dot, a frame later, has the same colour.
        const auto next = TrafficDots::at(800, 0.2, 20000, 300.04);
        const double step = TrafficDots::kSpeed * 0.04 / 20000;
        for (std::size_t i = 0; i + 1 < some.size(); ++i)
            for (const TrafficDot& d : next)
                if (std::abs(d.at - (some[i].at + step)) < 1e-9)
                    QCOMPARE(d.error, some[i].error);
    }
};

QTEST_APPLESS_MAIN(TrafficDotsTest)
#include "traffic_dots_test.moc"
