// SPDX-License-Identifier: Apache-2.0
// The HTTP/1.1 proxy end to end on loopback: curl as the client, an echo server as the upstream.

#include "config/loader.h"
#include "echo_upstream.h"
#include "proxy/proxy_server.h"
#include "routing/route_table.h"

#include <QEventLoop>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

using sluice::proxy::ProxyServer;
using sluice::proxy::ServeOptions;
using sluice::proxy::ServingConfig;

namespace {

constexpr const char* kConfig = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: ["web.test"]
  gateways: ["istio-system/gw"]
  http:
  - match: [{uri: {prefix: /echo}}]
    headers:
      request: {set: {x-route: echo}}
      response: {add: {x-served-by: sluice}}
    route: [{destination: {host: echo, port: {number: 80}}}]
  - match: [{uri: {prefix: /empty}}]
    route: [{destination: {host: empty, port: {number: 80}}}]
  - match: [{uri: {prefix: /down}}]
    route: [{destination: {host: down, port: {number: 80}}}]
  - match: [{uri: {prefix: /mirrored}}]
    route: [{destination: {host: echo, port: {number: 80}}}]
    mirror: {host: shadow, port: {number: 80}}
    mirrorPercentage: {value: 100}
  - match: [{uri: {exact: /old}}]
    redirect: {uri: /new}
  - match: [{uri: {exact: /teapot}}]
    directResponse: {status: 418, body: {string: "short and stout"}}
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec: {selector: {app: echo}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: shadow}
spec: {selector: {app: shadow}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec: {selector: {app: empty}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: down}
spec: {selector: {app: down}, ports: [{name: http, port: 80}]}
)";

struct CurlResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs curl without blocking the event loop (the echo upstream lives on it).
CurlResult curl(const QStringList& args) {
    QProcess process;
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    process.start(QStringLiteral("curl"),
                  QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("15")} +
                      args);
    loop.exec();
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class ProxyHttp1Test : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        sluice::config::LoadResult loaded;
        sluice::config::loadText("proxy.yaml", kConfig, loaded);
        QVERIFY(loaded.diagnostics.empty());
        m_table = sluice::routing::compile(loaded.resources);
        m_server = std::make_unique<ProxyServer>(options(), serving(m_upstream.port()));
        const std::string error = m_server->start();
        QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(m_server->listeners().size(), std::size_t(1));
        QCOMPARE(m_server->listeners()[0].gatewayPort, 80u);
        m_base = QStringLiteral("http://127.0.0.1:%1").arg(m_server->listeners()[0].localPort);
    }

    void cleanupTestCase() { m_server.reset(); }

    void forwardsWithEnvoysHeaders() {
        const CurlResult r =
            curl({QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: web.test"),
                  QStringLiteral("-H"), QStringLiteral("X-Request-Id: req-1"),
                  m_base + QStringLiteral("/echo/a?b=1")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("HTTP/1.1 200 Echo\r\n"), r.out.constData());
        QVERIFY(r.out.contains("\r\nserver: istio-envoy\r\n"));
        QVERIFY(r.out.contains("\r\nx-served-by: sluice\r\n"));
        QVERIFY(r.out.contains("\r\nx-envoy-upstream-service-time: "));
        const QByteArray head = m_upstream.heads().last();
        QVERIFY2(head.startsWith("GET /echo/a?b=1 HTTP/1.1\r\n"), head.constData());
        QVERIFY(head.contains("\r\nhost: web.test"));
        QVERIFY(head.contains("\r\nx-route: echo"));
        QVERIFY(head.contains("\r\nx-forwarded-for: 127.0.0.1"));
        QVERIFY(head.contains("\r\nx-forwarded-proto: http"));
        QVERIFY(head.contains("\r\nx-request-id: req-1"));
        QVERIFY(head.contains("\r\nx-envoy-attempt-count: 1"));
    }

    void answersLocally_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("no route") << QStringLiteral("/nowhere") << QByteArray("HTTP/1.1 404 Not Found")
                                  << QByteArray();
        QTest::newRow("no endpoints")
            << QStringLiteral("/empty") << QByteArray("HTTP/1.1 503 Service Unavailable")
            << QByteArray("no healthy upstream");
        QTest::newRow("refused upstream")
            << QStringLiteral("/down") << QByteArray("HTTP/1.1 503 Service Unavailable")
            << QByteArray("upstream connect error");
        QTest::newRow("redirect") << QStringLiteral("/old") << QByteArray("HTTP/1.1 301 Moved Permanently")
                                  << QByteArray("location: http://web.test/new");
        QTest::newRow("direct response")
            << QStringLiteral("/teapot") << QByteArray("HTTP/1.1 418 I'm a teapot")
            << QByteArray("short and stout");
    }

    void answersLocally() {
        QFETCH(QString, path);
        QFETCH(QByteArray, statusLine);
        QFETCH(QByteArray, expected);
        const CurlResult r = curl(
            {QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: web.test"), m_base + path});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith(QByteArray(statusLine + "\r\n")), r.out.constData());
        QVERIFY(r.out.contains("\r\nserver: istio-envoy\r\n"));
        QVERIFY2(r.out.contains(expected), r.out.constData());
    }

    // Two requests on one client connection reuse one upstream connection (the worker's pool).
    void keepsConnectionsAlive() {
        const int before = m_upstream.connectionsAccepted();
        const CurlResult r =
            curl({QStringLiteral("-v"), QStringLiteral("-H"), QStringLiteral("Host: web.test"),
                  m_base + QStringLiteral("/echo/1"), m_base + QStringLiteral("/echo/2")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("Re-using existing connection"), r.err.constData());
        QVERIFY(m_upstream.connectionsAccepted() - before <= 1);
        QCOMPARE(r.out.count("upstream-connection: "), 2);
    }

    // An upstream that closed a pooled connection while it sat idle: the next request still gets
    // its answer, sent once more on a fresh connection and not counted as a retry.
    void replacesStalePooledConnections() {
        m_upstream.closeAfterResponse = true;
        const qsizetype before = m_upstream.heads().size();
        const CurlResult r =
            curl({QStringLiteral("-H"), QStringLiteral("Host: web.test"), m_base + QStringLiteral("/echo/a"),
                  m_base + QStringLiteral("/echo/b"), m_base + QStringLiteral("/echo/c")});
        m_upstream.closeAfterResponse = false;
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out.count("GET /echo/"), 3);
        QCOMPARE(m_upstream.heads().size() - before, 3); // each request reached it exactly once
        for (qsizetype i = before; i < m_upstream.heads().size(); ++i)
            QVERIFY2(m_upstream.heads()[i].toLower().contains("x-envoy-attempt-count: 1"),
                     m_upstream.heads()[i].constData());
    }

    // The same for HTTP/2 streams (h2c; one curl per request: Debian 12's curl 7.88 cannot reuse a
    // prior-knowledge connection, curl issue 10634), which share the worker's upstream pool.
    void replacesStalePooledConnectionsForHttp2Streams() {
        m_upstream.closeAfterResponse = true;
        const qsizetype before = m_upstream.heads().size();
        for (const char* path : {"/echo/a", "/echo/b", "/echo/c"}) {
            const CurlResult r = curl({QStringLiteral("--http2-prior-knowledge"), QStringLiteral("-H"),
                                       QStringLiteral("Host: web.test"), m_base + QLatin1String(path)});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY2(r.out.contains(QByteArray("GET ").append(path)), r.out.constData());
        }
        m_upstream.closeAfterResponse = false;
        QCOMPARE(m_upstream.heads().size() - before, 3); // each request reached it exactly once
        for (qsizetype i = before; i < m_upstream.heads().size(); ++i)
            QVERIFY2(m_upstream.heads()[i].toLower().contains("x-envoy-attempt-count: 1"),
                     m_upstream.heads()[i].constData());
    }

    // A chunked upload streams through: the upstream receives every byte.
    void streamsAChunkedBody() {
        QTemporaryFile body;
        QVERIFY(body.open());
        body.write(QByteArray(300 * 1024, 'z'));
        body.flush();
        const CurlResult r =
            curl({QStringLiteral("-H"), QStringLiteral("Host: web.test"), QStringLiteral("-H"),
                  QStringLiteral("Transfer-Encoding: chunked"), QStringLiteral("--data-binary"),
                  QStringLiteral("@") + body.fileName(), m_base + QStringLiteral("/echo/upload")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("body-length: 307200"), r.out.constData());
        QVERIFY(m_upstream.heads().last().contains("transfer-encoding: chunked"));
    }

    // Pipelined requests are answered in order on the same connection.
    void answersPipelinedRequestsInOrder() {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->listeners()[0].localPort);
        QTRY_VERIFY(socket.state() == QAbstractSocket::ConnectedState);
        socket.write("GET /echo/first HTTP/1.1\r\nHost: web.test\r\n\r\n"
                     "GET /nowhere HTTP/1.1\r\nHost: web.test\r\n\r\n"
                     "GET /echo/third HTTP/1.1\r\nHost: web.test\r\nConnection: close\r\n\r\n");
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT(
            (got += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState), 10000);
        got += socket.readAll();
        const qsizetype first = got.indexOf("GET /echo/first");
        const qsizetype notFound = got.indexOf("HTTP/1.1 404");
        const qsizetype third = got.indexOf("GET /echo/third");
        QVERIFY2(first > 0 && notFound > first && third > notFound, got.constData());
    }

    void refusesMalformedRequests_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::newRow("smuggling") << QByteArray(
                                          "POST /echo HTTP/1.1\r\nHost: web.test\r\nContent-Length: 3\r\n"
                                          "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                                   << QByteArray("HTTP/1.1 400 Bad Request");
        QTest::newRow("huge head") << "GET / HTTP/1.1\r\nHost: web.test\r\nX: " + QByteArray(64 * 1024, 'a') +
                                          "\r\n\r\n"
                                   << QByteArray("HTTP/1.1 431 Request Header Fields Too Large");
        QTest::newRow("garbage") << QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n")
                                 << QByteArray("HTTP/1.1 400 Bad Request");
    }

    // Refused with a status and the connection closed: the stream cannot be trusted after that.
    void refusesMalformedRequests() {
        QFETCH(QByteArray, wire);
        QFETCH(QByteArray, statusLine);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->listeners()[0].localPort);
        QVERIFY(socket.waitForConnected(5000));
        socket.write(wire);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT(
            (got += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState), 10000);
        got += socket.readAll();
        QVERIFY2(got.startsWith(QByteArray(statusLine + "\r\n")), got.constData());
        QVERIFY(got.contains("connection: close"));
    }

    // A mirrored request reaches the shadow cluster too, with the primary's Host and its body;
    // the client gets the primary's answer.
    void mirrorsRequestsToTheShadowCluster() {
        const qsizetype before = m_shadow.heads().size();
        const CurlResult r =
            curl({QStringLiteral("-H"), QStringLiteral("Host: web.test"), QStringLiteral("--data"),
                  QStringLiteral("payload"), m_base + QStringLiteral("/mirrored/x")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("POST /mirrored/x HTTP/1.1"), r.out.constData());
        QVERIFY2(r.out.contains("body-length: 7"), r.out.constData());
        QTRY_COMPARE(m_shadow.heads().size(), before + 1);
        const QByteArray head = m_shadow.heads().last();
        QVERIFY2(head.startsWith("POST /mirrored/x HTTP/1.1\r\n"), head.constData());
        QVERIFY2(head.contains("\r\nhost: web.test"), head.constData());
        QVERIFY2(head.toLower().contains("\r\ncontent-length: 7"), head.constData());
    }

    // A new config applies from the next request; the listener stays.
    void swapsConfigWithoutRestarting() {
        auto swapped = std::make_shared<ServingConfig>(*serving(m_upstream.port()));
        swapped->clusters.clear(); // every cluster now without endpoints
        m_server->swap(swapped);
        CurlResult r = curl({QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: web.test"),
                             m_base + QStringLiteral("/echo")});
        QVERIFY2(r.out.startsWith("HTTP/1.1 503"), r.out.constData());
        m_server->swap(serving(m_upstream.port()));
        r = curl({QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: web.test"),
                  m_base + QStringLiteral("/echo")});
        QVERIFY2(r.out.startsWith("HTTP/1.1 200"), r.out.constData());
    }

private:
    static ServeOptions options() {
        ServeOptions o;
        o.ephemeralPorts = true;
        o.workers = 2;
        return o;
    }

    std::shared_ptr<const ServingConfig> serving(quint16 echoPort) const {
        auto config = std::make_shared<ServingConfig>();
        config->table = m_table;
        config->clusters["outbound|80||echo.default.svc.cluster.local"] = {{"127.0.0.1", echoPort, "echo-1"}};
        config->clusters["outbound|80||shadow.default.svc.cluster.local"] = {
            {"127.0.0.1", m_shadow.port(), "shadow-1"}};
        config->clusters["outbound|80||empty.default.svc.cluster.local"] = {};
        config->clusters["outbound|80||down.default.svc.cluster.local"] = {
            {"127.0.0.1", closedPort(), "down-1"}};
        return config;
    }

    /// A loopback port nothing listens on: bound, then released.
    static quint16 closedPort() {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    EchoUpstream m_upstream;
    EchoUpstream m_shadow;
    sluice::routing::RouteTablePtr m_table;
    std::unique_ptr<ProxyServer> m_server;
    QString m_base;
};

QTEST_GUILESS_MAIN(ProxyHttp1Test)
#include "proxy_http1_test.moc"
