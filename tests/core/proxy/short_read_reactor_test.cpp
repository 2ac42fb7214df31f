// SPDX-License-Identifier: Apache-2.0
// Asio's reactor as Sluice builds it (cmake/asio-short-reads.patch): after a read that emptied the
// socket the next read waits for epoll. Nothing may be lost by that: bytes that come later, a
// shutdown that came with the last bytes (one epoll edge for both, maybe seen before any read
// was waiting), a peek's bytes, a reset. Each read here must end within a second.

#include "loopback_pair.h"

#include <array>
#include <optional>
#include <string>
#include <utility> // before Asio on GCC 12

#include <QTest>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using sluice::test::connectedPair;

namespace {

struct ReadResult {
    error_code error;
    std::string bytes;
};

/// One async_read_some into a buffer larger than anything sent (so every read is short), run until
/// it completes or a second has passed.
std::optional<ReadResult> readOnce(asio::io_context& context, tcp::socket& socket,
                                   asio::socket_base::message_flags flags = 0) {
    std::array<char, 4096> buffer{};
    std::optional<ReadResult> result;
    socket.async_receive(asio::buffer(buffer), flags, [&](error_code ec, std::size_t n) {
        result = ReadResult{ec, std::string(buffer.data(), n)};
    });
    context.restart();
    context.run_for(std::chrono::seconds(1));
    return result;
}

/// Lets the reactor take every pending epoll edge while no read waits on the socket.
void drainEdges(asio::io_context& context) {
    auto work = asio::make_work_guard(context);
    context.restart();
    for (int i = 0; i < 3; ++i)
        context.poll();
}

} // namespace

class ShortReadReactorTest : public QObject {
    Q_OBJECT

private slots:
    void bytesSentAfterAShortReadArrive() {
        asio::io_context context;
        auto [client, server] = connectedPair(context);
        asio::write(client, asio::buffer(std::string("first")));
        const auto first = readOnce(context, server);
        QVERIFY(first);
        QCOMPARE(first->bytes, std::string("first"));

        asio::steady_timer later(context, std::chrono::milliseconds(50));
        later.async_wait([&](error_code) { asio::write(client, asio::buffer(std::string("second"))); });
        const auto second = readOnce(context, server);
        QVERIFY2(second, "the read after a short one never saw the bytes sent later");
        QCOMPARE(second->bytes, std::string("second"));
    }

    void shutdownInTheLastBytesEdgeIsSeenWhenTheEdgeCameFirst() {
        asio::io_context context;
        auto [client, server] = connectedPair(context);
        asio::write(client, asio::buffer(std::string("last words")));
        client.shutdown(tcp::socket::shutdown_send);
        drainEdges(context); // the one edge for bytes and FIN is taken with no read waiting

        const auto bytes = readOnce(context, server);
        QVERIFY(bytes);
        QCOMPARE(bytes->bytes, std::string("last words"));
        const auto end = readOnce(context, server);
        QVERIFY2(end, "the shutdown that came with the last bytes was lost");
        QCOMPARE(end->error, error_code(asio::error::eof));
    }

    void shutdownInTheLastBytesEdgeIsSeenWhileAReadWaits() {
        asio::io_context context;
        auto [client, server] = connectedPair(context);
        std::array<char, 4096> buffer{};
        std::optional<ReadResult> bytes;
        server.async_read_some(asio::buffer(buffer), [&](error_code ec, std::size_t n) {
            bytes = ReadResult{ec, std::string(buffer.data(), n)};
        });
        context.poll(); // the read now waits on epoll
        asio::write(client, asio::buffer(std::string("last words")));
        client.shutdown(tcp::socket::shutdown_send);
        context.restart();
        context.run_for(std::chrono::seconds(1));
        QVERIFY(bytes);
        QCOMPARE(bytes->bytes, std::string("last words"));

        const auto end = readOnce(context, server);
        QVERIFY2(end, "the shutdown that came with the last bytes was lost");
        QCOMPARE(end->error, error_code(asio::error::eof));
    }

    void aPeekLeavesItsBytesForTheRead() {
        asio::io_context context;
        auto [client, server] = connectedPair(context);
        asio::write(client, asio::buffer(std::string("hello")));
        drainEdges(context); // no edge is left to wake the read after the peek
        const auto peeked = readOnce(context, server, asio::socket_base::message_peek);
        QVERIFY(peeked);
        QCOMPARE(peeked->bytes, std::string("hello"));
        const auto read = readOnce(context, server);
        QVERIFY2(read, "the bytes a peek left in the socket were never read");
        QCOMPARE(read->bytes, std::string("hello"));
    }

    void aResetAfterTheLastBytesIsReported() {
        asio::io_context context;
        auto [client, server] = connectedPair(context);
        asio::write(client, asio::buffer(std::string("bye")));
        client.set_option(asio::socket_base::linger(true, 0)); // close sends RST
        client.close();
        drainEdges(context);

        // Linux may hand out the bytes before the reset or drop them with it; either way the
        // reads end, the last one with an error.
        std::optional<ReadResult> read = readOnce(context, server);
        QVERIFY2(read, "a read after the reset never ended");
        if (!read->error) {
            QCOMPARE(read->bytes, std::string("bye"));
            read = readOnce(context, server);
            QVERIFY2(read, "the reset after the last bytes was lost");
        }
        QVERIFY(read->error == asio::error::connection_reset || read->error == asio::error::eof);
    }
};

QTEST_GUILESS_MAIN(ShortReadReactorTest)
#include "short_read_reactor_test.moc"
