// SPDX-License-Identifier: Apache-2.0
// `sluice simulate` as users and CI see it: the JSON report, the text report, exit codes.

#include "cli_run.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using sluice_cli_test::Run;
using sluice_cli_test::sluice;
using sluice_cli_test::writeFile;

namespace {

QString sample(const char* name) {
    return QStringLiteral(SLUICE_SOURCE_DIR "/samples/") + QLatin1String(name);
}

} // namespace

class SimulateCliTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(QFile::exists(QStringLiteral(SLUICE_CLI)), SLUICE_CLI); }

    // The command line: bookinfo, ten thousand requests, the shared JSON schema.
    void bookinfoJson() {
        const Run r = sluice({QStringLiteral("simulate"), QStringLiteral("-f"), sample("bookinfo"),
                              QStringLiteral("--requests"), QStringLiteral("10000"), QStringLiteral("-o"),
                              QStringLiteral("json")});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject report = doc.object();
        QCOMPARE(report.value(QStringLiteral("schema")).toString(),
                 QStringLiteral("sluice.traffic-report/v1"));
        QCOMPARE(report.value(QStringLiteral("simulated")).toBool(), true);
        const QJsonObject totals = report.value(QStringLiteral("totals")).toObject();
        QCOMPARE(totals.value(QStringLiteral("requests")).toInteger(), 10000);
        QCOMPARE(totals.value(QStringLiteral("errors")).toInteger(), 0);
        QCOMPARE(totals.value(QStringLiteral("target_rate")).toDouble(), 100.0);
        QVERIFY(std::abs(totals.value(QStringLiteral("rate")).toDouble() - 100.0) < 5.0);
        QCOMPARE(report.value(QStringLiteral("status")).toObject().value(QStringLiteral("200")).toInteger(),
                 10000);
        const QJsonArray destinations = report.value(QStringLiteral("destinations")).toArray();
        QCOMPARE(destinations.size(), 1);
        const QJsonObject productpage = destinations.at(0).toObject();
        QCOMPARE(productpage.value(QStringLiteral("destination")).toString(),
                 QStringLiteral("productpage.default.svc.cluster.local"));
        QCOMPARE(productpage.value(QStringLiteral("requests")).toInteger(), 10000);
        QCOMPARE(productpage.value(QStringLiteral("weight")).toDouble(), 100.0);
        QVERIFY(report.value(QStringLiteral("latency_ms")).toObject().contains(QStringLiteral("p99")));
    }

    // The text report says plainly that the figures are simulated, and what was sent.
    void canaryText() {
        const Run r = sluice({QStringLiteral("simulate"), QStringLiteral("-f"), sample("canary"),
                              QStringLiteral("--duration"), QStringLiteral("5s"), QStringLiteral("--rate"),
                              QStringLiteral("1000"), QStringLiteral("--seed"), QStringLiteral("3"),
                              QStringLiteral("--arrivals"), QStringLiteral("constant")});
        QCOMPARE(r.exitCode, 0);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY2(text.startsWith(QStringLiteral("Traffic report: SIMULATED (computed by sluice simulate; no "
                                                "request was sent)\n  simulated: no network time, ")),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("5000 in 5.00 s, 1000.00 req/s")));
        QVERIFY(text.contains(QStringLiteral("GET http://shop.example.com/ (100%)")));
        QVERIFY(text.contains(QStringLiteral("stable")));
        QVERIFY(text.contains(QStringLiteral("90 %")));
        // Same seed, same output.
        const Run again = sluice(
            {QStringLiteral("simulate"), QStringLiteral("-f"), sample("canary"), QStringLiteral("--duration"),
             QStringLiteral("5s"), QStringLiteral("--rate"), QStringLiteral("1000"), QStringLiteral("--seed"),
             QStringLiteral("3"), QStringLiteral("--arrivals"), QStringLiteral("constant")});
        QCOMPARE(again.out, r.out);
    }

    // --help names what the simulation leaves out.
    void helpListsTheApproximations() {
        const Run r = sluice({QStringLiteral("simulate"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("What the figures leave out"), r.out.constData());
        QVERIFY(r.out.contains("  - no network time: connecting, TLS, sending and relaying take none"));
        QVERIFY(r.out.contains("  - HTTP/2 upstreams are HTTP/1.1 connections"));
    }

    void replayFile() {
        QTemporaryDir dir;
        const QString log = writeFile(
            dir, QStringLiteral("traffic.jsonl"),
            "{\"t_ms\":0,\"method\":\"GET\",\"authority\":\"shop.example.com\",\"path\":\"/\"}\n"
            "{\"t_ms\":500,\"method\":\"GET\",\"authority\":\"shop.example.com\",\"path\":\"/a\"}\n"
            "this line is not JSON\n"
            "{\"t_ms\":1000,\"method\":\"GET\",\"authority\":\"nowhere.example.com\",\"path\":\"/\"}\n");
        const Run r = sluice({QStringLiteral("simulate"), QStringLiteral("-f"), sample("canary"),
                              QStringLiteral("--replay"), log, QStringLiteral("-o"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        const QJsonObject totals = report.value(QStringLiteral("totals")).toObject();
        QCOMPARE(totals.value(QStringLiteral("requests")).toInteger(), 3);
        QCOMPARE(totals.value(QStringLiteral("duration_s")).toDouble(), 1.0);
        QVERIFY(totals.value(QStringLiteral("target_rate")).isNull());
        QCOMPARE(report.value(QStringLiteral("status")).toObject().value(QStringLiteral("404")).toInteger(),
                 1);
        // The skipped line is reported with its number.
        QVERIFY2(r.err.contains("traffic.jsonl:3:"), r.err.constData());
    }

    // --profile: the bookinfo profile's templates are sent, listed with their shares.
    void bookinfoProfile() {
        const Run r = sluice({QStringLiteral("simulate"), QStringLiteral("-f"), sample("bookinfo"),
                              QStringLiteral("--profile"), sample("traffic/bookinfo-profile.yaml"),
                              QStringLiteral("-n"), QStringLiteral("2000")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("  Sent      productpage (anonymous) (60%)\n"), r.out.constData());
        QVERIFY(r.out.contains("            login (5%)\n"));
        QVERIFY(r.out.contains("productpage.default.svc.cluster.local"));
    }

    // A profile with a typo is refused with its line and column, as `sluice load` does.
    void badProfile() {
        QTemporaryDir dir;
        const QString profile =
            writeFile(dir, QStringLiteral("p.yaml"), "requests:\n- path: /\n  wieght: 3\n");
        const Run r = sluice({QStringLiteral("simulate"), QStringLiteral("-f"), sample("bookinfo"),
                              QStringLiteral("--profile"), profile});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QByteArray(profile.toUtf8() + ":3:3: error: unknown key `wieght`")),
                 r.err.constData());
    }

    void badUsage_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString bookinfo = sample("bookinfo");
        const QString f = QStringLiteral("-f");
        QTest::newRow("rate 0") << QStringList{f, bookinfo, QStringLiteral("--rate"), QStringLiteral("0")}
                                << 2 << QStringLiteral("--rate");
        QTest::newRow("negative rate")
            << QStringList{f, bookinfo, QStringLiteral("--rate=-10")} << 2 << QStringLiteral("--rate");
        QTest::newRow("absurd rate") << QStringList{f, bookinfo, QStringLiteral("--rate"),
                                                    QStringLiteral("1e12")}
                                     << 2 << QStringLiteral("beyond");
        QTest::newRow("no requests") << QStringList{f, bookinfo, QStringLiteral("--requests"),
                                                    QStringLiteral("0")}
                                     << 2 << QStringLiteral("--requests");
        QTest::newRow("zero duration")
            << QStringList{f, bookinfo, QStringLiteral("--duration"), QStringLiteral("0s")} << 2
            << QStringLiteral("--duration");
        QTest::newRow("bad duration")
            << QStringList{f, bookinfo, QStringLiteral("--duration"), QStringLiteral("ten")} << 2
            << QStringLiteral("--duration");
        QTest::newRow("requests and duration") << QStringList{f,
                                                              bookinfo,
                                                              QStringLiteral("-n"),
                                                              QStringLiteral("5"),
                                                              QStringLiteral("-d"),
                                                              QStringLiteral("5s")}
                                               << 2 << QStringLiteral("excludes");
        QTest::newRow("missing replay") << QStringList{f, bookinfo, QStringLiteral("--replay"),
                                                       QStringLiteral("/nonexistent/traffic.har")}
                                        << 2 << QStringLiteral("/nonexistent/traffic.har");
        QTest::newRow("missing config") << QStringList{f, QStringLiteral("/nonexistent/config.yaml")} << 2
                                        << QStringLiteral("could not be read");
        QTest::newRow("config with errors")
            << QStringList{f, QStringLiteral(SLUICE_SOURCE_DIR "/samples/broken/typo-field.yaml")} << 1
            << QStringLiteral("has errors");
        QTest::newRow("no config") << QStringList{QStringLiteral("--requests"), QStringLiteral("5")} << 2
                                   << QStringLiteral("--config");
    }
    void badUsage() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run r = sluice(QStringList{QStringLiteral("simulate")} + args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(SimulateCliTest)
#include "simulate_cli_test.moc"
