// SPDX-License-Identifier: Apache-2.0
// What `sluice load` and `sluice replay` report beyond the counts: a run stopped by Ctrl-C says so
// (and how many requests it gave up), the embedded gateway's response flags are counted while a
// foreign target's are unknown (null, never zeros), and the time series exported as JSON.
#include "cli_run.h"

#include <csignal>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using sluice_cli_test::Run;
using sluice_cli_test::sluice;
using sluice_cli_test::writeFile;

namespace {

/// web.example.com on port 80 to Service `web`, with `http` as the VirtualService's rule body
/// and `workload` as the Workload's spec additions.
QByteArray webConfig(const QByteArray& rule, const QByteArray& workload) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web-gateway, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [web.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: [web.example.com]
  gateways: [web-gateway]
  http:
  - route: [{destination: {host: web, port: {number: 80}}}]
)" + rule + R"(
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: web, namespace: default}
spec:
  labels: {app: web}
)" + workload;
}

/// A foreign HTTP/1.1 server: answers every request head "200 ok", keep-alive. Runs on the
/// test's event loop.
class OkServer {
public:
    OkServer() {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, buffer] {
                    *buffer += socket->readAll();
                    qsizetype end = 0;
                    while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
                        buffer->remove(0, end + 4);
                        socket->write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
                    }
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    [[nodiscard]] QString url() const {
        return QStringLiteral("http://127.0.0.1:%1/").arg(m_server.serverPort());
    }

private:
    QTcpServer m_server;
};

/// Runs sluice, and stops it with SIGINT (Ctrl-C) two seconds in.
Run interruptedAfter2s(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(SLUICE_CLI), args);
    if (!p.waitForStarted(10000))
        return {};
    QTest::qWait(2000);
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    return sluice_cli_test::finish(p, 15000);
}

QJsonObject json(const QByteArray& bytes) {
    return QJsonDocument::fromJson(bytes).object();
}

} // namespace

class TrafficReportCliTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(QFile::exists(QStringLiteral(SLUICE_CLI)), SLUICE_CLI); }

    // Ctrl-C: the JSON report says the figures are partial, and counts the requests given up
    // (three connections each waiting for a 5 s answer when the 1 s grace runs out).
    void interruptedJsonCountsAbandoned() {
        QTemporaryDir dir;
        const QString config =
            writeFile(dir, QStringLiteral("slow.yaml"), webConfig({}, "  latency: {fixed: 5s}\n"));
        const Run r =
            interruptedAfter2s({QStringLiteral("load"), QStringLiteral("-f"), config, QStringLiteral("-d"),
                                QStringLiteral("60s"), QStringLiteral("-c"), QStringLiteral("3"),
                                QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray& out = r.out;
        const QJsonObject j = json(out);
        QVERIFY2(j.value(QStringLiteral("interrupted")).toBool(), out.constData());
        const QJsonObject totals = j.value(QStringLiteral("totals")).toObject();
        QCOMPARE(totals.value(QStringLiteral("abandoned")).toInt(), 3);
        QCOMPARE(totals.value(QStringLiteral("requests")).toInt(), 0);
    }

    // The text report of a stopped replay says it too.
    void interruptedReplayText() {
        QTemporaryDir dir;
        const QString config =
            writeFile(dir, QStringLiteral("slow.yaml"), webConfig({}, "  latency: {fixed: 5s}\n"));
        const QString recording = writeFile(dir, QStringLiteral("r.jsonl"),
                                            R"({"t_ms": 0, "authority": "web.example.com", "path": "/a"}
{"t_ms": 1, "authority": "web.example.com", "path": "/b"}
{"t_ms": 60000, "authority": "web.example.com", "path": "/late"}
)");
        const Run r = interruptedAfter2s(
            {QStringLiteral("replay"), recording, QStringLiteral("-f"), config, QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray& out = r.out;
        QVERIFY2(out.contains("INTERRUPTED: stopped early"), out.constData());
        QVERIFY2(out.contains("Abandoned  2 in flight when stopped"), out.constData());
    }

    // Through the embedded gateway, each answer's Envoy flags are the gateway's: an abort
    // injected into half the requests shows as FI, exactly as many as the 503s it answered.
    void embeddedGatewayFlagsAreCounted() {
        QTemporaryDir dir;
        const QString config =
            writeFile(dir, QStringLiteral("abort.yaml"),
                      webConfig("    fault: {abort: {httpStatus: 503, percentage: {value: 50}}}\n", {}));
        const Run r = sluice({QStringLiteral("load"), QStringLiteral("-f"), config, QStringLiteral("-n"),
                              QStringLiteral("400"), QStringLiteral("-c"), QStringLiteral("4"),
                              QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = json(r.out);
        QCOMPARE(j.value(QStringLiteral("interrupted")).toBool(true), false);
        const int aborted = j.value(QStringLiteral("status")).toObject().value(QStringLiteral("503")).toInt();
        QVERIFY2(aborted > 100 && aborted < 300, r.out.constData());
        const QJsonObject flags = j.value(QStringLiteral("response_flags")).toObject();
        QCOMPARE(flags.value(QStringLiteral("FI")).toInt(), aborted);
        QCOMPARE(flags.size(), 1);
    }

    // A foreign URL tells no flags: null in JSON, "unknown" in text, never an empty (measured) set.
    void foreignTargetFlagsAreUnknown() {
        OkServer server;
        const Run r = sluice({QStringLiteral("load"), server.url(), QStringLiteral("-n"),
                              QStringLiteral("50"), QStringLiteral("-c"), QStringLiteral("2"),
                              QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = json(r.out);
        QCOMPARE(j.value(QStringLiteral("status")).toObject().value(QStringLiteral("200")).toInt(), 50);
        QVERIFY2(j.value(QStringLiteral("response_flags")).isNull(), r.out.constData());
        const Run text =
            sluice({QStringLiteral("load"), server.url(), QStringLiteral("-n"), QStringLiteral("10"),
                    QStringLiteral("-c"), QStringLiteral("1"), QStringLiteral("-q")});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("Response flags: unknown"), text.out.constData());
    }

    // The same for a replay to --target.
    void replayToTargetFlagsAreUnknown() {
        OkServer server;
        QTemporaryDir dir;
        const QString recording = writeFile(dir, QStringLiteral("r.jsonl"),
                                            R"({"t_ms": 0, "authority": "web.example.com", "path": "/"}
)");
        const Run r = sluice({QStringLiteral("replay"), recording, QStringLiteral("--target"), server.url(),
                              QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject report = json(r.out).value(QStringLiteral("report")).toObject();
        QCOMPARE(report.value(QStringLiteral("totals")).toObject().value(QStringLiteral("requests")).toInt(),
                 1);
        QVERIFY2(report.value(QStringLiteral("response_flags")).isNull(), r.out.constData());
    }

    // --series-json: the 1 s buckets as JSON, the same seconds the report covers.
    void seriesJson() {
        QTemporaryDir dir;
        const QString config = writeFile(dir, QStringLiteral("web.yaml"), webConfig({}, {}));
        const QString series = dir.filePath(QStringLiteral("series.json"));
        const Run r = sluice({QStringLiteral("load"), QStringLiteral("-f"), config, QStringLiteral("--rate"),
                              QStringLiteral("100"), QStringLiteral("-d"), QStringLiteral("2s"),
                              QStringLiteral("--series-json"), series, QStringLiteral("-o"),
                              QStringLiteral("json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(series);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject j = json(f.readAll());
        QCOMPARE(j.value(QStringLiteral("schema")).toString(), QStringLiteral("sluice.time-series/v1"));
        QCOMPARE(j.value(QStringLiteral("bucket_s")).toInt(), 1);
        const QJsonArray seconds = j.value(QStringLiteral("seconds")).toArray();
        QCOMPARE(seconds.size(), 2);
        int requests = 0;
        for (qsizetype i = 0; i < seconds.size(); ++i) {
            const QJsonObject s = seconds[i].toObject();
            QCOMPARE(s.value(QStringLiteral("second")).toInt(), int(i));
            requests += s.value(QStringLiteral("requests")).toInt();
            QCOMPARE(s.value(QStringLiteral("status")).toObject().value(QStringLiteral("2xx")).toInt(),
                     s.value(QStringLiteral("requests")).toInt());
            QVERIFY(s.value(QStringLiteral("latency_ms")).toObject().contains(QStringLiteral("p99")));
        }
        QCOMPARE(
            requests,
            json(r.out).value(QStringLiteral("totals")).toObject().value(QStringLiteral("requests")).toInt());
        QVERIFY(requests >= 199 && requests <= 201);
    }

    // An unwritable --series-json is an error, not a silent loss.
    void seriesJsonUnwritable() {
        QTemporaryDir dir;
        const QString config = writeFile(dir, QStringLiteral("web.yaml"), webConfig({}, {}));
        const Run r = sluice({QStringLiteral("load"), QStringLiteral("-f"), config, QStringLiteral("-n"),
                              QStringLiteral("5"), QStringLiteral("--series-json"),
                              QStringLiteral("/nonexistent/dir/series.json"), QStringLiteral("-q")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("cannot write /nonexistent/dir/series.json"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TrafficReportCliTest)
#include "traffic_report_cli_test.moc"
