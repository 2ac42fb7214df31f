// SPDX-License-Identifier: Apache-2.0
// A simulated replica over h2c with prior knowledge (ReplicaHttp2Connection): curl's answers, streams
// answered concurrently on one connection, large bodies through flow control, gRPC mode, hostile
// prefaces and frames.

#include "../../integration/client_run.h"
#include "replica_loop.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using sluice::test::behaviourOf;
using sluice::workload::BackendBehaviour;
using sluice::workload::ReplicaServer;

namespace {

/// curl with HTTP/2 prior knowledge (10 s at most), headers and trailers (-i) before the body.
sluice::test::Run curlH2(const QStringList& args) {
    return sluice::test::run(QStringLiteral("curl"),
                             QStringList{QStringLiteral("-sS"), QStringLiteral("-i"),
                                         QStringLiteral("--http2-prior-knowledge"),
                                         QStringLiteral("--max-time"), QStringLiteral("10")} +
                                 args);
}

QString url(const ReplicaServer& replica, const QString& path = QStringLiteral("/")) {
    return QStringLiteral("http://127.0.0.1:%1%2").arg(replica.port()).arg(path);
}

/// A gRPC message: not compressed, 4-byte big-endian length, payload.
QByteArray grpcFrame(const QByteArray& payload) {
    QByteArray frame(5, '\0');
    const auto n = static_cast<quint32>(payload.size());
    frame[1] = char(n >> 24);
    frame[2] = char(n >> 16);
    frame[3] = char(n >> 8);
    frame[4] = char(n);
    return frame + payload;
}

/// The replica still answers HTTP/2.
bool stillServes(const ReplicaServer& replica) {
    return curlH2({url(replica)}).out.startsWith("HTTP/2 200");
}

} // namespace

class ReplicaHttp2ConnectionTest : public QObject {
    Q_OBJECT

private slots:
    void init() { m_loop = std::make_unique<sluice::test::ReplicaLoop>(); }
    void cleanup() { m_loop.reset(); }

    void answersNamingItselfAndEchoing() {
        ReplicaServer& replica = m_loop->start({"reviews-v2-1", BackendBehaviour{}});
        const auto r = curlH2({QStringLiteral("-H"), QStringLiteral("end-user: jason"),
                               url(replica, QStringLiteral("/reviews/0?x=1"))});
        QVERIFY2(r.out.startsWith("HTTP/2 200"), QByteArray(r.out + r.err).constData());
        QVERIFY(r.out.contains("\r\nx-sluice-workload: reviews-v2-1\r\n"));
        QVERIFY(r.out.contains("\r\ncontent-type: application/json\r\n"));
        QVERIFY(r.out.contains("\"workload\":\"reviews-v2-1\",\"protocol\":\"HTTP/2\",\"method\":\"GET\""));
        QVERIFY(r.out.contains("\"path\":\"/reviews/0?x=1\""));
        QVERIFY(r.out.contains(QStringLiteral("\"host\":\"127.0.0.1:%1\"").arg(replica.port()).toLatin1()));
        QVERIFY(r.out.contains("\"end-user\":\"jason\""));
        QCOMPARE(replica.served(), std::uint64_t(1));
    }

    // The same port still speaks HTTP/1.1, and says so.
    void http1StaysOnTheSamePort() {
        ReplicaServer& replica = m_loop->start({"any-1", BackendBehaviour{}});
        const auto r = sluice::test::run(QStringLiteral("curl"), {QStringLiteral("-sS"), url(replica)});
        QVERIFY2(r.out.contains("\"protocol\":\"HTTP/1.1\""), QByteArray(r.out + r.err).constData());
    }

    // Two streams on one connection (nghttp opens one; curl 7.88's --parallel with prior knowledge
    // fails its second transfer locally), each after its own 800 ms: about one latency, not two.
    void answersStreamsConcurrently() {
        ReplicaServer& replica = m_loop->start({"slow-1", behaviourOf("  latency: {fixed: 800ms}\n")});
        QElapsedTimer clock;
        clock.start();
        const auto r =
            sluice::test::run(QStringLiteral("nghttp"),
                              {QStringLiteral("-n"), QStringLiteral("--stat"),
                               url(replica, QStringLiteral("/a")), url(replica, QStringLiteral("/b"))});
        const qint64 elapsed = clock.elapsed();
        // --stat: one line per stream, "id responseEnd requestStart process code size path".
        QVERIFY2(r.out.count(" 200 ") == 2, QByteArray(r.out + r.err).constData());
        QVERIFY2(elapsed >= 800 && elapsed < 1500, qPrintable(QString::number(elapsed)));
        QCOMPARE(replica.served(), std::uint64_t(2));
    }

    // A body far larger than the 64 KiB stream window arrives whole.
    void sendsLargeBodiesThroughFlowControl() {
        ReplicaServer& replica = m_loop->start({"big-1", behaviourOf("  responseBytes: 300000\n")});
        const auto r = sluice::test::run(QStringLiteral("curl"),
                                         {QStringLiteral("-sS"), QStringLiteral("--http2-prior-knowledge"),
                                          QStringLiteral("-w"), QStringLiteral("%{size_download}"),
                                          QStringLiteral("-o"), QStringLiteral("/dev/null"), url(replica)});
        QCOMPARE(r.out, QByteArray("300000"));
    }

    void answersGrpc_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("trailer");
        const QByteArray hello = grpcFrame("hello");
        QTest::newRow("echo") << QString() << hello << hello << QByteArray("grpc-status: 0");
        QTest::newRow("empty request: empty message")
            << QString() << QByteArray() << grpcFrame({}) << QByteArray("grpc-status: 0");
        QTest::newRow("503: UNAVAILABLE") << QStringLiteral("  errors: {rate: 1, status: 503}\n") << hello
                                          << QByteArray() << QByteArray("grpc-status: 14");
        QTest::newRow("404: UNIMPLEMENTED") << QStringLiteral("  sequence: [404]\n") << hello << QByteArray()
                                            << QByteArray("grpc-status: 12");
        QTest::newRow("500: UNKNOWN")
            << QStringLiteral("  sequence: [500]\n") << hello << QByteArray() << QByteArray("grpc-status: 2");
    }
    void answersGrpc() {
        QFETCH(QString, spec);
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, trailer);
        ReplicaServer& replica =
            m_loop->start({"rpc-1", spec.isEmpty() ? BackendBehaviour{} : behaviourOf(spec.toStdString())});
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("request")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(request);
        file.close();
        const auto r =
            curlH2({QStringLiteral("-H"), QStringLiteral("content-type: application/grpc"),
                    QStringLiteral("-H"), QStringLiteral("te: trailers"), QStringLiteral("--data-binary"),
                    QLatin1Char('@') + file.fileName(), url(replica, QStringLiteral("/echo.Echo/Say"))});
        QVERIFY2(r.out.startsWith("HTTP/2 200"), QByteArray(r.out + r.err).constData());
        QVERIFY(r.out.contains("\r\ncontent-type: application/grpc\r\n"));
        QVERIFY(r.out.contains("\r\nx-sluice-workload: rpc-1\r\n"));
        QVERIFY2(r.out.contains(QByteArray(trailer + "\r\n")), r.out.constData());
        const qsizetype headEnd = r.out.indexOf("\r\n\r\n");
        QVERIFY(headEnd > 0);
        QVERIFY2(r.out.mid(headEnd + 4).startsWith(body), r.out.toHex().constData());
        if (body.isEmpty()) // an error is trailers-only: no message at all
            QVERIFY2(!r.out.contains(QByteArray(5, '\0')) && !r.out.contains("hello"),
                     r.out.toHex().constData());
    }

    // Not HTTP/2 after all: "PRI * HTTP/2.0\r\n\r\n" and then no "SM". The connection closes.
    void closesOnABadPreface() {
        ReplicaServer& replica = m_loop->start({"any-1", BackendBehaviour{}});
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, replica.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n");
        sluice::test::readUntilClosed(socket, 5000);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QVERIFY(stillServes(replica));
    }

    // A valid preface, then bytes that are no frames: GOAWAY (or not), and the connection closes.
    void closesOnGarbageAfterThePreface() {
        ReplicaServer& replica = m_loop->start({"any-1", BackendBehaviour{}});
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, replica.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write(QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") + QByteArray(64, '\xff'));
        sluice::test::readUntilClosed(socket, 5000);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QVERIFY(stillServes(replica));
        QCOMPARE(replica.served(), std::uint64_t(1));
    }

    // Past the header count limit (100): that stream is reset, the connection and replica go on.
    void resetsStreamsOverTheHeaderLimit() {
        ReplicaServer& replica = m_loop->start({"any-1", BackendBehaviour{}});
        QStringList args;
        for (int i = 0; i < 120; ++i)
            args << QStringLiteral("-H") << QStringLiteral("x-h%1: v").arg(i);
        const auto r = curlH2(args << url(replica));
        QVERIFY2(!r.out.startsWith("HTTP/2 200"), r.out.constData());
        QVERIFY(stillServes(replica));
    }

private:
    std::unique_ptr<sluice::test::ReplicaLoop> m_loop;
};

QTEST_GUILESS_MAIN(ReplicaHttp2ConnectionTest)
#include "replica_http2_connection_test.moc"
