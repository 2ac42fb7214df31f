// SPDX-License-Identifier: Apache-2.0
#include "proxy/recent_requests.h"

#include <atomic>
#include <thread>
#include <vector>

#include <QTest>

using sluice::proxy::RecentRequests;
using sluice::proxy::RequestRecord;

namespace {

RequestRecord numbered(int n) {
    RequestRecord r;
    r.method = "GET";
    r.path = "/r/" + std::to_string(n);
    r.status = 200 + n % 3;
    r.authority = "shop.example.com";
    return r;
}

} // namespace

class RecentRequestsTest : public QObject {
    Q_OBJECT

private slots:
    void drainsWhatWasWrittenOldestFirst() {
        RecentRequests ring(8);
        for (int i = 0; i < 5; ++i)
            ring.write(numbered(i));
        std::vector<RequestRecord> out;
        QCOMPARE(ring.drain(out), std::size_t{0});
        QCOMPARE(out.size(), std::size_t{5});
        for (int i = 0; i < 5; ++i)
            QCOMPARE(out[static_cast<std::size_t>(i)].path, "/r/" + std::to_string(i));
        QCOMPARE(out[4].authority, std::string("shop.example.com"));
        // Nothing new: nothing more.
        out.clear();
        QCOMPARE(ring.drain(out), std::size_t{0});
        QVERIFY(out.empty());
    }

    void keepsTheNewestAndCountsTheOverwritten() {
        RecentRequests ring(4);
        for (int i = 0; i < 10; ++i)
            ring.write(numbered(i));
        std::vector<RequestRecord> out;
        QCOMPARE(ring.drain(out), std::size_t{6});
        QCOMPARE(out.size(), std::size_t{4});
        QCOMPARE(out.front().path, std::string("/r/6"));
        QCOMPARE(out.back().path, std::string("/r/9"));
    }

    void batchesFollowEachOtherAcrossBothBuffers() {
        RecentRequests ring(3);
        std::vector<RequestRecord> out;
        int next = 0;
        for (int batch = 0; batch < 7; ++batch) {
            const int count = 1 + batch % 3;
            for (int i = 0; i < count; ++i)
                ring.write(numbered(next++));
            QCOMPARE(ring.drain(out), std::size_t{0});
        }
        QCOMPARE(out.size(), static_cast<std::size_t>(next));
        for (int i = 0; i < next; ++i)
            QCOMPARE(out[static_cast<std::size_t>(i)].path, "/r/" + std::to_string(i));
    }

    void writersOnManyThreadsLoseNothingTheRingCanHold() {
        RecentRequests ring(100'000);
        std::atomic<bool> go{false};
        std::vector<std::thread> writers;
        for (int t = 0; t < 4; ++t)
            writers.emplace_back([&ring, &go, t] {
                while (!go)
                    std::this_thread::yield();
                for (int i = 0; i < 5000; ++i)
                    ring.write(numbered(t * 10'000 + i));
            });
        std::vector<RequestRecord> out;
        go = true;
        std::size_t dropped = 0;
        for (int i = 0; i < 20; ++i)
            dropped += ring.drain(out);
        for (auto& w : writers)
            w.join();
        dropped += ring.drain(out);
        QCOMPARE(dropped, std::size_t{0});
        QCOMPARE(out.size(), std::size_t{20'000});
    }
};

QTEST_GUILESS_MAIN(RecentRequestsTest)
#include "recent_requests_test.moc"
