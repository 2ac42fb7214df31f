// SPDX-License-Identifier: Apache-2.0
// The HTTP/1.1 session sends at once what the socket takes and waits only for the rest: whatever
// the split, the peer receives every byte once, in order.

#include "proxy/asio_executor.h"
#include "proxy/immediate_write.h"

#include <string>
#include <utility> // before Asio on GCC 12

#include <QTest>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace asio = boost::asio;
using asio::ip::tcp;
using sluice::proxy::WriteBuffers;

namespace {

/// A connected pair on loopback (port 0).
std::pair<sluice::proxy::TcpSocket, sluice::proxy::TcpSocket> connectedPair(asio::io_context& context) {
    sluice::proxy::TcpAcceptor acceptor(context, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    sluice::proxy::TcpSocket client(context);
    client.connect(acceptor.local_endpoint());
    sluice::proxy::TcpSocket server = acceptor.accept();
    return {std::move(client), std::move(server)};
}

std::string pattern(std::size_t n, unsigned seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>((i * 131 + seed) % 251);
    return s;
}

} // namespace

class ImmediateWriteTest : public QObject {
    Q_OBJECT

private slots:
    void skipBytesCrossesTheBufferBoundary() {
        const std::string a = "head", b = "body!";
        const WriteBuffers buffers{asio::buffer(a), asio::buffer(b)};
        for (std::size_t n = 0; n <= a.size() + b.size(); ++n) {
            const WriteBuffers rest = sluice::proxy::skipBytes(buffers, n);
            std::string joined(static_cast<const char*>(rest[0].data()), rest[0].size());
            joined.append(static_cast<const char*>(rest[1].data()), rest[1].size());
            QCOMPARE(joined, (a + b).substr(n));
        }
    }

    void smallMessageGoesOutAtOnce() {
        asio::io_context context;
        auto [writer, reader] = connectedPair(context);
        const std::string head = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n", body = "ok";
        const WriteBuffers buffers{asio::buffer(head), asio::buffer(body)};
        QCOMPARE(sluice::proxy::writeImmediately(writer, buffers), head.size() + body.size());
        std::string got(head.size() + body.size(), '\0');
        asio::read(reader, asio::buffer(got));
        QCOMPARE(got, head + body);
    }

    // A send buffer far smaller than the message and a reader that has not started: the
    // immediate send takes a part, the asynchronous write the rest, and nothing is lost or doubled.
    void aPartialSendIsCompletedByTheAsynchronousWrite() {
        asio::io_context context;
        auto [writer, reader] = connectedPair(context);
        writer.set_option(asio::socket_base::send_buffer_size(16384));
        reader.set_option(asio::socket_base::receive_buffer_size(65536));
        const std::string head = pattern(3000, 1), body = pattern(1 << 20, 7);
        const WriteBuffers buffers{asio::buffer(head), asio::buffer(body)};
        const std::size_t now = sluice::proxy::writeImmediately(writer, buffers);
        QVERIFY2(now < head.size() + body.size(), qPrintable(QString::number(now)));

        boost::system::error_code writeError;
        asio::async_write(writer, sluice::proxy::skipBytes(buffers, now),
                          [&writeError](boost::system::error_code ec, std::size_t) { writeError = ec; });
        std::string got(head.size() + body.size(), '\0');
        boost::system::error_code readError;
        asio::async_read(reader, asio::buffer(got),
                         [&readError](boost::system::error_code ec, std::size_t) { readError = ec; });
        context.run();
        QVERIFY(!writeError);
        QVERIFY(!readError);
        QVERIFY(got == head + body);
    }

    void aClosedPeerSendsNothing() {
        asio::io_context context;
        auto [writer, reader] = connectedPair(context);
        reader.set_option(asio::socket_base::linger(true, 0)); // close with a reset
        reader.close();
        const std::string data = pattern(1000, 3);
        const WriteBuffers buffers{asio::buffer(data), asio::const_buffer()};
        std::size_t total = 0;
        for (int i = 0; i < 100 && total < 100 * data.size(); ++i) // the reset arrives after a send or two
            total += sluice::proxy::writeImmediately(writer, buffers);
        QVERIFY(total < 100 * data.size()); // no SIGPIPE, and the failure shows as 0 bytes sent
    }
};

QTEST_GUILESS_MAIN(ImmediateWriteTest)
#include "immediate_write_test.moc"
