// SPDX-License-Identifier: Apache-2.0
// HTTP/2 to upstreams, end to end: a gateway in front of gRPC and HTTP2 Service ports speaks
// prior-knowledge h2c to them, here to a raw listener and to a second Sluice gateway (whose
// HTTP/2 downstream side is tested in proxy_http2_test).

#include "client_run.h"
#include "h2_configs.h"
#include "h2_frames.h"
#include "raw_h2_upstream.h"
#include "scripted_upstream.h"
#include "served_config.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>

using sluice::test::config;
using sluice::test::frontConfig;
using sluice::test::RawH2Upstream;
using sluice::test::Run;
using sluice::test::run;
using sluice::test::Served;
namespace h2 = sluice::test::h2;

class ProxyH2UpstreamTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_served = std::make_unique<Served>(Served::yaml(config(m_scripted.port())));
        QVERIFY2(m_served->error.empty(), m_served->error.c_str());
    }

    void cleanupTestCase() { m_served.reset(); }

    // Istio sends HTTP/2 to gRPC and HTTP2 ports: prior-knowledge h2c, whatever the client spoke.
    void speaksH2cToHttp2Ports() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        QByteArray received;
        connect(&probe, &QTcpServer::newConnection, &probe, [&] {
            QTcpSocket* socket = probe.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [&received, socket] {
                received += socket->readAll();
                if (received.size() >= h2::kPreface.size())
                    socket->close(); // not an HTTP/2 server after all: the stream is reset
            });
        });
        Served front = Served::yaml(frontConfig(m_served->port(80), probe.serverPort()));
        QVERIFY2(front.error.empty(), front.error.c_str());
        const Run r = probeOverH2(front);
        QVERIFY2(received.startsWith(h2::kPreface), received.toHex().constData());
        QVERIFY2(r.out.endsWith("\n503"), r.out.constData());
    }

    // A stream the upstream resets (RST_STREAM, which Istio's default retryOn does not retry):
    // 503 naming Envoy's reason, a remote reset (UR), not the connection's termination.
    void answersAStreamResetAsARemoteReset() {
        RawH2Upstream upstream{RawH2Upstream::Mode::ResetFirst};
        Served front = Served::yaml(frontConfig(m_served->port(80), upstream.port()));
        QVERIFY2(front.error.empty(), front.error.c_str());
        const Run r = probeOverH2(front);
        QCOMPARE(r.out, QByteArray("upstream connect error or disconnect/reset before headers. reset reason: "
                                   "remote reset\n503"));
        QCOMPARE(upstream.streams(), 1);
    }

    // Through two gateways, the second one reached over HTTP/2: answers, headers and trailers
    // both ways make it through.
    void chainsOverAnHttp2Upstream() {
        Served front = Served::yaml(frontConfig(m_served->port(80), 1));
        QVERIFY2(front.error.empty(), front.error.c_str());
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(front.port(80));
        const Run r =
            run(QStringLiteral("curl"),
                {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("--max-time"),
                 QStringLiteral("15"), QStringLiteral("--http2-prior-knowledge"), QStringLiteral("-H"),
                 QStringLiteral("Host: front.test"), base + QStringLiteral("/web/chained")});
        QVERIFY2(r.out.startsWith("HTTP/2 200"), r.out.constData());
        QVERIFY(r.out.contains("\r\nx-sluice-workload: web-v1-1\r\n"));
        QCOMPARE(r.out.count("x-envoy-upstream-service-time"), 1); // replaced, not repeated
        QVERIFY2(r.out.contains("\"x-forwarded-for\":\"127.0.0.1,127.0.0.1\""), r.out.constData());

        QTemporaryFile body;
        QVERIFY(body.open());
        body.write(QByteArray(200'000, 'g'));
        body.flush();
        const Run grpc =
            run(QStringLiteral("nghttp"),
                {QStringLiteral("-v"), QStringLiteral("-H"), QStringLiteral(":authority: front.test"),
                 QStringLiteral("-H"), QStringLiteral("content-type: application/grpc"),
                 QStringLiteral("--trailer"), QStringLiteral("x-checksum: 7"), QStringLiteral("-d"),
                 body.fileName(), base + QStringLiteral("/scripted/chained")});
        QVERIFY2(grpc.exitCode == 0, grpc.err.constData());
        QVERIFY2(grpc.out.contains("body-length: 200000"), grpc.out.constData());
        QVERIFY(grpc.out.contains(") grpc-status: 0"));
        QVERIFY2(m_scripted.requests().last().endsWith("0\r\nx-checksum: 7\r\n\r\n"),
                 m_scripted.requests().last().right(200).constData());
    }

private:
    /// curl, HTTP/2 with prior knowledge, to `front`'s /probe: the body, a newline, the status.
    static Run probeOverH2(const Served& front) {
        return run(QStringLiteral("curl"), {QStringLiteral("-sS"), QStringLiteral("--max-time"),
                                            QStringLiteral("15"), QStringLiteral("--http2-prior-knowledge"),
                                            QStringLiteral("-H"), QStringLiteral("Host: front.test"),
                                            QStringLiteral("-w"), QStringLiteral("\\n%{http_code}"),
                                            QStringLiteral("http://127.0.0.1:%1/probe").arg(front.port(80))});
    }

    ScriptedUpstream m_scripted;
    std::unique_ptr<Served> m_served;
};

QTEST_GUILESS_MAIN(ProxyH2UpstreamTest)
#include "proxy_h2_upstream_test.moc"
