// SPDX-License-Identifier: Apache-2.0
#include "proxy/http2_stream_buffers.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <QTest>

using sluice::proxy::Http2StreamBufferPool;
using sluice::proxy::Http2StreamBuffers;

namespace {

/// Buffers as a finished stream leaves them: every field written.
std::unique_ptr<Http2StreamBuffers> used(Http2StreamBufferPool& pool) {
    auto b = pool.take();
    b->request.add(":method", "POST");
    b->request.add(":scheme", "https");
    b->request.add(":authority", "shop.test");
    b->request.add(":path", "/cart?id=7");
    b->request.add("x-user", "jason");
    b->request.complete();
    b->decision.status = 200;
    b->decision.upstreamPath = "/cart?id=7";
    b->decision.upstreamAuthority = "shop.test";
    b->decision.setDestination(
        {"cart.shop.svc.cluster.local", 80, "v2", "outbound|80|v2|cart.shop.svc.cluster.local"});
    b->decision.requestHeaders.set.emplace_back("x-secret", "token");
    b->body.assign(4000, 'b');
    b->pending.assign(3000, 'p');
    b->out = "POST /cart?id=7 HTTP/1.1\r\nhost: shop.test\r\n\r\n";
    b->requestId = "2f1e6c52-41d9-4c1c-9a55-0d6e1d3b1f0a";
    return b;
}

} // namespace

class Http2StreamBuffersTest : public QObject {
    Q_OBJECT

private slots:
    void nothingOfTheLastRequestReachesTheNext() {
        Http2StreamBufferPool pool;
        pool.give(used(pool));
        QCOMPARE(pool.spare(), std::size_t{1});
        const auto b = pool.take();
        QCOMPARE(pool.spare(), std::size_t{0});
        QVERIFY(b->body.empty());
        QVERIFY(b->pending.empty());
        QVERIFY(b->out.empty());
        QVERIFY(b->requestId.empty());
        QCOMPARE(b->request.fieldCount(), std::size_t{0});
        QVERIFY(b->request.head().method.empty());
        QVERIFY(b->request.head().fields.empty());
        QVERIFY(!b->decision.destination);
        QCOMPARE(b->decision.status, 404);
        QVERIFY(b->decision.upstreamPath.empty());
        QVERIFY(b->decision.upstreamAuthority.empty());
        QVERIFY(b->decision.requestHeaders.empty());
    }

    void theRoomIsKept() {
        Http2StreamBufferPool pool;
        auto first = used(pool);
        const std::size_t body = first->body.capacity();
        const std::size_t pending = first->pending.capacity();
        pool.give(std::move(first));
        const auto again = pool.take();
        QCOMPARE(again->body.capacity(), body);
        QCOMPARE(again->pending.capacity(), pending);
    }

    void aReusedRequestReadsItsOwnFields() {
        Http2StreamBufferPool pool;
        pool.give(used(pool));
        const auto b = pool.take();
        b->request.add(":method", "GET");
        b->request.add(":scheme", "https");
        b->request.add(":authority", "books.test");
        b->request.add(":path", "/reviews/1");
        b->request.complete();
        QCOMPARE(b->request.head().method, std::string_view("GET"));
        QCOMPARE(b->request.head().target, std::string_view("/reviews/1"));
        QCOMPARE(b->request.head().host, std::string_view("books.test"));
        QVERIFY(b->request.header("x-user").empty());
    }

    void aBurstDoesNotPinItsPeak() {
        Http2StreamBufferPool pool;
        std::vector<std::unique_ptr<Http2StreamBuffers>> streams;
        for (std::size_t i = 0; i < Http2StreamBufferPool::kKept + 20; ++i)
            streams.push_back(pool.take());
        for (auto& s : streams)
            pool.give(std::move(s));
        QCOMPARE(pool.spare(), Http2StreamBufferPool::kKept);
    }

    void buffersALargeBodyGrewAreFreed() {
        Http2StreamBufferPool pool;
        auto b = pool.take();
        b->body.assign(Http2StreamBufferPool::kLargestKept + 1, 'x');
        pool.give(std::move(b));
        QCOMPARE(pool.spare(), std::size_t{0});
    }
};

QTEST_GUILESS_MAIN(Http2StreamBuffersTest)
#include "http2_stream_buffers_test.moc"
