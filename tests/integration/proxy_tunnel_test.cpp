// SPDX-License-Identifier: Apache-2.0
// Raw tunnels on the live proxy: TLS passthrough by SNI to a real TLS upstream (openssl s_server,
// whose certificate the client sees), TCP routes with half-close, connect failure (UF) and idle
// timeout, and WebSocket upgrades over plain HTTP and over TLS termination.

#include "client_process.h"
#include "proxy/access_log.h"
#include "served_config.h"
#include "test_pki.h"
#include "tunnel_upstreams.h"

#include <optional>
#include <utility>

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <sys/socket.h>
#include <unistd.h>

using sluice::test::ClientRun;
using sluice::test::curlRun;
using sluice::test::runClient;
using sluice::test::Served;
using sluice::test::TestPki;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

std::string config(std::uint16_t echo, std::uint16_t down, std::uint16_t tlsUpstream, std::uint16_t ws) {
    const auto workload = [](const char* name, std::uint16_t port) {
        return std::string("---\napiVersion: sluice.dev/v1\nkind: Workload\nmetadata: {name: ") + name +
               "}\nspec: {labels: {app: " + name + "}, endpoint: \"127.0.0.1:" + std::to_string(port) +
               "\"}\n";
    };
    const auto service = [](const char* name, int port, const char* portName) {
        return std::string("---\napiVersion: v1\nkind: Service\nmetadata: {name: ") + name +
               "}\nspec: {selector: {app: " + name + "}, ports: [{name: " + portName +
               ", port: " + std::to_string(port) + "}]}\n";
    };
    return std::string(R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 31400, name: tcp-echo, protocol: TCP}
    hosts: ["*"]
  - port: {number: 31401, name: tcp-down, protocol: TCP}
    hosts: ["*"]
  - port: {number: 443, name: tls-pass, protocol: TLS}
    hosts: ["*.pass.example.com"]
    tls: {mode: PASSTHROUGH}
  - port: {number: 15443, name: tls-auto, protocol: TLS}
    hosts: ["*"]
    tls: {mode: AUTO_PASSTHROUGH}
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["ws.example.com"]
  - port: {number: 8443, name: https-ws, protocol: HTTPS}
    hosts: ["ws.example.com"]
    tls: {mode: SIMPLE, credentialName: ws-cred}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: tcp}
spec:
  hosts: ["*"]
  gateways: ["istio-system/gw"]
  tcp:
  - match: [{port: 31400}]
    route: [{destination: {host: echo, port: {number: 9000}}}]
  - match: [{port: 31401}]
    route: [{destination: {host: down, port: {number: 9000}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: pass}
spec:
  hosts: ["db.pass.example.com"]
  gateways: ["istio-system/gw"]
  tls:
  - match: [{port: 443, sniHosts: ["db.pass.example.com"]}]
    route: [{destination: {host: secure-db, port: {number: 443}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ws}
spec:
  hosts: ["ws.example.com"]
  gateways: ["istio-system/gw"]
  http:
  - route: [{destination: {host: ws, port: {number: 80}}}]
)") + service("echo", 9000, "tcp") +
           service("down", 9000, "tcp") + service("secure-db", 443, "tls") + service("ws", 80, "http") +
           workload("echo", echo) + workload("down", down) + workload("secure-db", tlsUpstream) +
           workload("ws", ws);
}

/// Reads until `size` bytes came (or EOF / the socket's timeout).
std::string readExactly(int fd, std::size_t size) {
    std::string out;
    char buffer[4096];
    while (out.size() < size) {
        const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, size - out.size()));
        if (n <= 0)
            break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
}

bool waitForPort(std::uint16_t port) {
    for (int i = 0; i < 100; ++i) {
        const int fd = sluice::test::connectLoopback(port, 1);
        if (fd >= 0) {
            ::close(fd);
            return true;
        }
        QThread::msleep(50);
    }
    return false;
}

} // namespace

class ProxyTunnelTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(m_pki.error.empty(), m_pki.error.c_str());
        m_upstreamCert = m_pki.issue(QStringLiteral("db"), {"db.pass.example.com"});
        const auto wsCert = m_pki.issue(QStringLiteral("ws"), {"ws.example.com"});
        // The passthrough upstream: a real TLS server with its own certificate.
        const std::uint16_t tlsPort = sluice::test::closedPort();
        m_sServer.start(QStringLiteral("openssl"),
                        {QStringLiteral("s_server"), QStringLiteral("-accept"), QString::number(tlsPort),
                         QStringLiteral("-cert"), m_upstreamCert.certificateFile, QStringLiteral("-key"),
                         m_upstreamCert.keyFile, QStringLiteral("-www"), QStringLiteral("-quiet")});
        QVERIFY(m_sServer.waitForStarted(10000));
        QVERIFY(waitForPort(tlsPort));

        QVERIFY(m_logDir.isValid());
        m_logPath = m_logDir.filePath(QStringLiteral("access.log"));
        QVERIFY(m_log.open(m_logPath.toStdString()).empty());
        sluice::proxy::ServeOptions options;
        options.accessLog = &m_log;
        options.idleTimeout = std::chrono::milliseconds(2000);
        m_served.emplace(
            Served::yaml(config(m_echo.port(), sluice::test::closedPort(), tlsPort, m_ws.port()) +
                             m_pki.secret("istio-system", "ws-cred", wsCert),
                         options));
        QVERIFY2(m_served->error.empty(), m_served->error.c_str());
        QVERIFY(m_served->tlsProblems.empty());
    }

    void cleanupTestCase() {
        m_served.reset();
        m_sServer.kill();
        m_sServer.waitForFinished(5000);
    }

    void passthroughReachesTheTlsUpstream() {
        const QString port = QString::number(m_served->port(443));
        // The proxy has no certificate for this name: verification against the upstream's CA
        // and name passing means the upstream's own handshake reached the client untouched.
        const ClientRun r =
            curlRun({QStringLiteral("--cacert"), m_pki.caFile(), QStringLiteral("--resolve"),
                     QStringLiteral("db.pass.example.com:") + port + QStringLiteral(":127.0.0.1"),
                     QStringLiteral("https://db.pass.example.com:") + port + QStringLiteral("/")});
        QVERIFY2(r.exitCode == 0, r.all().constData());
        QVERIFY2(r.out.contains("s_server"), r.out.constData()); // openssl s_server -www's status page
        const ClientRun s = runClient(
            QStringLiteral("openssl"),
            {QStringLiteral("s_client"), QStringLiteral("-connect"), QStringLiteral("127.0.0.1:") + port,
             QStringLiteral("-servername"), QStringLiteral("db.pass.example.com"), QStringLiteral("-CAfile"),
             m_pki.caFile(), QStringLiteral("-verify_return_error"), QStringLiteral("-brief")},
            "GET / HTTP/1.0\r\n\r\n");
        QVERIFY2(s.exitCode == 0 && s.all().contains("CN = db.pass.example.com"), s.all().constData());
        QVERIFY2(s.all().contains("Verification: OK"), s.all().constData());
    }

    void passthroughWithUnknownSniIsClosed() {
        const QString port = QString::number(m_served->port(443));
        const ClientRun r =
            curlRun({QStringLiteral("-k"), QStringLiteral("--resolve"),
                     QStringLiteral("web.pass.example.com:") + port + QStringLiteral(":127.0.0.1"),
                     QStringLiteral("https://web.pass.example.com:") + port + QStringLiteral("/")});
        QVERIFY2(r.exitCode != 0 && !r.out.contains("s_server"), r.all().constData());
        QVERIFY(logged("\"- - -\" 0 NR "));
    }

    // AUTO_PASSTHROUGH: the SNI names the cluster (outbound_.<port>_.<subset>_.<host>), no route.
    void autoPassthroughBySniNamedCluster() {
        const ClientRun s = runClient(QStringLiteral("openssl"),
                                      {QStringLiteral("s_client"), QStringLiteral("-connect"),
                                       QStringLiteral("127.0.0.1:%1").arg(m_served->port(15443)),
                                       QStringLiteral("-servername"),
                                       QStringLiteral("outbound_.443_._.secure-db.default.svc.cluster.local"),
                                       QStringLiteral("-CAfile"), m_pki.caFile(),
                                       QStringLiteral("-verify_return_error"), QStringLiteral("-brief")},
                                      "GET / HTTP/1.0\r\n\r\n");
        QVERIFY2(s.exitCode == 0 && s.all().contains("CN = db.pass.example.com"), s.all().constData());
    }

    void tcpRouteEchoesWithHalfClose() {
        const int fd = sluice::test::connectLoopback(m_served->port(31400));
        QVERIFY(fd >= 0);
        QVERIFY(sluice::test::sendAll(fd, "ping\n"));
        QCOMPARE(readExactly(fd, 5), std::string("ping\n"));
        // Our half-close reaches the upstream, whose answer still comes back, then its EOF.
        ::shutdown(fd, SHUT_WR);
        QCOMPARE(sluice::test::readAll(fd), std::string("EOF-SEEN\n"));
        ::close(fd);
        QTRY_VERIFY_WITH_TIMEOUT(logged("\"- - -\" 0 - 5 14 "), 5000); // bytes in, bytes out
    }

    void tcpConnectFailureClosesWithUF() {
        const int fd = sluice::test::connectLoopback(m_served->port(31401));
        QVERIFY(fd >= 0);
        QCOMPARE(sluice::test::readAll(fd), std::string()); // closed without a byte
        ::close(fd);
        QTRY_VERIFY_WITH_TIMEOUT(logged("\"- - -\" 0 UF "), 5000);
    }

    void idleTunnelIsClosed() {
        const int fd = sluice::test::connectLoopback(m_served->port(31400), 10);
        QVERIFY(fd >= 0);
        QVERIFY(sluice::test::sendAll(fd, "x"));
        QCOMPARE(readExactly(fd, 1), std::string("x"));
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(sluice::test::readAll(fd), std::string()); // the proxy closes after 2 s of silence
        QVERIFY2(timer.elapsed() >= 1500 && timer.elapsed() < 8000,
                 QByteArray::number(timer.elapsed()).constData());
        ::close(fd);
    }

    // Past maxConnections (per worker, two workers here) a connection is closed at once.
    void connectionLimitClosesTheSurplus() {
        sluice::proxy::ServeOptions options;
        options.maxConnections = 1;
        Served limited =
            Served::yaml(config(m_echo.port(), sluice::test::closedPort(), 1, m_ws.port()), options);
        QVERIFY2(limited.error.empty(), limited.error.c_str());
        std::vector<int> fds;
        int echoed = 0, refused = 0;
        for (int i = 0; i < 4; ++i) {
            const int fd = sluice::test::connectLoopback(limited.port(31400), 2);
            QVERIFY(fd >= 0);
            fds.push_back(fd);
            sluice::test::sendAll(fd, "x");
            (readExactly(fd, 1) == "x" ? echoed : refused) += 1;
        }
        for (int fd : fds)
            ::close(fd);
        QVERIFY2(echoed >= 1 && echoed <= 2 && refused >= 2,
                 qPrintable(QStringLiteral("%1 echoed, %2 refused").arg(echoed).arg(refused)));
    }

    // DestinationRule tcp.maxConnections on a TCP route (Envoy's TCP connection pool): past it a
    // connection waits as a pending request until one of the host's closes; past
    // http1MaxPendingRequests it is closed at once with UO. One worker: one host pool.
    void maxConnectionsQueuesTunnelsThenOverflows() {
        sluice::proxy::ServeOptions options;
        options.workers = 1;
        options.accessLog = &m_log;
        Served limited =
            Served::yaml(config(m_echo.port(), sluice::test::closedPort(), 1, m_ws.port()) + R"(---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo}
spec:
  host: echo
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1}
)",
                         options);
        QVERIFY2(limited.error.empty(), limited.error.c_str());
        const int first = sluice::test::connectLoopback(limited.port(31400), 5);
        QVERIFY(first >= 0);
        QVERIFY(sluice::test::sendAll(first, "a"));
        QCOMPARE(readExactly(first, 1), std::string("a"));

        const int second = sluice::test::connectLoopback(limited.port(31400), 1);
        QVERIFY(second >= 0);
        QVERIFY(sluice::test::sendAll(second, "b"));
        QCOMPARE(readExactly(second, 1), std::string()); // pending: nothing within a second

        const int third = sluice::test::connectLoopback(limited.port(31400), 5);
        QVERIFY(third >= 0);
        QCOMPARE(sluice::test::readAll(third), std::string()); // over max pending: closed
        ::close(third);
        QTRY_VERIFY_WITH_TIMEOUT(logged("\"- - -\" 0 UO "), 5000);

        ::close(first); // the host's connection closes: the pending tunnel gets one
        timeval wait{5, 0};
        ::setsockopt(second, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        QCOMPARE(readExactly(second, 1), std::string("b"));
        ::close(second);
    }

    void webSocketEcho() {
        asio::io_context context;
        asio::ip::tcp::socket socket(context);
        socket.connect({asio::ip::make_address("127.0.0.1"), m_served->port(80)});
        websocket::stream<asio::ip::tcp::socket> ws(std::move(socket));
        beast::error_code ec;
        ws.handshake("ws.example.com", "/chat", ec);
        QVERIFY2(!ec, ec.message().c_str());
        echo(ws);
    }

    void webSocketOverTls() {
        asio::io_context context;
        asio::ssl::context tls(asio::ssl::context::tls_client);
        tls.load_verify_file(m_pki.caFile().toStdString());
        tls.set_verify_mode(asio::ssl::verify_peer);
        websocket::stream<asio::ssl::stream<asio::ip::tcp::socket>> ws(context, tls);
        beast::get_lowest_layer(ws).connect({asio::ip::make_address("127.0.0.1"), m_served->port(8443)});
        SSL_ctrl(ws.next_layer().native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>("ws.example.com"));
        beast::error_code ec;
        ws.next_layer().handshake(asio::ssl::stream_base::client, ec);
        QVERIFY2(!ec, ec.message().c_str());
        ws.handshake("ws.example.com", "/secure-chat", ec);
        QVERIFY2(!ec, ec.message().c_str());
        echo(ws);
    }

    void unsupportedUpgradeIsRefused() {
        const ClientRun r =
            curlRun({QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: ws.example.com"),
                     QStringLiteral("-H"), QStringLiteral("Connection: Upgrade"), QStringLiteral("-H"),
                     QStringLiteral("Upgrade: spdy/3"),
                     QStringLiteral("http://127.0.0.1:%1/").arg(m_served->port(80))});
        QVERIFY2(r.out.startsWith("HTTP/1.1 403 "), r.all().constData());
    }

private:
    template <class Stream> void echo(websocket::stream<Stream>& ws) {
        beast::error_code ec;
        for (const std::string& message : {std::string("hello"), std::string(200000, 'w')}) {
            ws.text(true);
            ws.write(asio::buffer(message), ec);
            QVERIFY2(!ec, ec.message().c_str());
            beast::flat_buffer got;
            ws.read(got, ec);
            QVERIFY2(!ec, ec.message().c_str());
            QCOMPARE(beast::buffers_to_string(got.data()), message);
        }
        ws.close(websocket::close_code::normal, ec);
        QVERIFY2(!ec, ec.message().c_str());
    }

    [[nodiscard]] bool logged(const char* text) const {
        QFile f(m_logPath);
        return f.open(QIODevice::ReadOnly) && f.readAll().contains(text);
    }

    TestPki m_pki;
    TestPki::Issued m_upstreamCert;
    sluice::test::HalfCloseEchoServer m_echo;
    sluice::test::WebSocketEchoServer m_ws;
    QProcess m_sServer;
    QTemporaryDir m_logDir;
    QString m_logPath;
    sluice::proxy::AccessLog m_log;
    std::optional<Served> m_served;
};

QTEST_GUILESS_MAIN(ProxyTunnelTest)
#include "proxy_tunnel_test.moc"
