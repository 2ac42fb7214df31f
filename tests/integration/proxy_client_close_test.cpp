// SPDX-License-Identifier: Apache-2.0
// HTTP/1.1 clients that leave while their request waits on a slow replica: Envoy sees the close at
// once, resets the request and logs it with status 0 and flag DC. Sluice watches for that close
// from the first watchdog tick (one a second) that finds the request waiting, so the close is seen
// within a tick. The watch must not eat a keep-alive or pipelined client's next request. Also: request IDs
// differ from one run to the next.

#include "client_run.h"
#include "proxy/recent_requests.h"
#include "served_config.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

using sluice::test::Served;

namespace {

/// A Service `name` (port 80) and one Workload replica for it with `spec` lines.
std::string backend(const std::string& name, const std::string& spec) {
    return "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name +
           "}\nspec: {selector: {app: " + name +
           "}, ports: [{name: http, port: 80}]}\n---\napiVersion: sluice.dev/v1\nkind: Workload\nmetadata: "
           "{name: " +
           name + "-v1}\nspec:\n  labels: {app: " + name + "}\n" + spec;
}

/// slow.test: /slow to a replica answering after 2.5 s, /delayed held 3 s by a fault, anything else
/// to a replica answering at once.
const std::string kConfig = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["slow.test"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: slow}
spec:
  hosts: ["slow.test"]
  gateways: ["istio-system/gw"]
  http:
  - match: [{uri: {prefix: /slow}}]
    route: [{destination: {host: slow}}]
  - match: [{uri: {prefix: /big}}]
    route: [{destination: {host: big}}]
  - match: [{uri: {prefix: /delayed}}]
    fault: {delay: {fixedDelay: 3s, percentage: {value: 100}}}
    route: [{destination: {host: fast}}]
  - route: [{destination: {host: fast}}]
)" + backend("slow", "  latency: {fixed: 2500ms}\n") +
                            backend("big", "  responseBytes: 50000000\n") + backend("fast", "");

QByteArray get(const QByteArray& path) {
    return "GET " + path + " HTTP/1.1\r\nHost: slow.test\r\n\r\n";
}

/// Reads until `count` complete responses (Content-Length framed) have arrived, or `ms` passed.
QList<QByteArray> readResponses(QTcpSocket& socket, int count, int ms) {
    QByteArray in;
    QList<QByteArray> responses;
    QElapsedTimer clock;
    clock.start();
    while (responses.size() < count && clock.elapsed() < ms) {
        if (socket.bytesAvailable() == 0)
            socket.waitForReadyRead(50);
        in += socket.readAll();
        for (;;) {
            const qsizetype end = in.indexOf("\r\n\r\n");
            if (end < 0)
                break;
            const qsizetype at = in.toLower().indexOf("\r\ncontent-length: ");
            if (at < 0 || at > end)
                break;
            const qsizetype length = in.mid(at + 18, in.indexOf("\r\n", at + 18) - at - 18).toLongLong();
            if (in.size() < end + 4 + length)
                break;
            responses.append(in.left(end + 4 + length));
            in.remove(0, end + 4 + length);
        }
    }
    return responses;
}

} // namespace

class ProxyClientCloseTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        sluice::proxy::ServeOptions options;
        options.accessLog = &m_log;
        m_served = std::make_unique<Served>(Served::yaml(kConfig, options));
        QVERIFY2(m_served->error.empty(), m_served->error.c_str());
    }

    void cleanupTestCase() { m_served.reset(); }

    // The client leaves 200 ms in: logged at the next watchdog tick, not when the replica answers,
    // with status 0, DC and Envoy's response code details.
    // Also while a fault's delay holds the request (Envoy logs both flags).
    void aClientLeavingIsLoggedDC_data() {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QString>("flags");
        QTest::newRow("waiting on the replica") << QByteArray("/slow/leaving") << QStringLiteral("DC");
        QTest::newRow("held by a fault delay") << QByteArray("/delayed/leaving") << QStringLiteral("DI,DC");
    }
    void aClientLeavingIsLoggedDC() {
        QFETCH(QByteArray, path);
        QFETCH(QString, flags);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_served->port(80));
        QVERIFY(socket.waitForConnected(5000));
        socket.write(get(path));
        QVERIFY(socket.waitForBytesWritten(5000));
        QTest::qWait(200);
        QElapsedTimer clock;
        clock.start();
        socket.abort();
        const sluice::proxy::RequestRecord r = record(path.toStdString());
        QVERIFY2(clock.elapsed() < 2000,
                 qPrintable(QString::number(clock.elapsed()))); // the answer: 2.3 s on
        QCOMPARE(r.status, 0);
        QCOMPARE(QString::fromStdString(r.flags), flags);
        QCOMPARE(QString::fromUtf8(r.responseCodeDetails.data(), qsizetype(r.responseCodeDetails.size())),
                 QStringLiteral("downstream_remote_disconnect"));
        QCOMPARE(r.bytesSent, std::uint64_t{0});
    }

    // A client that leaves while its answer is being written: logged DC with the status it had
    // been answered.
    void aClientLeavingMidAnswerIsLoggedDC() {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_served->port(80));
        QVERIFY(socket.waitForConnected(5000));
        socket.write(get("/big/leaving"));
        QByteArray head;
        QElapsedTimer clock;
        clock.start();
        while (!head.contains("\r\n\r\n") && clock.elapsed() < 5000 && socket.waitForReadyRead(1000))
            head += socket.readAll();
        QVERIFY2(head.startsWith("HTTP/1.1 200 OK\r\n"), head.left(200).constData());
        socket.abort();
        const sluice::proxy::RequestRecord r = record("/big/leaving");
        QCOMPARE(r.status, 200);
        QCOMPARE(QString::fromStdString(r.flags), QStringLiteral("DC"));
        QVERIFY2(r.bytesSent < 50'000'000, qPrintable(QString::number(r.bytesSent)));
    }

    // A client that waits gets its answer though the watch was on, and its next request on the
    // same connection is served (the watch's read did not lose it).
    void aWaitingClientKeepsItsConnection() {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_served->port(80));
        QVERIFY(socket.waitForConnected(5000));
        socket.write(get("/slow/waiting"));
        QList<QByteArray> first = readResponses(socket, 1, 6000);
        QCOMPARE(first.size(), 1);
        QVERIFY2(first[0].startsWith("HTTP/1.1 200 OK\r\n"), first[0].constData());
        QVERIFY2(first[0].contains("x-sluice-workload: slow-v1"), first[0].constData());
        socket.write(get("/fast/next"));
        const QList<QByteArray> next = readResponses(socket, 1, 5000);
        QCOMPARE(next.size(), 1);
        QVERIFY2(next[0].contains("x-sluice-workload: fast-v1"), next[0].constData());
        QVERIFY2(next[0].contains("\"path\":\"/fast/next\""), next[0].constData());
    }

    // A pipelined request sent behind a slow one: the watch reads it instead of a close; it is
    // answered second, in order.
    void aPipelinedRequestWaitsItsTurn() {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_served->port(80));
        QVERIFY(socket.waitForConnected(5000));
        socket.write(get("/slow/first"));
        QVERIFY(socket.waitForBytesWritten(5000));
        QTest::qWait(1300); // past a watchdog tick: the watch is reading the client
        socket.write(get("/fast/second"));
        const QList<QByteArray> answers = readResponses(socket, 2, 8000);
        QCOMPARE(answers.size(), 2);
        QVERIFY2(answers[0].contains("\"path\":\"/slow/first\""), answers[0].constData());
        QVERIFY2(answers[1].contains("\"path\":\"/fast/second\""), answers[1].constData());
        QCOMPARE(record("/slow/first").status, 200);
    }

    // Envoy makes x-request-id a random UUIDv4: a new run of the gateway must not repeat the
    // last run's IDs.
    void requestIdsDifferFromRunToRun() {
        QStringList ids;
        for (int run = 0; run < 2; ++run) {
            Served s = Served::yaml(kConfig);
            QVERIFY2(s.error.empty(), s.error.c_str());
            const sluice::test::Run r = sluice::test::run(
                QStringLiteral("curl"),
                {QStringLiteral("-sS"), QStringLiteral("-H"), QStringLiteral("Host: slow.test"),
                 QStringLiteral("http://127.0.0.1:%1/fast").arg(s.port(80))});
            const qsizetype at = r.out.indexOf("\"x-request-id\":\"");
            QVERIFY2(at > 0, r.out.constData());
            ids.append(QString::fromLatin1(r.out.mid(at + 16, 36)));
        }
        QVERIFY2(ids[0] != ids[1], qPrintable(ids.join(u' ')));
    }

private:
    /// The access log's record of `path` (waits up to 5 s for it).
    sluice::proxy::RequestRecord record(const std::string& path) {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 5000) {
            m_log.drain(m_records);
            for (const auto& r : m_records)
                if (r.path == path)
                    return r;
            QTest::qWait(20);
        }
        return {};
    }

    sluice::proxy::RecentRequests m_log;
    std::vector<sluice::proxy::RequestRecord> m_records;
    std::unique_ptr<Served> m_served;
};

QTEST_GUILESS_MAIN(ProxyClientCloseTest)
#include "proxy_client_close_test.moc"
