// SPDX-License-Identifier: Apache-2.0
// `sluice load` and `sluice replay` as users run them (the built binary through QProcess): the
// report formats, the CSV time series, Ctrl+C, and bad input answered with a clear message and
// exit status 2 (1 for config errors).
#include "cli_run.h"

#include <csignal>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using sluice_cli_test::Run;
using sluice_cli_test::sluice;

namespace {

QString sample(const char* path) {
    return QStringLiteral(SLUICE_SOURCE_DIR "/samples/") + QString::fromUtf8(path);
}

/// A loopback port nothing listens on.
QString closedUrl() {
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    const quint16 port = s.serverPort();
    s.close();
    return QStringLiteral("http://127.0.0.1:%1/").arg(port);
}

void write(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class TrafficCliTest : public QObject {
    Q_OBJECT

private slots:
    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString url = closedUrl();
        QTest::newRow("zero rate") << QStringList{QStringLiteral("load"), QStringLiteral("--rate"),
                                                  QStringLiteral("0"), url}
                                   << QStringLiteral("rate must be a positive number");
        QTest::newRow("absurd rate") << QStringList{QStringLiteral("load"), QStringLiteral("--rate"),
                                                    QStringLiteral("1e12"), url}
                                     << QStringLiteral("above 10,000,000");
        QTest::newRow("zero duration")
            << QStringList{QStringLiteral("load"), QStringLiteral("-d"), QStringLiteral("0s"), url}
            << QStringLiteral("longer than zero");
        QTest::newRow("bad duration")
            << QStringList{QStringLiteral("load"), QStringLiteral("-d"), QStringLiteral("soon"), url}
            << QStringLiteral("expected a duration");
        QTest::newRow("zero requests")
            << QStringList{QStringLiteral("load"), QStringLiteral("-n"), QStringLiteral("0"), url}
            << QStringLiteral("at least 1");
        QTest::newRow("unreachable") << QStringList{QStringLiteral("load"), QStringLiteral("-n"),
                                                    QStringLiteral("5"), url}
                                     << QStringLiteral("connection refused");
        QTest::newRow("no target") << QStringList{QStringLiteral("load")}
                                   << QStringLiteral("give a target URL");
        QTest::newRow("not a url") << QStringList{QStringLiteral("load"), QStringLiteral("ftp://x/")}
                                   << QStringLiteral("not an http");
        QTest::newRow("no such port")
            << QStringList{QStringLiteral("load"), QStringLiteral("-f"), sample("canary"),
                           QStringLiteral("http://shop.example.com:9999/")}
            << QStringLiteral("no Gateway server listens on port 9999");
        QTest::newRow("replay missing file")
            << QStringList{QStringLiteral("replay"), QStringLiteral("/nonexistent.har"),
                           QStringLiteral("--target"), url}
            << QStringLiteral("nonexistent.har");
        QTest::newRow("replay without target")
            << QStringList{QStringLiteral("replay"), QStringLiteral("x")} << QStringLiteral("give -f CONFIG");
        QTest::newRow("replay bad speed")
            << QStringList{QStringLiteral("replay"), QStringLiteral("x"),        QStringLiteral("--speed"),
                           QStringLiteral("0"),      QStringLiteral("--target"), url}
            << QStringLiteral("--speed must be a positive number");
        QTest::newRow("diff without config")
            << QStringList{QStringLiteral("replay"), QStringLiteral("x"), QStringLiteral("--target"), url,
                           QStringLiteral("--diff"), sample("canary")}
            << QStringLiteral("--diff compares with the config given by -f");
    }
    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = sluice(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

    void badProfilePointsAtTheLine() {
        QTemporaryDir dir;
        const QString profile = dir.filePath(QStringLiteral("p.yaml"));
        write(profile, "requests:\n- path: /\n  wieght: 3\n");
        const Run r = sluice({QStringLiteral("load"), QStringLiteral("--profile"), profile, closedUrl()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QByteArray(profile.toUtf8() + ":3:3: error: unknown key `wieght`")),
                 r.err.constData());
    }

    void configErrorsExit1() {
        const Run r =
            sluice({QStringLiteral("load"), QStringLiteral("-f"), sample("broken/missing-subset.yaml"),
                    QStringLiteral("-n"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("IST0101"));
    }

    void loadJsonThroughTheGateway() {
        const Run r =
            sluice({QStringLiteral("load"), QStringLiteral("-f"), sample("canary"), QStringLiteral("-n"),
                    QStringLiteral("600"), QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-o"),
                    QStringLiteral("json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("schema")).toString(), QStringLiteral("sluice.traffic-report/v1"));
        QCOMPARE(j.value(QStringLiteral("totals")).toObject().value(QStringLiteral("requests")).toInt(), 600);
        QCOMPARE(j.value(QStringLiteral("status")).toObject().value(QStringLiteral("200")).toInt(), 600);
        const QJsonArray destinations = j.value(QStringLiteral("destinations")).toArray();
        QCOMPARE(destinations.size(), 2);
        QCOMPARE(destinations[1].toObject().value(QStringLiteral("subset")).toString(),
                 QStringLiteral("stable"));
        QCOMPARE(destinations[1].toObject().value(QStringLiteral("weight")).toDouble(), 90.0);
        QVERIFY(std::abs(destinations[1].toObject().value(QStringLiteral("share")).toDouble() - 90.0) < 5.0);
    }

    void loadWithProfileRateAndCsv() {
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("series.csv"));
        const Run r = sluice({QStringLiteral("load"), QStringLiteral("-f"), sample("bookinfo"),
                              QStringLiteral("--profile"), sample("traffic/bookinfo-profile.yaml"),
                              QStringLiteral("--rate"), QStringLiteral("200"), QStringLiteral("-d"),
                              QStringLiteral("2s"), QStringLiteral("--csv"), csv});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("productpage.default.svc.cluster.local"), r.out.constData());
        QVERIFY(r.err.contains("req/s")); // progress lines (stderr is not a terminal here)
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3); // header + 2 seconds
        QVERIFY(lines[0].startsWith("second,requests,errors"));
        QVERIFY(lines[1].startsWith("0,200,0,") || lines[1].startsWith("0,199,0,") ||
                lines[1].startsWith("0,201,0,"));
    }

    void ctrlCWritesPartialResults() {
        QProcess p;
        p.start(QStringLiteral(SLUICE_CLI),
                {QStringLiteral("load"), QStringLiteral("-f"), sample("canary"), QStringLiteral("-d"),
                 QStringLiteral("60s"), QStringLiteral("-c"), QStringLiteral("2")});
        QVERIFY(p.waitForStarted(10000));
        QTest::qWait(2500);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.contains("interrupted, partial results"), out.constData());
        QVERIFY(out.contains("frontend.canary.svc.cluster.local"));
        QVERIFY(p.readAllStandardError().contains("stopping (interrupted)"));
    }

    void replayWithSkipsAndDiff() {
        QTemporaryDir dir;
        const QString recording = dir.filePath(QStringLiteral("r.jsonl"));
        write(recording, R"({"t_ms": 0, "authority": "shop.example.com", "path": "/"}
{"t_ms": 50, "authority": "shop.example.com", "path": "/a", "headers": {"end-user": "jason"}}
{broken
{"t_ms": 100, "path": "/no-host"}
)");
        const QString other = dir.filePath(QStringLiteral("other.yaml"));
        QFile base(sample("canary/gateway.yaml"));
        QVERIFY(base.open(QIODevice::ReadOnly));
        QByteArray changed = base.readAll();
        changed.replace("weight: 90", "weight: 80").replace("weight: 10", "weight: 20");
        write(other, changed);
        QFile::copy(sample("canary/workloads.yaml"), dir.filePath(QStringLiteral("workloads.yaml")));
        const Run r = sluice({QStringLiteral("replay"), recording, QStringLiteral("-f"), sample("canary"),
                              QStringLiteral("--diff"), dir.path(), QStringLiteral("-o"),
                              QStringLiteral("json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("schema")).toString(), QStringLiteral("sluice.replay/v1"));
        const QJsonObject skipped = j.value(QStringLiteral("skipped")).toObject();
        QCOMPARE(skipped.value(QStringLiteral("unreadable")).toInt(), 1);
        QCOMPARE(skipped.value(QStringLiteral("unsendable")).toInt(), 1);
        const QJsonArray lines = skipped.value(QStringLiteral("lines")).toArray();
        QCOMPARE(lines[0].toObject().value(QStringLiteral("line")).toInt(), 3);
        QCOMPARE(lines[1].toObject().value(QStringLiteral("line")).toInt(), 4);
        const QJsonArray requests = j.value(QStringLiteral("requests")).toArray();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[0].toObject().value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(requests[1].toObject().value(QStringLiteral("due_ms")).toDouble(), 50.0);
        QCOMPARE(requests[1].toObject().value(QStringLiteral("destination")).toString(),
                 QStringLiteral("frontend.canary.svc.cluster.local"));
        const QJsonArray changedRequests =
            j.value(QStringLiteral("diff")).toObject().value(QStringLiteral("changed")).toArray();
        QCOMPARE(changedRequests.size(), 2);
        QVERIFY(changedRequests[0]
                    .toObject()
                    .value(QStringLiteral("after"))
                    .toString()
                    .contains(QStringLiteral("stable 80%")));
        QCOMPARE(j.value(QStringLiteral("report"))
                     .toObject()
                     .value(QStringLiteral("totals"))
                     .toObject()
                     .value(QStringLiteral("requests"))
                     .toInt(),
                 2);
    }
};

QTEST_GUILESS_MAIN(TrafficCliTest)
#include "traffic_cli_test.moc"
