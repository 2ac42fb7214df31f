// SPDX-License-Identifier: Apache-2.0
// The proxy's downstream TLS (ClientStream over TlsConnection) against a real OpenSSL client on
// loopback: the ClientHello the proxy already read is replayed to the handshake, large writes
// reach a slow reader intact, the peer's close_notify reads as end of stream and a bare close as
// truncation, a waiting read ends when the connection is closed, Asio's operations never
// complete inside the call that starts them, and a failure leaves OpenSSL's error queue empty.

#include "proxy/asio_executor.h"
#include "proxy/client_stream.h"
#include "proxy/dev_certificate_authority.h"

#include <functional>
#include <optional>
#include <string>
#include <utility> // before Asio on GCC 12

#include <QTemporaryDir>
#include <QTest>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <openssl/err.h>

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using sluice::proxy::ClientStream;

namespace {

using ClientTls = asio::ssl::stream<sluice::proxy::TcpSocket>;

std::string pattern(std::size_t n, unsigned seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>((i * 131 + seed) % 251);
    return s;
}

/// A server context with a fresh certificate for "localhost", and a client context that trusts
/// anything (the test is about the byte stream, not about verification).
class Contexts {
public:
    Contexts() {
        sluice::proxy::DevCertificateAuthority ca;
        QVERIFY(m_dir.isValid());
        QCOMPARE(QString::fromStdString(ca.open(m_dir.path().toStdString())), QString());
        std::string problem;
        const auto pair =
            ca.issue({"localhost"}, sluice::proxy::DevCertificateAuthority::Usage::Server, problem);
        QVERIFY2(pair, problem.c_str());
        server.use_certificate_chain(asio::buffer(pair->certificateChain));
        server.use_private_key(asio::buffer(pair->privateKey.reveal()), asio::ssl::context::pem);
        client.set_verify_mode(asio::ssl::verify_none);
    }
    asio::ssl::context server{asio::ssl::context::tls_server};
    asio::ssl::context client{asio::ssl::context::tls_client};

private:
    QTemporaryDir m_dir;
};

/// A TLS connection on loopback: the client's handshake runs while the server reads the first
/// bytes of the ClientHello itself (as the proxy does to pick a filter chain) and hands them to
/// ClientStream. Both ends are ready when `run` returns.
struct Connection {
    Connection(asio::io_context& io, Contexts& contexts)
        : client(io, contexts.client) {
        sluice::proxy::TcpAcceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
        client.next_layer().connect(acceptor.local_endpoint());
        sluice::proxy::TcpSocket socket = acceptor.accept();
        error_code clientError, serverError;
        client.async_handshake(asio::ssl::stream_base::client, [&](error_code ec) { clientError = ec; });
        // The first bytes of the ClientHello, read by hand (blocking: the client has sent them).
        std::string hello(7, '\0');
        asio::read(socket, asio::buffer(hello));
        server.emplace(std::move(socket), contexts.server, "localhost", hello);
        server->async_handshake([&](error_code ec) { serverError = ec; });
        io.run();
        io.restart();
        handshakeError = clientError ? clientError : serverError;
    }
    ClientTls client;
    std::optional<ClientStream> server;
    error_code handshakeError;
};

sluice::proxy::Awaitable<std::size_t> readSome(ClientStream& stream, asio::mutable_buffer buffer,
                                               error_code& ec) {
    co_return co_await stream.readSome(buffer, false, asio::redirect_error(sluice::proxy::useAwaitable, ec));
}

/// As the sessions write: what goes at once, then the rest through Asio's operation.
sluice::proxy::Awaitable<void> writeAll(ClientStream& stream, sluice::proxy::WriteBuffers buffers,
                                        error_code& ec) {
    const std::size_t now = stream.writeNow(buffers);
    if (now != sluice::proxy::totalSize(buffers))
        co_await asio::async_write(stream, sluice::proxy::skipBytes(buffers, now),
                                   asio::redirect_error(sluice::proxy::useAwaitable, ec));
}

void runCoroutine(asio::io_context& io, std::function<sluice::proxy::Awaitable<void>()> body) {
    asio::co_spawn(io, std::move(body), asio::detached);
    io.run();
    io.restart();
}

} // namespace

class TlsConnectionTest : public QObject {
    Q_OBJECT

private slots:
    void theReplayedClientHelloCompletesTheHandshake() {
        asio::io_context io;
        Contexts contexts;
        Connection c(io, contexts);
        QVERIFY2(!c.handshakeError, c.handshakeError.message().c_str());
        QVERIFY(c.server->tls());
        QCOMPARE(c.server->negotiatedProtocol(), std::string_view()); // no ALPN offered

        std::string got(64, '\0');
        std::size_t n = 0;
        error_code readError, writeError;
        runCoroutine(io, [&]() -> sluice::proxy::Awaitable<void> {
            co_await asio::async_write(c.client, asio::buffer(std::string_view("GET / HTTP/1.1\r\n\r\n")),
                                       sluice::proxy::useAwaitable);
            n = co_await readSome(*c.server, asio::buffer(got), readError);
            const std::string head = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n";
            co_await writeAll(*c.server, {asio::buffer(head), asio::buffer(std::string_view("ok"))},
                              writeError);
        });
        QVERIFY(!readError);
        QVERIFY(!writeError);
        QCOMPARE(got.substr(0, n), std::string("GET / HTTP/1.1\r\n\r\n"));
        const std::string expected = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
        std::string answer(expected.size(), '\0');
        asio::read(c.client, asio::buffer(answer));
        QCOMPARE(answer, expected);
    }

    // Small socket buffers and a reader that starts late: writes wait for the socket (OpenSSL
    // asks again for the record it began) and every byte arrives once, in order.
    void aLargeWriteReachesASlowReaderIntact() {
        asio::io_context io;
        Contexts contexts;
        Connection c(io, contexts);
        QVERIFY(!c.handshakeError);
        c.server->socket().set_option(tcp::no_delay(true)); // as the proxy sets it
        c.server->socket().set_option(asio::socket_base::send_buffer_size(16384));
        c.client.next_layer().set_option(asio::socket_base::receive_buffer_size(65536));
        const std::string head = pattern(3000, 1), body = pattern(3 << 20, 7);
        std::string got(head.size() + body.size(), '\0');
        error_code writeError, readError;
        asio::co_spawn(
            io,
            [&]() -> sluice::proxy::Awaitable<void> {
                co_await writeAll(*c.server, {asio::buffer(head), asio::buffer(body)}, writeError);
            },
            asio::detached);
        asio::co_spawn(
            io,
            [&]() -> sluice::proxy::Awaitable<void> {
                sluice::proxy::SteadyTimer late(io, std::chrono::milliseconds(50));
                co_await late.async_wait(sluice::proxy::useAwaitable);
                co_await asio::async_read(c.client, asio::buffer(got),
                                          asio::redirect_error(sluice::proxy::useAwaitable, readError));
            },
            asio::detached);
        io.run();
        QVERIFY2(!writeError, writeError.message().c_str());
        QVERIFY2(!readError, readError.message().c_str());
        QVERIFY(got == head + body);
    }

    void closeNotifyReadsAsEndOfStream() {
        asio::io_context io;
        Contexts contexts;
        Connection c(io, contexts);
        QVERIFY(!c.handshakeError);
        error_code ec;
        runCoroutine(io, [&]() -> sluice::proxy::Awaitable<void> {
            error_code ignored;
            c.client.async_shutdown([](error_code) {}); // sends close_notify, then waits for ours
            std::string buffer(16, '\0');
            co_await readSome(*c.server, asio::buffer(buffer), ec);
            c.client.next_layer().close(ignored);
        });
        QCOMPARE(ec, error_code(asio::error::eof));
        QCOMPARE(ERR_peek_error(), 0UL);
    }

    void aCloseWithoutCloseNotifyIsTruncation() {
        asio::io_context io;
        Contexts contexts;
        Connection c(io, contexts);
        QVERIFY(!c.handshakeError);
        // A FIN without close_notify (a close with the server's session tickets unread would be a
        // reset instead).
        c.client.next_layer().shutdown(sluice::proxy::TcpSocket::shutdown_send);
        error_code ec;
        runCoroutine(io, [&]() -> sluice::proxy::Awaitable<void> {
            std::string buffer(16, '\0');
            co_await readSome(*c.server, asio::buffer(buffer), ec);
        });
        QCOMPARE(ec, error_code(asio::ssl::error::stream_truncated));
        QCOMPARE(ERR_peek_error(), 0UL); // a stale entry would fail the next connection's reads
    }

    // The watchdogs close a connection under a waiting read: the read ends, and OpenSSL never
    // touches the closed descriptor (its number may already be another connection's).
    void aWaitingReadEndsWhenTheConnectionCloses() {
        asio::io_context io;
        Contexts contexts;
        Connection c(io, contexts);
        QVERIFY(!c.handshakeError);
        error_code ec;
        bool ended = false;
        asio::co_spawn(
            io,
            [&]() -> sluice::proxy::Awaitable<void> {
                std::string buffer(16, '\0');
                co_await readSome(*c.server, asio::buffer(buffer), ec);
                ended = true;
            },
            asio::detached);
        sluice::proxy::SteadyTimer later(io, std::chrono::milliseconds(20));
        later.async_wait([&](error_code) {
            error_code ignored;
            c.server->close(ignored);
        });
        io.run();
        QVERIFY(ended);
        QCOMPARE(ec, error_code(asio::error::operation_aborted));
    }

    // The tunnel and the close watch use Asio's operations: one whose bytes are already there
    // still completes through the executor, after the call that started it has returned.
    void anOperationDoneAtOnceCompletesAfterItsStartingCallReturns() {
        asio::io_context io;
        Contexts contexts;
        Connection c(io, contexts);
        QVERIFY(!c.handshakeError);
        asio::write(c.client, asio::buffer(std::string_view("ping")));
        std::string got(16, '\0');
        runCoroutine(io, [&]() -> sluice::proxy::Awaitable<void> { // the bytes are in OpenSSL's buffer now
            error_code ec;
            co_await readSome(*c.server, asio::buffer(got.data(), 1), ec);
        });
        bool started = false, completed = false, completedInside = false;
        std::size_t n = 0;
        c.server->async_read_some(asio::buffer(got.data() + 1, got.size() - 1),
                                  [&](error_code ec, std::size_t bytes) {
                                      QVERIFY(!ec);
                                      n = bytes;
                                      completed = true;
                                      completedInside = !started;
                                  });
        started = true;
        io.run();
        QVERIFY(completed);
        QVERIFY(!completedInside);
        QCOMPARE(got.substr(0, n + 1), std::string("ping"));
    }

    void bytesThatAreNotTlsFailTheHandshake() {
        asio::io_context io;
        Contexts contexts;
        sluice::proxy::TcpAcceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
        sluice::proxy::TcpSocket client(io);
        client.connect(acceptor.local_endpoint());
        ClientStream server(acceptor.accept(), contexts.server, "", "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        error_code ec;
        bool done = false;
        server.async_handshake([&](error_code e) {
            ec = e;
            done = true;
        });
        io.run();
        QVERIFY(done);
        QVERIFY(ec);
        QCOMPARE(ERR_peek_error(), 0UL);
    }
};

QTEST_APPLESS_MAIN(TlsConnectionTest)
#include "tls_connection_test.moc"
