// SPDX-License-Identifier: Apache-2.0
// HTTP/1.1 clients in front of gRPC and HTTP2 Service ports: Istio gives those clusters HTTP/2,
// so the gateway speaks h2c upstream whatever the client spoke, and answers the client in
// HTTP/1.1 (proxy_h2_upstream_test covers HTTP/2 clients).

#include "client_run.h"
#include "h2_configs.h"
#include "h2_frames.h"
#include "proxy/recent_requests.h"
#include "raw_h2_upstream.h"
#include "scripted_upstream.h"
#include "served_config.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>

using sluice::test::config;
using sluice::test::RawH2Upstream;
using sluice::test::Run;
using sluice::test::run;
using sluice::test::Served;
namespace h2 = sluice::test::h2;

namespace {

std::string service(const std::string& name, quint16 port) {
    return "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name + "}\n" +
           "spec: {selector: {app: " + name + "}, ports: [{name: grpc-" + name + ", port: 8080}]}\n" +
           "---\napiVersion: sluice.dev/v1\nkind: Workload\nmetadata: {name: " + name + "-v1}\n" +
           "spec:\n  labels: {app: " + name + "}\n  endpoint: 127.0.0.1:" + std::to_string(port) + "\n";
}

struct FrontPorts {
    quint16 inner, probe, flaky, silent, cut, refusing, resetting, refusingOnce, held;
};

/// A gateway for front.test: /probe, /flaky (retried on reset), /refusing (Istio's default
/// retries), /reset-unretried and /refused-unretried (no retries), /silent (500 ms timeout), /held
/// (one stream at a time, 1 s timeout) and /cut to raw HTTP/2 listeners, anything else to `inner` (another
/// Sluice gateway) through a gRPC port.
std::string frontConfig(const FrontPorts& p) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["front.test"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: front}
spec:
  hosts: ["front.test"]
  gateways: ["istio-system/gw"]
  http:
  - match: [{uri: {prefix: /probe}}]
    route: [{destination: {host: probe, port: {number: 8080}}}]
  - match: [{uri: {prefix: /flaky}}]
    retries: {attempts: 2, retryOn: reset}
    route: [{destination: {host: flaky, port: {number: 8080}}}]
  - match: [{uri: {prefix: /refusing}}]
    route: [{destination: {host: refusing, port: {number: 8080}}}]
  - match: [{uri: {prefix: /reset-unretried}}]
    retries: {attempts: 0}
    route: [{destination: {host: resetting, port: {number: 8080}}}]
  - match: [{uri: {prefix: /refused-unretried}}]
    retries: {attempts: 0}
    route: [{destination: {host: refusing-once, port: {number: 8080}}}]
  - match: [{uri: {prefix: /silent}}]
    timeout: 500ms
    route: [{destination: {host: silent, port: {number: 8080}}}]
  - match: [{uri: {prefix: /held}}]
    timeout: 1s
    route: [{destination: {host: held, port: {number: 8080}}}]
  - match: [{uri: {prefix: /cut}}]
    route: [{destination: {host: cut, port: {number: 8080}}}]
  - rewrite: {authority: h2.test}
    route: [{destination: {host: inner, port: {number: 8080}}}]
)" + service("inner", p.inner) +
           service("probe", p.probe) + service("flaky", p.flaky) + service("silent", p.silent) +
           service("cut", p.cut) + service("refusing", p.refusing) + service("resetting", p.resetting) +
           service("refusing-once", p.refusingOnce) + service("held", p.held) + R"(---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: held}
spec:
  host: held
  trafficPolicy: {connectionPool: {http: {http2MaxRequests: 1}}}
)";
}

} // namespace

class ProxyH1H2UpstreamTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_inner = std::make_unique<Served>(Served::yaml(config(m_scripted.port())));
        QVERIFY2(m_inner->error.empty(), m_inner->error.c_str());
        connect(&m_probe, &QTcpServer::newConnection, &m_probe, [this] {
            QTcpSocket* socket = m_probe.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                m_probed += socket->readAll();
                if (m_probed.size() >= h2::kPreface.size())
                    socket->close(); // not an HTTP/2 server after all: the stream is reset
            });
        });
        QVERIFY(m_probe.listen(QHostAddress::LocalHost, 0));
        sluice::proxy::ServeOptions options;
        options.accessLog = &m_log;
        m_front = std::make_unique<Served>(
            Served::yaml(frontConfig({m_inner->port(80), m_probe.serverPort(), m_flaky.port(),
                                      m_silent.port(), m_cut.port(), m_refusing.port(), m_resetting.port(),
                                      m_refusingOnce.port(), m_held.port()}),
                         options));
        QVERIFY2(m_front->error.empty(), m_front->error.c_str());
        m_base = QStringLiteral("http://127.0.0.1:%1").arg(m_front->port(80));
    }

    void cleanupTestCase() {
        m_front.reset();
        m_inner.reset();
    }

    // An HTTP/1.1 request to an HTTP2 port goes out as HTTP/2: the endpoint gets h2's preface.
    void speaksH2cForAnHttp1Client() {
        m_probed.clear();
        const Run r = curl(
            {QStringLiteral("-w"), QStringLiteral("\\n%{http_code}"), m_base + QStringLiteral("/probe")});
        QVERIFY2(m_probed.startsWith(h2::kPreface), m_probed.toHex().constData());
        QVERIFY2(r.out.endsWith("\n503"), r.out.constData());
        // The probe closes the connection: Envoy's ConnectionTermination, not a stream reset.
        QVERIFY2(r.out.contains("reset before headers. reset reason: connection termination"),
                 r.out.constData());
        const auto record = lastRecord("/probe");
        QCOMPARE(QString::fromStdString(record.flags), QStringLiteral("UC"));
        QCOMPARE(record.responseCodeDetails,
                 std::string_view("upstream_reset_before_response_started{connection_termination}"));
    }

    // Through a second gateway reached over HTTP/2: the answer comes back as HTTP/1.1 with the
    // inner hop's x-envoy-upstream-service-time replaced, and a HEAD works.
    void chainsOverAnHttp2Upstream() {
        const Run r = curl({QStringLiteral("-i"), m_base + QStringLiteral("/web/chained")});
        QVERIFY2(r.out.startsWith("HTTP/1.1 200 OK\r\n"), r.out.constData());
        QVERIFY2(r.out.contains("\r\nx-sluice-workload: web-v1-1\r\n"), r.out.constData());
        QCOMPARE(r.out.count("x-envoy-upstream-service-time"), 1);
        QVERIFY2(r.out.contains("\"x-forwarded-for\":\"127.0.0.1,127.0.0.1\""), r.out.constData());
        QVERIFY2(!r.out.contains("\r\ntransfer-encoding:"), r.out.constData()); // the length was kept

        const Run head = curl({QStringLiteral("-I"), m_base + QStringLiteral("/web/head")});
        QVERIFY2(head.exitCode == 0, head.err.constData());
        QVERIFY2(head.out.startsWith("HTTP/1.1 200 OK\r\n"), head.out.constData());
        QVERIFY2(head.out.contains("\r\ncontent-length: "), head.out.constData());
    }

    // A body, sized or chunked, at hand or (200 KB) streamed, goes through to HTTP/1.1 behind the inner
    // gateway intact (the scripted upstream counts its payload); the chunked answer's HTTP/2 trailers are
    // dropped on the way to an HTTP/1.1 client, as Envoy drops them.
    void streamsLargeBodiesBothWays_data() {
        QTest::addColumn<int>("size");
        QTest::addColumn<QStringList>("framing");
        const QStringList chunked{QStringLiteral("-H"), QStringLiteral("Transfer-Encoding: chunked")};
        QTest::newRow("content-length, streamed") << 200'000 << QStringList{};
        QTest::newRow("chunked, streamed") << 200'000 << chunked;
        QTest::newRow("content-length, at hand") << 5 << QStringList{};
        QTest::newRow("chunked, at hand") << 5 << chunked;
    }

    void streamsLargeBodiesBothWays() {
        QFETCH(int, size);
        QFETCH(QStringList, framing);
        QTemporaryFile body;
        QVERIFY(body.open());
        body.write(QByteArray(size, 'g'));
        body.flush();
        const qsizetype before = m_scripted.requests().size();
        const Run r =
            curl(QStringList{QStringLiteral("-i"), QStringLiteral("--raw"), QStringLiteral("--data-binary"),
                             QLatin1Char('@') + body.fileName(), m_base + QStringLiteral("/scripted/post")} +
                 framing);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("HTTP/1.1 200 OK\r\n"), r.out.constData());
        QVERIFY2(r.out.contains("\r\ntransfer-encoding: chunked\r\n"), r.out.constData());
        QVERIFY2(r.out.contains(QByteArray("body-length: " + QByteArray::number(size) + '\n')),
                 r.out.constData());
        QVERIFY2(r.out.endsWith("\r\n0\r\n\r\n"), r.out.right(80).constData()); // no trailers
        QVERIFY(!r.out.contains("grpc-status"));
        QCOMPARE(m_scripted.requests().size(), before + 1);
    }

    // Keep-alive: two requests on one client connection, both answered over HTTP/2.
    void keepsTheClientConnection() {
        const Run r = curl(
            {QStringLiteral("-v"), m_base + QStringLiteral("/web/one"), m_base + QStringLiteral("/web/two")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("Re-using existing connection"), r.err.constData());
        QCOMPARE(r.err.count("< HTTP/1.1 200 OK"), 2);
        QCOMPARE(r.out.count("\"path\":\"/web/"), 2);
    }

    // An HTTP/1.0 client cannot take a chunked body: it ends with the connection.
    void http10ClientsGetAClosingBody() {
        const Run r = curl(
            {QStringLiteral("-i"), QStringLiteral("--http1.0"), m_base + QStringLiteral("/scripted/old")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("\r\nconnection: close\r\n"), r.out.constData());
        QVERIFY2(!r.out.contains("transfer-encoding"), r.out.constData());
        QVERIFY2(r.out.endsWith("\r\n\r\nbody-length: 0\n"), r.out.constData());
    }

    // A stream the upstream resets before its head is retried (retryOn: reset) on a new stream.
    void retriesAResetStream() {
        const Run r = curl({QStringLiteral("-i"), m_base + QStringLiteral("/flaky")});
        QVERIFY2(r.out.startsWith("HTTP/1.1 200 OK\r\n"), r.out.constData());
        QVERIFY2(r.out.contains("\r\nx-answered-stream: 3\r\n"), r.out.constData());
        QVERIFY2(r.out.endsWith("\r\n\r\nok\n"), r.out.constData());
        QCOMPARE(m_flaky.streams(), 2);
        const auto record = lastRecord("/flaky");
        QCOMPARE(record.status, 200);
        QCOMPARE(QString::fromStdString(record.flags), QString()); // no URX: the retry succeeded
    }

    // A stream the upstream refuses (REFUSED_STREAM) is retried under Istio's default policy
    // (no retries block: refused-stream is in its retryOn), where a plain reset would not be.
    void retriesARefusedStreamByDefault() {
        const Run r = curl({QStringLiteral("-i"), m_base + QStringLiteral("/refusing")});
        QVERIFY2(r.out.startsWith("HTTP/1.1 200 OK\r\n"), r.out.constData());
        QVERIFY2(r.out.contains("\r\nx-answered-stream: 3\r\n"), r.out.constData());
        QCOMPARE(m_refusing.streams(), 2);
        QCOMPARE(lastRecord("/refusing").status, 200);
    }

    // A stream the upstream resets (RST_STREAM) or refuses, with retries off: 503 with Envoy's
    // flag for a remote reset, UR (UC is for a connection that ended), the reason in the body and
    // in %RESPONSE_CODE_DETAILS%.
    void answersAnUnretriedStreamReset_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        QTest::newRow("RST_STREAM") << QStringLiteral("/reset-unretried") << QStringLiteral("remote reset");
        QTest::newRow("REFUSED_STREAM")
            << QStringLiteral("/refused-unretried") << QStringLiteral("remote refused stream reset");
    }
    void answersAnUnretriedStreamReset() {
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const Run r = curl({QStringLiteral("-w"), QStringLiteral("\n%{http_code}"), m_base + path});
        QCOMPARE(QString::fromUtf8(r.out),
                 QStringLiteral("upstream connect error or disconnect/reset before headers. reset reason: ") +
                     reason + QStringLiteral("\n503"));
        const auto record = lastRecord(path.toStdString());
        QCOMPARE(record.status, 503);
        QCOMPARE(QString::fromStdString(record.flags), QStringLiteral("UR"));
        QCOMPARE(QString::fromUtf8(record.responseCodeDetails.data(),
                                   qsizetype(record.responseCodeDetails.size())),
                 QStringLiteral("upstream_reset_before_response_started{") +
                     QString(reason).replace(u' ', u'_') + u'}');
    }

    // http2MaxRequests counts the streams to an HTTP/2 cluster, whichever protocol the client
    // spoke: with one stream held open, the next request overflows (503 UO, never retried).
    void countsStreamsAgainstMaxRequests_data() {
        QTest::addColumn<bool>("http2Client");
        QTest::newRow("HTTP/1.1 client") << false;
        QTest::newRow("HTTP/2 client") << true;
    }
    void countsStreamsAgainstMaxRequests() {
        QFETCH(bool, http2Client);
        const int before = m_held.streams();
        QProcess holder; // held by the silent upstream until the route's 1 s timeout
        holder.start(QStringLiteral("curl"),
                     {QStringLiteral("-sS"), QStringLiteral("-H"), QStringLiteral("Host: front.test"),
                      QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                      m_base + QStringLiteral("/held/1")});
        QTRY_COMPARE_WITH_TIMEOUT(m_held.streams(), before + 1, 5000);

        QStringList args{QStringLiteral("-w"), QStringLiteral("\\n%{http_code}"),
                         m_base + QStringLiteral("/held/2")};
        if (http2Client)
            args.prepend(QStringLiteral("--http2-prior-knowledge"));
        const Run r = curl(args);
        QCOMPARE(QString::fromUtf8(r.out),
                 QStringLiteral("upstream connect error or disconnect/reset before headers. reset reason: "
                                "overflow\n503"));
        QCOMPARE(m_held.streams(), before + 1); // the overflow never reached the upstream
        QCOMPARE(QString::fromStdString(lastRecord("/held/2").flags), QStringLiteral("UO"));

        QVERIFY(holder.waitForFinished(10000));
        QCOMPARE(holder.readAllStandardOutput(), QByteArray("upstream request timeout504"));
        // The stream's hold went with it: the next request reaches the upstream again.
        const Run after = curl({m_base + QStringLiteral("/held/3")});
        QCOMPARE(after.out, QByteArray("upstream request timeout"));
        QCOMPARE(m_held.streams(), before + 2);
    }

    // An upstream that never answers: the route timeout gives a 504 with UT.
    void timesOutASilentUpstream() {
        QElapsedTimer clock;
        clock.start();
        const Run r = curl(
            {QStringLiteral("-w"), QStringLiteral("\\n%{http_code}"), m_base + QStringLiteral("/silent")});
        QVERIFY2(r.out == "upstream request timeout\n504", r.out.constData());
        QVERIFY2(clock.elapsed() >= 450 && clock.elapsed() < 5000,
                 qPrintable(QString::number(clock.elapsed())));
        const auto record = lastRecord("/silent");
        QCOMPARE(record.status, 504);
        QCOMPARE(QString::fromStdString(record.flags), QStringLiteral("UT"));
    }

    // A reset after the head: the client has the head already, its connection is closed.
    void closesTheClientOnAResetAfterTheHead() {
        const Run r = curl({QStringLiteral("-i"), m_base + QStringLiteral("/cut")});
        QVERIFY2(r.exitCode != 0, r.out.constData()); // the body never completed
        QVERIFY2(r.out.startsWith("HTTP/1.1 200 OK\r\n"), r.out.constData());
        QVERIFY2(r.out.contains("\r\ntransfer-encoding: chunked\r\n"), r.out.constData());
    }

    // A streamed body that turns malformed, or a client gone mid-body: the upstream stream is
    // cancelled and the client's connection closed, never left hanging; the gateway serves on.
    void hostileBodiesNeverHang() {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_front->port(80));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /web/bad HTTP/1.1\r\nHost: front.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5\r\nhello\r\n");
        QVERIFY(socket.waitForBytesWritten(5000));
        QTest::qWait(200); // the first chunk is on its way upstream
        socket.write("zz\r\n\r\n");
        QElapsedTimer clock;
        clock.start();
        const QByteArray got = sluice::test::readUntilClosed(socket, 5000);
        QVERIFY2(clock.elapsed() < 4000, got.constData());
        QVERIFY2(got.isEmpty(),
                 got.constData()); // the body was streamed away: no answer, as HTTP/1.1 upstreams

        QTcpSocket gone;
        gone.connectToHost(QHostAddress::LocalHost, m_front->port(80));
        QVERIFY(gone.waitForConnected(5000));
        gone.write("POST /web/gone HTTP/1.1\r\nHost: front.test\r\nContent-Length: 100000\r\n\r\n" +
                   QByteArray(20'000, 'x'));
        QVERIFY(gone.waitForBytesWritten(5000));
        QTest::qWait(200);
        gone.abort();
        const Run after = curl(
            {QStringLiteral("-w"), QStringLiteral("\\n%{http_code}"), m_base + QStringLiteral("/web/after")});
        QVERIFY2(after.out.endsWith("\n200"), after.out.constData());
    }

private:
    /// curl (silent, 15 s at most) to front.test without blocking the event loop.
    static Run curl(const QStringList& args) {
        return run(QStringLiteral("curl"),
                   QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("15"),
                               QStringLiteral("-H"), QStringLiteral("Host: front.test")} +
                       args);
    }

    /// The access log's record of the last request to `path` (waits for it up to 5 s).
    sluice::proxy::RequestRecord lastRecord(const std::string& path) {
        std::vector<sluice::proxy::RequestRecord> records;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 5000) {
            m_log.drain(records);
            for (auto it = records.rbegin(); it != records.rend(); ++it)
                if (it->path == path)
                    return *it;
            QTest::qWait(20);
        }
        return {};
    }

    ScriptedUpstream m_scripted;
    QTcpServer m_probe;
    QByteArray m_probed;
    RawH2Upstream m_flaky{RawH2Upstream::Mode::ResetFirst};
    RawH2Upstream m_silent{RawH2Upstream::Mode::Silent};
    RawH2Upstream m_cut{RawH2Upstream::Mode::CutAfterHead};
    RawH2Upstream m_refusing{RawH2Upstream::Mode::RefuseFirst};
    RawH2Upstream m_resetting{RawH2Upstream::Mode::ResetFirst};
    RawH2Upstream m_refusingOnce{RawH2Upstream::Mode::RefuseFirst};
    RawH2Upstream m_held{RawH2Upstream::Mode::Silent};
    sluice::proxy::RecentRequests m_log;
    std::unique_ptr<Served> m_inner;
    std::unique_ptr<Served> m_front;
    QString m_base;
};

QTEST_GUILESS_MAIN(ProxyH1H2UpstreamTest)
#include "proxy_h1_h2_upstream_test.moc"
