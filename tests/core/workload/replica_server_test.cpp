// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "workload/replica_server.h"

#include <thread>
#include <utility>

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

using sluice::workload::BackendBehaviour;
using sluice::workload::ReplicaServer;

namespace {

BackendBehaviour behaviourOf(const std::string& spec) {
    sluice::config::LoadResult r;
    sluice::config::loadText(
        "w.yaml", "apiVersion: sluice.dev/v1\nkind: Workload\nmetadata:\n  name: w\nspec:\n" + spec, r);
    return BackendBehaviour::fromSpec(r.resources.workloads.at(0).spec);
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
    void init() {
        m_context = std::make_unique<boost::asio::io_context>(1);
        m_guard.emplace(m_context->get_executor());
        m_thread = std::thread([this] { m_context->run(); });
    }

    void cleanup() {
        m_guard.reset();
        m_context->stop();
        m_thread.join();
        m_replicas.clear(); // after the loop stopped: connections referenced them
    }

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

    void refusesGarbageWith400() {
        ReplicaServer& replica = start({"any-1", BackendBehaviour{}});
        const QByteArray got = exchange(replica.port(), "BLAH\r\n\r\n");
        QVERIFY2(got.startsWith("HTTP/1.1 400"), got.constData());
        QVERIFY(got.contains("connection: close"));
    }

private:
    ReplicaServer& start(sluice::workload::ReplicaIdentity identity) {
        m_replicas.push_back(std::make_unique<ReplicaServer>(std::move(identity)));
        const std::string error = m_replicas.back()->listenOn(*m_context);
        if (!error.empty())
            qFatal("%s", error.c_str());
        return *m_replicas.back();
    }

    std::unique_ptr<boost::asio::io_context> m_context;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> m_guard;
    std::thread m_thread;
    std::vector<std::unique_ptr<ReplicaServer>> m_replicas;
};

QTEST_GUILESS_MAIN(ReplicaServerTest)
#include "replica_server_test.moc"
