// SPDX-License-Identifier: Apache-2.0
#include "replica_loop.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

using sluice::test::behaviourOf;
using sluice::workload::BackendBehaviour;
using sluice::workload::ReplicaServer;

namespace {

/// A literal with its NUL bytes.
template <std::size_t N> QByteArray bytes(const char (&s)[N]) {
    return QByteArray(s, N - 1);
}

/// Sends `wire` and reads until the server closes or `responses` status lines arrived.
QByteArray exchange(std::uint16_t port, const QByteArray& wire, int responses = 1) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(wire);
    QByteArray got;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10000 && got.count("HTTP/1.1 ") < responses) {
        if (socket.waitForReadyRead(200))
            got += socket.readAll();
        else if (socket.state() != QAbstractSocket::ConnectedState)
            break;
    }
    // Let a response body still in flight arrive.
    while (socket.waitForReadyRead(100))
        got += socket.readAll();
    return got;
}

} // namespace

class ReplicaServerTest : public QObject {
    Q_OBJECT

private slots:
    void init() { m_loop = std::make_unique<sluice::test::ReplicaLoop>(); }
    void cleanup() { m_loop.reset(); }

    void answersNamingItselfAndEchoing() {
        ReplicaServer& replica = start({"reviews-v2-1", BackendBehaviour{}});
        const QByteArray got =
            exchange(replica.port(), "GET /reviews/0?x=1 HTTP/1.1\r\nHost: reviews:9080\r\n"
                                     "end-user: jason\r\nConnection: close\r\n\r\n");
        QVERIFY2(got.startsWith("HTTP/1.1 200 OK\r\n"), got.constData());
        QVERIFY(got.contains("\r\nx-sluice-workload: reviews-v2-1\r\n"));
        QVERIFY(got.contains("\"workload\":\"reviews-v2-1\""));
        QVERIFY(got.contains("\"path\":\"/reviews/0?x=1\""));
        QVERIFY(got.contains("\"end-user\":\"jason\""));
        QCOMPARE(replica.served(), std::uint64_t(1));
    }

    // A scripted sequence plays across requests on one keep-alive connection.
    void playsItsSequence() {
        ReplicaServer& replica = start({"flaky-1", behaviourOf("  sequence: [503, 500, 200]\n")});
        const QByteArray request = "GET / HTTP/1.1\r\nHost: flaky\r\n\r\n";
        const QByteArray got = exchange(replica.port(), request + request + request + request, 4);
        const QList<QByteArray> lines = got.split('\n');
        QStringList statuses;
        for (const QByteArray& line : lines)
            if (line.startsWith("HTTP/1.1 "))
                statuses << QString::fromLatin1(line.mid(9, 3));
        QCOMPARE(statuses, (QStringList{QStringLiteral("503"), QStringLiteral("500"), QStringLiteral("200"),
                                        QStringLiteral("503")}));
    }

    void waitsItsLatency() {
        ReplicaServer& replica = start({"slow-1", behaviourOf("  latency: {fixed: 300ms}\n")});
        QElapsedTimer clock;
        clock.start();
        const QByteArray got =
            exchange(replica.port(), "GET / HTTP/1.1\r\nHost: slow\r\nConnection: close\r\n\r\n");
        QVERIFY(got.startsWith("HTTP/1.1 200"));
        QVERIFY2(clock.elapsed() >= 300, qPrintable(QString::number(clock.elapsed())));
    }

    void sizesItsBodyAndReadsTheRequestBody() {
        ReplicaServer& replica = start({"big-1", behaviourOf("  responseBytes: 5000\n")});
        const QByteArray got =
            exchange(replica.port(), "POST / HTTP/1.1\r\nHost: big\r\nContent-Length: 5\r\n"
                                     "Connection: close\r\n\r\nhello");
        QVERIFY(got.contains("\r\ncontent-length: 5000\r\n"));
        QCOMPARE(got.size() - (got.indexOf("\r\n\r\n") + 4), 5000);
    }

    // gRPC over HTTP/1.1: the message echoed as one chunk, grpc-status in the chunked trailers.
    void answersGrpcWithChunkedTrailers_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("trailers");
        QTest::newRow("echo") << QString() << bytes("a\r\n\0\0\0\0\x05hello\r\n")
                              << QByteArray("0\r\ngrpc-status: 0\r\n\r\n");
        QTest::newRow("503: UNAVAILABLE")
            << QStringLiteral("  errors: {rate: 1, status: 503}\n") << QByteArray()
            << QByteArray("0\r\ngrpc-status: 14\r\ngrpc-message: Service "
                          "Unavailable\r\n\r\n");
    }
    void answersGrpcWithChunkedTrailers() {
        QFETCH(QString, spec);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, trailers);
        ReplicaServer& replica =
            start({"rpc-1", spec.isEmpty() ? BackendBehaviour{} : behaviourOf(spec.toStdString())});
        // The request body chunked, as a gRPC message of unknown length would be sent.
        const QByteArray got =
            exchange(replica.port(), QByteArray("POST /echo.Echo/Say HTTP/1.1\r\nHost: rpc\r\n"
                                                "content-type: application/grpc\r\n"
                                                "Transfer-Encoding: chunked\r\n"
                                                "Connection: close\r\n\r\n"
                                                "3\r\n") +
                                         bytes("\0\0\0\r\n7\r\n\0\x05hello\r\n0\r\n\r\n"));
        QVERIFY2(got.startsWith("HTTP/1.1 200 OK\r\n"), got.constData());
        QVERIFY(got.contains("\r\ncontent-type: application/grpc\r\n"));
        QVERIFY(got.contains("\r\nx-sluice-workload: rpc-1\r\n"));
        QVERIFY(got.contains("\r\ntransfer-encoding: chunked\r\n"));
        QCOMPARE(got.mid(got.indexOf("\r\n\r\n") + 4), body + trailers);
    }

    void refusesGarbageWith400() {
        ReplicaServer& replica = start({"any-1", BackendBehaviour{}});
        const QByteArray got = exchange(replica.port(), "BLAH\r\n\r\n");
        QVERIFY2(got.startsWith("HTTP/1.1 400"), got.constData());
        QVERIFY(got.contains("connection: close"));
    }

private:
    ReplicaServer& start(sluice::workload::ReplicaIdentity identity) {
        return m_loop->start(std::move(identity));
    }

    std::unique_ptr<sluice::test::ReplicaLoop> m_loop;
};

QTEST_GUILESS_MAIN(ReplicaServerTest)
#include "replica_server_test.moc"
