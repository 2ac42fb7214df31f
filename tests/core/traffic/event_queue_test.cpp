// SPDX-License-Identifier: Apache-2.0
#include "routing/rng.h"
#include "traffic/event_queue.h"

#include <vector>

#include <QTest>

using namespace sluice::traffic;

class EventQueueTest : public QObject {
    Q_OBJECT

private slots:
    // Earliest first; equal times in the order they were scheduled; the clock follows.
    void ordersByTimeThenFirstComeFirstServed() {
        EventQueue q;
        q.schedule(30, 1, 0);
        q.schedule(10, 1, 1);
        q.schedule(30, 1, 2);
        q.schedule(20, 1, 3);
        q.schedule(10, 1, 4);
        std::vector<std::uint32_t> order;
        std::vector<SimTime> times;
        while (!q.empty()) {
            const SimEvent e = q.take();
            order.push_back(e.index);
            times.push_back(q.now());
        }
        QCOMPARE(order, (std::vector<std::uint32_t>{1, 4, 3, 0, 2}));
        QCOMPARE(times, (std::vector<SimTime>{10, 10, 20, 30, 30}));
    }

    // The past is out of reach: an event scheduled before now happens now.
    void pastIsClampedToNow() {
        EventQueue q;
        q.schedule(100, 1, 0);
        (void)q.take();
        q.schedule(50, 2, 7, 99, -3);
        QCOMPARE(q.next(), SimTime(100));
        const SimEvent e = q.take();
        QCOMPARE(e.at, SimTime(100));
        QCOMPARE(e.kind, std::uint8_t(2));
        QCOMPARE(e.token, std::uint64_t(99));
        QCOMPARE(e.value, -3);
        QCOMPARE(q.next(), kNever);
    }

    // A large random agenda comes out sorted (a heap, not a sorted insert).
    void manyEventsComeOutSorted() {
        EventQueue q;
        sluice::routing::Rng rng(5);
        for (std::uint32_t i = 0; i < 100000; ++i)
            q.schedule(static_cast<SimTime>(rng.below(1000)), 1, i);
        SimTime last = -1;
        std::uint32_t lastIndex = 0;
        std::size_t n = 0;
        while (!q.empty()) {
            const SimEvent e = q.take();
            QVERIFY(e.at >= last);
            if (e.at == last)
                QVERIFY(e.index > lastIndex); // scheduling order among equals
            last = e.at;
            lastIndex = e.index;
            ++n;
        }
        QCOMPARE(n, std::size_t(100000));
        q.clear();
        QCOMPARE(q.now(), SimTime(0));
    }
};

QTEST_GUILESS_MAIN(EventQueueTest)
#include "event_queue_test.moc"
