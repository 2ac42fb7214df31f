// SPDX-License-Identifier: Apache-2.0
// HTTP/2 on the downstream side, end to end: prior-knowledge h2c from curl, nghttp and h2load
// through the proxy to simulated replicas and to a scripted HTTP/1.1 upstream; local replies,
// gRPC-shaped errors and timeouts, flow control both ways, trailers, hostile frames, drain.

#include "client_run.h"
#include "h2_configs.h"
#include "h2_frames.h"
#include "proxy/recent_requests.h"
#include "scripted_upstream.h"
#include "served_config.h"

#include <thread>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

using sluice::test::config;
using sluice::test::readUntilClosed;
using sluice::test::Run;
using sluice::test::run;
using sluice::test::Served;
namespace h2 = sluice::test::h2;

class ProxyHttp2Test : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_served = std::make_unique<Served>(Served::yaml(config(m_scripted.port())));
        QVERIFY2(m_served->error.empty(), m_served->error.c_str());
        m_base = QStringLiteral("http://127.0.0.1:%1").arg(m_served->port(80));
    }

    void cleanupTestCase() { m_served.reset(); }

    // curl --http2-prior-knowledge: routed to the replica, with the route's header operations.
    void servesPriorKnowledgeH2c() {
        const Run r = curl({QStringLiteral("-i"), m_base + QStringLiteral("/web/a?b=1")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("HTTP/2 200"), r.out.constData());
        QVERIFY(r.out.contains("\r\nx-sluice-workload: web-v1-1\r\n"));
        QVERIFY(r.out.contains("\r\nx-served-by: sluice\r\n"));
        QVERIFY(r.out.contains("\r\nserver: istio-envoy\r\n"));
        QVERIFY(r.out.contains("\r\nx-envoy-upstream-service-time: "));
        QVERIFY(r.out.contains("\"path\":\"/web/a?b=1\""));
        QVERIFY(r.out.contains("\"x-route\":\"web\""));
        QVERIFY(r.out.contains("\"x-forwarded-proto\":\"http\""));
    }

    // Streams multiplexed on few connections: every answer is the replica's.
    void multiplexesStreams() {
        const Run load =
            run(QStringLiteral("h2load"),
                {QStringLiteral("-n"), QStringLiteral("200"), QStringLiteral("-c"), QStringLiteral("2"),
                 QStringLiteral("-m"), QStringLiteral("10"), QStringLiteral("-H"),
                 QStringLiteral(":authority: h2.test"), m_base + QStringLiteral("/web")});
        QVERIFY2(load.out.contains("200 succeeded, 0 failed"), load.out.constData());
        QVERIFY2(load.out.contains("status codes: 200 2xx"), load.out.constData());
        const Run many = run(QStringLiteral("nghttp"),
                             {QStringLiteral("-n"), QStringLiteral("-s"), QStringLiteral("-m"),
                              QStringLiteral("20"), QStringLiteral("-H"),
                              QStringLiteral(":authority: h2.test"), m_base + QStringLiteral("/web")});
        QCOMPARE(many.out.count("  200 "), 20);
    }

    // RFC 9113 deprecated RFC 7540's priority tree: the gateway says it ignores it (RFC 9218's
    // SETTINGS_NO_RFC7540_PRIORITIES, as nghttp2 then keeps no tree per stream), and a client
    // that still sends PRIORITY frames and weighted HEADERS (nghttp does) is answered all the same.
    void announcesNoRfc7540Priorities() {
        const Run r = run(QStringLiteral("nghttp"),
                          {QStringLiteral("-nv"), QStringLiteral("-p"), QStringLiteral("3"),
                           QStringLiteral("-H"), QStringLiteral(":authority: h2.test"),
                           m_base + QStringLiteral("/web/a"), m_base + QStringLiteral("/web/b")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("send PRIORITY frame"), r.out.constData());
        QVERIFY2(r.out.contains("[SETTINGS_NO_RFC7540_PRIORITIES(0x09):1]"), r.out.constData());
        QCOMPARE(r.out.count(":status: 200"), 2);
    }

    // A 3 MB upload through 64 KiB stream windows reaches the upstream whole.
    void uploadsThroughTheStreamWindow() {
        QTemporaryFile body;
        QVERIFY(body.open());
        body.write(QByteArray(3'000'000, 'u'));
        body.flush();
        const Run r = curl({QStringLiteral("--data-binary"), QStringLiteral("@") + body.fileName(),
                            m_base + QStringLiteral("/scripted/upload")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("body-length: 3000000"), r.out.constData());
        QVERIFY(m_scripted.requests().last().contains("\r\ncontent-length: 3000000\r\n"));
    }

    // A 5 MB download to a client with 64 KiB windows: read from the upstream as the windows open.
    void downloadsThroughSmallClientWindows() {
        const Run r = run(QStringLiteral("nghttp"),
                          {QStringLiteral("-w"), QStringLiteral("16"), QStringLiteral("-W"),
                           QStringLiteral("16"), QStringLiteral("-H"), QStringLiteral(":authority: h2.test"),
                           m_base + QStringLiteral("/big")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out.size(), 5'000'000);
    }

    void answersLocally_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("status");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("no route") << QStringLiteral("/nowhere") << QByteArray("HTTP/2 404") << QByteArray();
        QTest::newRow("redirect") << QStringLiteral("/old") << QByteArray("HTTP/2 301")
                                  << QByteArray("location: http://h2.test/new");
        QTest::newRow("no endpoints")
            << QStringLiteral("/empty") << QByteArray("HTTP/2 503") << QByteArray("no healthy upstream");
    }
    void answersLocally() {
        QFETCH(QString, path);
        QFETCH(QByteArray, status);
        QFETCH(QByteArray, expected);
        const Run r = curl({QStringLiteral("-i"), m_base + path});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith(status), r.out.constData());
        QVERIFY(r.out.contains("\r\nserver: istio-envoy\r\n"));
        QVERIFY2(r.out.contains(expected), r.out.constData());
    }

    // Envoy's local replies to gRPC requests: HTTP 200, the error in grpc-status / grpc-message.
    void grpcRequestsGetGrpcShapedErrors_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("grpcStatus");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("NR -> UNIMPLEMENTED")
            << QStringLiteral("/nowhere") << QByteArray("12") << QByteArray();
        QTest::newRow("UH -> UNAVAILABLE") << QStringLiteral("/empty") << QByteArray("14")
                                           << QByteArray("grpc-message: no healthy upstream");
        QTest::newRow("fault abort grpcStatus")
            << QStringLiteral("/abort") << QByteArray("8") << QByteArray("grpc-message: fault filter abort");
    }
    void grpcRequestsGetGrpcShapedErrors() {
        QFETCH(QString, path);
        QFETCH(QByteArray, grpcStatus);
        QFETCH(QByteArray, message);
        const Run r = curl({QStringLiteral("-i"), QStringLiteral("-H"),
                            QStringLiteral("content-type: application/grpc"), m_base + path});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("HTTP/2 200"), r.out.constData());
        QVERIFY(r.out.contains("\r\ncontent-type: application/grpc\r\n"));
        QVERIFY2(r.out.contains(QByteArray("\r\ngrpc-status: " + grpcStatus + "\r\n")), r.out.constData());
        QVERIFY2(r.out.contains(message), r.out.constData());
        QVERIFY(message.size() > 0 || !r.out.contains("grpc-message"));
    }

    // grpc-timeout bounds a route without a timeout (Istio's max_grpc_timeout 0s): 504 UT as gRPC.
    void grpcTimeoutIsHonoured() {
        QElapsedTimer clock;
        clock.start();
        const Run r = curl({QStringLiteral("-i"), QStringLiteral("-H"),
                            QStringLiteral("content-type: application/grpc"), QStringLiteral("-H"),
                            QStringLiteral("grpc-timeout: 300m"), m_base + QStringLiteral("/slow")});
        QVERIFY2(r.out.contains("\r\ngrpc-status: 14\r\n"), r.out.constData());
        QVERIFY(r.out.contains("\r\ngrpc-message: upstream request timeout\r\n"));
        QVERIFY2(clock.elapsed() >= 300 && clock.elapsed() < 1400,
                 qPrintable(QString::number(clock.elapsed())));
        // Without the header the same request waits for the replica.
        const Run plain = curl({QStringLiteral("-H"), QStringLiteral("content-type: application/grpc"),
                                QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                                QStringLiteral("%{http_code}"), m_base + QStringLiteral("/slow")});
        QCOMPARE(plain.out, QByteArray("200"));
    }

    // Envoy's stream_idle_timeout: a stream where nothing moves gets 408 "stream timeout".
    void idleStreamsTimeOut() {
        sluice::proxy::ServeOptions options;
        options.streamIdleTimeout = std::chrono::milliseconds(300);
        Served s = Served::yaml(config(m_scripted.port()), options);
        QVERIFY2(s.error.empty(), s.error.c_str());
        QElapsedTimer clock;
        clock.start();
        const Run r = run(QStringLiteral("curl"),
                          {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("--max-time"),
                           QStringLiteral("15"), QStringLiteral("--http2-prior-knowledge"),
                           QStringLiteral("-H"), QStringLiteral("Host: h2.test"),
                           QStringLiteral("http://127.0.0.1:%1/slow").arg(s.port(80))});
        QVERIFY2(r.out.startsWith("HTTP/2 408"), r.out.constData());
        QVERIFY(r.out.contains("stream timeout"));
        QVERIFY2(clock.elapsed() < 3000,
                 qPrintable(QString::number(clock.elapsed()))); // the replica answers 200 at 1.5 s
    }

    // A client that gives up on a stream in flight: Envoy logs it with status 0 and DR when the
    // client reset the stream (RST_STREAM), DC when it closed the connection.
    void flagsAClientGivingUp_data() {
        QTest::addColumn<bool>("resetStream");
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("details");
        QTest::newRow("RST_STREAM") << true << QStringLiteral("DR") << QStringLiteral("http2.remote_reset");
        QTest::newRow("connection closed")
            << false << QStringLiteral("DC") << QStringLiteral("downstream_remote_disconnect");
    }
    void flagsAClientGivingUp() {
        QFETCH(bool, resetStream);
        QFETCH(QString, flag);
        QFETCH(QString, details);
        sluice::proxy::RecentRequests log;
        sluice::proxy::ServeOptions options;
        options.accessLog = &log;
        Served s = Served::yaml(config(m_scripted.port()), options);
        QVERIFY2(s.error.empty(), s.error.c_str());
        QTcpSocket socket;
        QVERIFY(sendSlowStream(socket, s.port(80)));
        QTest::qWait(200); // the replica takes 1.5 s
        if (resetStream)
            socket.write(h2::frame(h2::RstStream, 0, 1, h2::be32(8))); // CANCEL
        else
            socket.abort();
        QElapsedTimer clock;
        clock.start();
        std::vector<sluice::proxy::RequestRecord> records;
        while (records.empty() && clock.elapsed() < 5000) {
            QTest::qWait(20);
            log.drain(records);
        }
        QCOMPARE(records.size(), std::size_t{1});
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed()))); // not at 1.5 s
        const sluice::proxy::RequestRecord& r = records.front();
        QCOMPARE(r.status, 0);
        QCOMPARE(QString::fromStdString(r.flags), flag);
        QCOMPARE(QString::fromUtf8(r.responseCodeDetails.data(), qsizetype(r.responseCodeDetails.size())),
                 details);
    }

    // Request trailers go upstream in a chunked body; the upstream's trailers come back as HEADERS.
    void trailersPassThrough() {
        QTemporaryFile body;
        QVERIFY(body.open());
        body.write("ping");
        body.flush();
        const Run r =
            run(QStringLiteral("nghttp"),
                {QStringLiteral("-v"), QStringLiteral("-H"), QStringLiteral(":authority: h2.test"),
                 QStringLiteral("-H"), QStringLiteral("content-type: application/grpc"), QStringLiteral("-H"),
                 QStringLiteral("grpc-timeout: 5S"), QStringLiteral("--trailer"),
                 QStringLiteral("x-checksum: 42"), QStringLiteral("-d"), body.fileName(),
                 m_base + QStringLiteral("/scripted/echo.Echo/Say")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const qsizetype data = r.out.indexOf("recv DATA frame");
        const qsizetype trailer = r.out.indexOf(") grpc-status: 0");
        QVERIFY2(data > 0 && trailer > data, r.out.constData());
        QVERIFY(r.out.indexOf("END_STREAM | END_HEADERS", trailer) > trailer);
        QVERIFY(r.out.contains("body-length: 4"));
        const QByteArray sent = m_scripted.requests().last();
        QVERIFY2(sent.contains("\r\ntransfer-encoding: chunked\r\n"), sent.constData());
        QVERIFY2(sent.endsWith("\r\n4\r\nping\r\n0\r\nx-checksum: 42\r\n\r\n"), sent.constData());
        QVERIFY2(sent.contains("\r\ngrpc-timeout: 5000m\r\n"), sent.constData()); // Envoy rewrites it
        QVERIFY(sent.contains("\r\nte: trailers\r\n") || !sent.contains("\r\nte: "));
    }

    void survivesHostileFrames_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("expectedType");
        QTest::newRow("garbage after the preface") << QByteArray(200, '\xff') << int(h2::GoAway);
        QTest::newRow("malformed SETTINGS") << h2::frame(h2::Settings, 0, 1, "abc") << int(h2::GoAway);
        QByteArray flood = h2::frame(h2::Headers, h2::EndStream, 1, h2::requestBlock("h2.test"));
        for (int i = 0; i < 200; ++i)
            flood += h2::frame(h2::Continuation, 0, 1, h2::literal("x-a", QByteArray(100, 'b')));
        QTest::newRow("CONTINUATION flood") << flood << int(h2::GoAway);
        QByteArray huge = h2::requestBlock("h2.test");
        for (int i = 0; i < 600; ++i)
            huge += h2::literal("x-big" + QByteArray::number(i), QByteArray(120, 'v'));
        QByteArray hugeFrames;
        for (qsizetype at = 0; at < huge.size(); at += 16000) {
            const bool last = at + 16000 >= huge.size();
            hugeFrames +=
                h2::frame(at == 0 ? h2::Headers : h2::Continuation,
                          static_cast<char>((at == 0 ? h2::EndStream : 0) | (last ? h2::EndHeaders : 0)), 3,
                          huge.mid(at, 16000));
        }
        QTest::newRow("header list over 60 KiB") << hugeFrames << int(h2::RstStream);
        QByteArray empty = h2::frame(h2::Headers, h2::EndHeaders, 1, h2::requestBlock("h2.test", "/web"));
        for (int i = 0; i < 50; ++i)
            empty += h2::frame(h2::Data, 0, 1, {});
        QTest::newRow("empty DATA flood") << empty << int(h2::GoAway);
        QByteArray resets;
        for (quint32 id = 1; id < 3000; id += 2)
            resets += h2::frame(h2::Headers, h2::EndStream | h2::EndHeaders, id,
                                h2::requestBlock("h2.test", "/web")) +
                      h2::frame(h2::RstStream, 0, id, h2::be32(8));
        QTest::newRow("rapid reset") << resets << int(h2::GoAway);
    }
    // Answered with GOAWAY or RST_STREAM, never a crash or a hang; the proxy serves on.
    void survivesHostileFrames() {
        QFETCH(QByteArray, wire);
        QFETCH(int, expectedType);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_served->port(80));
        QVERIFY(socket.waitForConnected(5000));
        socket.write(h2::kPreface + h2::frame(h2::Settings, 0, 0, {}) + wire);
        const QByteArray got = readUntilClosed(socket, expectedType == h2::GoAway ? 8000 : 1500);
        bool seen = false;
        for (const h2::Frame& f : h2::parse(got))
            seen = seen || f.type == expectedType;
        QVERIFY2(seen, got.toHex().left(400).constData());
        if (expectedType == h2::GoAway)
            QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        const Run after = curl({QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                                QStringLiteral("%{http_code}"), m_base + QStringLiteral("/web")});
        QCOMPARE(after.out, QByteArray("200"));
    }

    // Stopping drains: a shutdown notice, the final GOAWAY, the stream in flight answered, close.
    void drainsWithGoaway() {
        Served s = Served::yaml(config(m_scripted.port()));
        QVERIFY2(s.error.empty(), s.error.c_str());
        QTcpSocket socket;
        QVERIFY(sendSlowStream(socket, s.port(80)));
        QTest::qWait(200);
        std::thread stopper([&s] { s.server().stop(std::chrono::milliseconds(8000)); });
        const QByteArray got = readUntilClosed(socket, 10000);
        stopper.join();
        QList<quint32> lastStreams;
        bool answered = false;
        for (const h2::Frame& f : h2::parse(got)) {
            if (f.type == h2::GoAway && h2::errorCode(f) == 0)
                lastStreams << h2::lastStreamId(f);
            answered = answered || (f.type == h2::Headers && f.stream == 1);
        }
        QVERIFY2(answered, got.toHex().left(400).constData());
        QCOMPARE(lastStreams, QList<quint32>({0x7fffffffu, 1u})); // notice, then the real one
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    }

    // The same over HTTP/1.1: the request in flight is answered, its answer says the connection
    // closes (Envoy's drain), and it does.
    void drainsHttp1WithConnectionClose() {
        Served s = Served::yaml(config(m_scripted.port()));
        QVERIFY2(s.error.empty(), s.error.c_str());
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, s.port(80));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /slow HTTP/1.1\r\nHost: h2.test\r\n\r\n");
        QVERIFY(socket.waitForBytesWritten(2000));
        QTest::qWait(200);
        std::thread stopper([&s] { s.server().stop(std::chrono::milliseconds(8000)); });
        const QByteArray got = readUntilClosed(socket, 10000);
        stopper.join();
        QVERIFY2(got.startsWith("HTTP/1.1 200"), got.left(300).constData());
        QVERIFY2(got.contains("\r\nconnection: close\r\n"), got.left(300).constData());
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    }

private:
    /// A raw HTTP/2 connection to `port` with one request in flight: GET /slow on stream 1.
    static bool sendSlowStream(QTcpSocket& socket, quint16 port) {
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(5000))
            return false;
        socket.write(
            h2::kPreface + h2::frame(h2::Settings, 0, 0, {}) +
            h2::frame(h2::Headers, h2::EndStream | h2::EndHeaders, 1, h2::requestBlock("h2.test", "/slow")));
        return socket.waitForBytesWritten(5000);
    }

    Run curl(const QStringList& args) const {
        return run(QStringLiteral("curl"),
                   QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("15"),
                               QStringLiteral("--http2-prior-knowledge"), QStringLiteral("-H"),
                               QStringLiteral("Host: h2.test")} +
                       args);
    }

    ScriptedUpstream m_scripted;
    std::unique_ptr<Served> m_served;
    QString m_base;
};

QTEST_GUILESS_MAIN(ProxyHttp2Test)
#include "proxy_http2_test.moc"
