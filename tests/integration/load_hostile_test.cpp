// SPDX-License-Identifier: Apache-2.0
// The load engine against servers that misbehave: garbage instead of HTTP, a head larger than
// any real one, a body that never ends, a connection closed mid-body, answers that close the
// connection, bodies delimited by the close. Every request ends with a status or a reason, never
// a hang or a crash.
#include "traffic/load_engine.h"
#include "traffic/profile_source.h"

#include <atomic>
#include <thread>

#include <QTest>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sluice::traffic;

namespace {

/// A loopback server on its own thread answering every request with `answer(n)` (n counts the
/// requests of a connection), then closing the connection when `close` says so.
class RawServer {
public:
    RawServer(std::string answer, bool closeAfter)
        : m_answer(std::move(answer))
        , m_close(closeAfter) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(m_fd, 16);
        socklen_t length = sizeof a;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &length);
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { run(); });
    }
    ~RawServer() {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        m_thread.join();
        ::close(m_fd);
    }
    [[nodiscard]] std::uint16_t port() const { return m_port; }

private:
    void run() {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                continue;
            serve(c);
            ::close(c);
        }
    }
    void serve(int c) {
        std::string in;
        char buffer[4096];
        while (!m_stop) {
            pollfd p{c, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            const ssize_t n = ::recv(c, buffer, sizeof buffer, 0);
            if (n <= 0)
                return;
            in.append(buffer, static_cast<std::size_t>(n));
            while (in.find("\r\n\r\n") != std::string::npos) {
                in.erase(0, in.find("\r\n\r\n") + 4);
                ::send(c, m_answer.data(), m_answer.size(), MSG_NOSIGNAL);
                if (m_close)
                    return;
            }
        }
    }

    std::string m_answer;
    bool m_close;
    int m_fd = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace

class LoadHostileTest : public QObject {
    Q_OBJECT

private slots:
    void misbehavingServers_data() {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<bool>("close");
        QTest::addColumn<int>("ok");
        QTest::addColumn<QString>("error");
        QTest::newRow("garbage") << QByteArray("NOT HTTP AT ALL\r\n\r\n") << false << 0
                                 << QStringLiteral("bad status line");
        QTest::newRow("huge head") << (QByteArray("HTTP/1.1 200 OK\r\nx: ") + QByteArray(70 * 1024, 'a') +
                                       "\r\n\r\n")
                                   << false << 0 << QStringLiteral("too large");
        QTest::newRow("endless chunked body")
            << QByteArray("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n") << false << 0
            << QStringLiteral("timeout");
        QTest::newRow("closed mid-body")
            << QByteArray("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b") << true << 0
            << QStringLiteral("closed");
        QTest::newRow("connection: close")
            << QByteArray("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok") << true << 3
            << QString();
        QTest::newRow("close-delimited body")
            << QByteArray("HTTP/1.1 200 OK\r\n\r\nuntil the close") << true << 3 << QString();
        QTest::newRow("interim 100 then 204")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n") << false << 3
            << QString();
    }
    void misbehavingServers() {
        QFETCH(QByteArray, answer);
        QFETCH(bool, close);
        QFETCH(int, ok);
        QFETCH(QString, error);
        RawServer server(answer.toStdString(), close);
        LoadOptions o;
        o.target.port = server.port();
        o.connections = 1;
        o.requests = 3;
        o.timeout = std::chrono::milliseconds(300);
        LoadEngine engine(
            o, std::make_shared<ProfileSourceFactory>(
                   std::make_shared<RequestProfile>(RequestProfile::single("GET", "h", "/")), "", "http"));
        QVERIFY(engine.start().empty());
        const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!engine.done() && std::chrono::steady_clock::now() < limit)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        QVERIFY(engine.done()); // never a hang
        const LoadRun run = engine.finish();
        QCOMPARE(run.tally.requests(), std::uint64_t(3));
        QCOMPARE(run.tally.requests() - run.tally.errors(), std::uint64_t(ok));
        if (!error.isEmpty())
            QVERIFY2(QString::fromStdString(run.firstError).contains(error), run.firstError.c_str());
    }
};

QTEST_GUILESS_MAIN(LoadHostileTest)
#include "load_hostile_test.moc"
