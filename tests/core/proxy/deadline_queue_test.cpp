// SPDX-License-Identifier: Apache-2.0
// The worker's deadlines of upstream attempts: each entry fires once, never before its deadline,
// in deadline order, and a cancelled, rescheduled or destroyed entry behaves as its owner expects.

#include "proxy/deadline_queue.h"

#include <algorithm>
#include <memory>
#include <random>
#include <utility> // before Asio on GCC 12
#include <vector>

#include <QTest>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace asio = boost::asio;
using sluice::proxy::DeadlineQueue;
using Clock = DeadlineQueue::Clock;
using std::chrono::milliseconds;

namespace {

struct Fired {
    int id;
    Clock::time_point deadline;
    Clock::time_point at;
};

class Probe final : public DeadlineQueue::Entry {
public:
    Probe(int id, std::vector<Fired>& log)
        : m_id(id)
        , m_log(log) {}
    void expireAt(DeadlineQueue& queue, Clock::time_point at) {
        m_deadline = at;
        queue.schedule(*this, at);
    }
    void cancel() { cancelDeadline(); }
    /// From onDeadline(): schedule again `again` later, once.
    void rearmOnce(DeadlineQueue& queue, milliseconds again) {
        m_rearmQueue = &queue;
        m_again = again;
    }

private:
    void onDeadline() override {
        m_log.push_back({m_id, m_deadline, Clock::now()});
        if (m_rearmQueue) {
            DeadlineQueue& queue = *std::exchange(m_rearmQueue, nullptr);
            expireAt(queue, Clock::now() + m_again);
        }
    }
    int m_id;
    std::vector<Fired>& m_log;
    Clock::time_point m_deadline;
    DeadlineQueue* m_rearmQueue = nullptr;
    milliseconds m_again{0};
};

/// Runs `context` until nothing is left to do (every deadline fired or cancelled).
void runAll(asio::io_context& context) {
    context.restart();
    context.run();
}

std::vector<int> ids(const std::vector<Fired>& log) {
    std::vector<int> out;
    for (const Fired& f : log)
        out.push_back(f.id);
    return out;
}

} // namespace

class DeadlineQueueTest : public QObject {
    Q_OBJECT

private slots:
    void entriesFireInDeadlineOrderAndNeverEarly() {
        asio::io_context context;
        DeadlineQueue queue(context);
        std::vector<Fired> log;
        Probe a(1, log), b(2, log), c(3, log);
        const auto now = Clock::now();
        c.expireAt(queue, now + milliseconds(30));
        a.expireAt(queue, now + milliseconds(10));
        b.expireAt(queue, now + milliseconds(20));
        QCOMPARE(queue.size(), std::size_t{3});
        runAll(context);
        QCOMPARE(ids(log), (std::vector<int>{1, 2, 3}));
        for (const Fired& f : log)
            QVERIFY(f.at >= f.deadline);
        QCOMPARE(queue.size(), std::size_t{0});
        QVERIFY(!a.scheduled() && !b.scheduled() && !c.scheduled());
    }

    void cancelledAndDestroyedEntriesNeverFire() {
        asio::io_context context;
        DeadlineQueue queue(context);
        std::vector<Fired> log;
        Probe kept(1, log), cancelled(2, log);
        auto destroyed = std::make_unique<Probe>(3, log);
        const auto now = Clock::now();
        cancelled.expireAt(queue, now + milliseconds(5)); // the earliest: the timer waits for it
        destroyed->expireAt(queue, now + milliseconds(8));
        kept.expireAt(queue, now + milliseconds(15));
        cancelled.cancel();
        cancelled.cancel(); // twice: nothing more happens
        destroyed.reset();
        QCOMPARE(queue.size(), std::size_t{1});
        runAll(context); // the wait for the cancelled one ends with nothing due and waits on
        QCOMPARE(ids(log), (std::vector<int>{1}));
        QVERIFY(log.front().at >= log.front().deadline);
    }

    void reschedulingMovesTheDeadlineEitherWay() {
        asio::io_context context;
        DeadlineQueue queue(context);
        std::vector<Fired> log;
        Probe later(1, log), earlier(2, log);
        const auto now = Clock::now();
        later.expireAt(queue, now + milliseconds(5));
        earlier.expireAt(queue, now + milliseconds(200));
        later.expireAt(queue, now + milliseconds(40));   // a route timeout taking over from a per-try one
        earlier.expireAt(queue, now + milliseconds(10)); // before what the timer waits for
        QCOMPARE(queue.size(), std::size_t{2});
        runAll(context);
        QCOMPARE(ids(log), (std::vector<int>{2, 1}));
        QVERIFY(log[1].at >= now + milliseconds(40));
        QVERIFY(log[0].at < now + milliseconds(200));
    }

    void anEntryMayScheduleItselfAgainWhenItFires() {
        asio::io_context context;
        DeadlineQueue queue(context);
        std::vector<Fired> log;
        Probe probe(1, log);
        probe.rearmOnce(queue, milliseconds(5));
        probe.expireAt(queue, Clock::now() + milliseconds(5));
        runAll(context);
        QCOMPARE(ids(log), (std::vector<int>{1, 1}));
        QVERIFY(log[1].at >= log[1].deadline);
        QVERIFY(!probe.scheduled());
    }

    // Many deadlines, some cancelled, some moved: each survivor fires exactly once, in order.
    void manyEntriesKeepHeapOrder() {
        asio::io_context context;
        DeadlineQueue queue(context);
        std::vector<Fired> log;
        std::mt19937 random(7);
        std::vector<std::unique_ptr<Probe>> probes;
        const auto base = Clock::now();
        for (int i = 0; i < 300; ++i) {
            probes.push_back(std::make_unique<Probe>(i, log));
            probes.back()->expireAt(queue, base + milliseconds(random() % 40));
        }
        std::vector<int> expected;
        for (int i = 0; i < 300; ++i) {
            if (i % 7 == 0) {
                probes[i]->cancel();
                continue;
            }
            if (i % 5 == 0)
                probes[i]->expireAt(queue, base + milliseconds(random() % 40));
            expected.push_back(i);
        }
        QCOMPARE(queue.size(), expected.size());
        runAll(context);
        QCOMPARE(log.size(), expected.size());
        std::vector<int> fired = ids(log);
        std::sort(fired.begin(), fired.end());
        QCOMPARE(fired, expected);
        for (std::size_t i = 1; i < log.size(); ++i) {
            QVERIFY(log[i - 1].deadline <= log[i].deadline);
            QVERIFY(log[i].at >= log[i].deadline);
        }
    }

    void entriesOutliveTheQueueSafely() {
        std::vector<Fired> log;
        Probe probe(1, log);
        {
            asio::io_context context;
            DeadlineQueue queue(context);
            probe.expireAt(queue, Clock::now() + milliseconds(50));
            QVERIFY(probe.scheduled());
        }
        QVERIFY(!probe.scheduled());
        probe.cancel(); // reaches no queue
        QVERIFY(log.empty());
    }
};

QTEST_GUILESS_MAIN(DeadlineQueueTest)
#include "deadline_queue_test.moc"
