// SPDX-License-Identifier: Apache-2.0
// The samples served end to end: the proxy in front of its simulated replicas, curl as the client.

#include "port_offset.h"
#include "raw_http_connection.h"
#include "served_config.h"

#include <map>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using sluice::test::Served;

using sluice::test::curl;

class ServeSamplesTest : public QObject {
    Q_OBJECT

    /// Copies samples/bookinfo into `dir` and runs `sluice serve` on it with `workers` and port
    /// offset `offset`, until its banner (read into `out`) says it serves.
    static void serveBookinfoCopy(QTemporaryDir& dir, QProcess& serve, int offset, int workers,
                                  QByteArray& out) {
        QVERIFY(dir.isValid());
        for (const QFileInfo& f :
             QDir(QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")).entryInfoList(QDir::Files))
            QVERIFY(QFile::copy(f.absoluteFilePath(), dir.filePath(f.fileName())));
        serve.start(QStringLiteral(SLUICE_CLI),
                    {QStringLiteral("serve"), QStringLiteral("--workers"), QString::number(workers),
                     QStringLiteral("--port-offset"), QString::number(offset), dir.path()});
        QVERIFY(serve.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput()).contains("Ctrl+C stops") ||
                                     serve.state() != QProcess::Running,
                                 20000);
        QVERIFY2(serve.state() == QProcess::Running, serve.readAllStandardError().constData());
    }

private slots:
    void bookinfoProductpageIsServedByItsWorkload() {
        Served s = Served::sample("bookinfo");
        QVERIFY2(s.error.empty(), s.error.c_str());
        const QString url = QStringLiteral("http://127.0.0.1:%1/productpage").arg(s.port(80));
        const QByteArray got = curl(
            {QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: bookinfo.example.com"), url});
        QVERIFY2(got.startsWith("HTTP/1.1 200 OK\r\n"), got.constData());
        QVERIFY(got.contains("\r\nx-sluice-workload: productpage-v1-1\r\n"));
        QVERIFY(got.contains("\"path\":\"/productpage\""));
        const QByteArray missing = curl({QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                         QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                                         QStringLiteral("-H"), QStringLiteral("Host: bookinfo.example.com"),
                                         QStringLiteral("http://127.0.0.1:%1/nothing").arg(s.port(80))});
        QCOMPARE(missing, QByteArray("404"));
    }

    // The 90/10 split of samples/canary holds over real requests, and the stable subset's three
    // replicas share their 90 % (round robin per worker).
    void canarySplitsTrafficByWeight() {
        Served s = Served::sample("canary");
        QVERIFY2(s.error.empty(), s.error.c_str());
        QStringList args{QStringLiteral("-w"), QStringLiteral("%header{x-sluice-workload}\\n"),
                         QStringLiteral("-H"), QStringLiteral("Host: shop.example.com")};
        const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(s.port(80));
        for (int i = 0; i < 400; ++i) // -o applies to one URL: one per URL keeps the bodies out
            args << QStringLiteral("-o") << QStringLiteral("/dev/null") << url;
        const QByteArray out = curl(args);
        std::map<QByteArray, int> by;
        for (const QByteArray& line : out.split('\n'))
            if (!line.isEmpty())
                ++by[line];
        int v1 = 0, v2 = 0;
        for (const auto& [workload, n] : by)
            (workload.startsWith("frontend-v1-") ? v1 : v2) += n;
        QCOMPARE(v1 + v2, 400);
        QVERIFY2(v2 >= 20 && v2 <= 60, qPrintable(QStringLiteral("v2 got %1 of 400").arg(v2))); // 10 % ± 5 %
        QCOMPARE(by.size(), std::size_t(4)); // frontend-v1-1..3 and frontend-v2-1 all answered
    }

    // `sluice serve` itself: starts, answers, and on SIGTERM drains and exits 0.
    void serveCommandStopsCleanly() {
        QProcess serve;
        const QString offset = QString::number(sluice::test::freePortOffset());
        serve.start(QStringLiteral(SLUICE_CLI), {QStringLiteral("serve"), QStringLiteral("--workers"),
                                                 QStringLiteral("1"), QStringLiteral("--port-offset"), offset,
                                                 QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QVERIFY(serve.waitForStarted());
        QByteArray banner;
        QTRY_VERIFY_WITH_TIMEOUT((banner += serve.readAllStandardOutput()).contains("Ctrl+C stops") ||
                                     serve.state() != QProcess::Running,
                                 20000);
        QCOMPARE(serve.state(), QProcess::Running);
        const QByteArray got =
            curl({QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: bookinfo.example.com"),
                  QStringLiteral("http://127.0.0.1:%1/productpage").arg(offset.toInt() + 80)});
        QVERIFY2(got.startsWith("HTTP/1.1 200"), got.constData());
        serve.terminate(); // SIGTERM
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
    }

    // --admin and --access-log-format json as a user runs them: the admin endpoint answers while the
    // proxy serves, metrics count the request, the log line on stdout is JSON.
    void serveWithAdminEndpointAndJsonLog() {
        QProcess serve;
        const QString offset = QString::number(sluice::test::freePortOffset());
        serve.start(QStringLiteral(SLUICE_CLI),
                    {QStringLiteral("serve"), QStringLiteral("--workers"), QStringLiteral("1"),
                     QStringLiteral("--port-offset"), offset, QStringLiteral("--admin"),
                     QStringLiteral("127.0.0.1:0"), QStringLiteral("--access-log"), QStringLiteral("-"),
                     QStringLiteral("--access-log-format"), QStringLiteral("json"),
                     QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QVERIFY(serve.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput()).contains("Ctrl+C stops") ||
                                     serve.state() != QProcess::Running,
                                 20000);
        const auto admin =
            QRegularExpression(QStringLiteral("admin: http://127\\.0\\.0\\.1:(\\d+)/stats/prometheus"))
                .match(QString::fromUtf8(out));
        QVERIFY2(admin.hasMatch(), QByteArray(out + serve.readAllStandardError()).constData());
        const QString base = QStringLiteral("http://127.0.0.1:") + admin.captured(1);
        QCOMPARE(curl({base + QStringLiteral("/ready")}), QByteArray("LIVE\n"));
        curl({QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-H"),
              QStringLiteral("Host: bookinfo.example.com"),
              QStringLiteral("http://127.0.0.1:%1/productpage").arg(offset.toInt() + 80)});
        QTRY_VERIFY_WITH_TIMEOUT(curl({base + QStringLiteral("/stats/prometheus")})
                                     .contains("destination_workload=\"productpage-v1\""),
                                 5000);
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitCode(), 0);
        out += serve.readAllStandardOutput();
        const QByteArray line = out.mid(out.indexOf("{\"authority\""));
        const QJsonObject record = QJsonDocument::fromJson(line.left(line.indexOf('\n'))).object();
        QCOMPARE(record.value(QStringLiteral("path")).toString(), QStringLiteral("/productpage"));
        QCOMPARE(record.value(QStringLiteral("response_code")).toInt(), 200);
    }

    // Files change while serving: a valid change is served from the next request, a broken one is
    // refused with its diagnostics and the previous config keeps serving.
    void serveReloadsOnChange() {
        QTemporaryDir dir;
        QProcess serve;
        const int offset = sluice::test::freePortOffset();
        QByteArray out, err;
        serveBookinfoCopy(dir, serve, offset, 1, out);
        if (QTest::currentTestFailed())
            return;
        const QString url = QStringLiteral("http://127.0.0.1:%1/productpage").arg(offset + 80);
        const QStringList statusOf{QStringLiteral("-o"),
                                   QStringLiteral("/dev/null"),
                                   QStringLiteral("-w"),
                                   QStringLiteral("%{http_code}"),
                                   QStringLiteral("-H"),
                                   QStringLiteral("Host: bookinfo.example.com"),
                                   url};
        QCOMPARE(curl(statusOf), QByteArray("200"));

        // The rule for /productpage now matches /storefront only.
        const QString vs = dir.filePath(QStringLiteral("virtualservice.yaml"));
        QFile file(vs);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray yaml = file.readAll();
        file.close();
        QVERIFY(yaml.contains("/productpage"));
        yaml.replace("/productpage", "/storefront");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(yaml);
        file.close();
        QTRY_COMPARE_WITH_TIMEOUT(curl(statusOf), QByteArray("404"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput()).contains("reloaded"), 5000);

        // A broken file is refused; the previous config (404 for /productpage) keeps serving.
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: [broken\n");
        file.close();
        QTRY_VERIFY_WITH_TIMEOUT(
            (err += serve.readAllStandardError()).contains("still serving the previous config"), 10000);
        QCOMPARE(curl(statusOf), QByteArray("404"));
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitCode(), 0);
    }

    // A reload that moves the Gateway server to another port listens on the new one and closes the
    // old one: the same request is answered on the new port, refused on the old.
    void serveFollowsGatewayPortChanges() {
        QTemporaryDir dir;
        QProcess serve;
        const int offset = sluice::test::freePortOffset();
        QByteArray out;
        serveBookinfoCopy(dir, serve, offset, 2, out);
        if (QTest::currentTestFailed())
            return;
        const auto statusOn = [](int port) {
            return curl({QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                         QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                         QStringLiteral("Host: bookinfo.example.com"),
                         QStringLiteral("http://127.0.0.1:%1/productpage").arg(port)})
                .left(3); // "000" and curl's complaint when nothing listens
        };
        QCOMPARE(statusOn(offset + 80), QByteArray("200"));
        QCOMPARE(statusOn(offset + 81), QByteArray("000")); // nothing listens there yet
        // A keep-alive connection on port 80, idle across the reload.
        sluice::test::RawHttpConnection kept(offset + 80);
        QVERIFY(kept.connected());
        const std::string request = "GET /productpage HTTP/1.1\r\nHost: bookinfo.example.com\r\n\r\n";
        const std::string first = kept.exchange(request);
        QVERIFY2(first.starts_with("HTTP/1.1 200"), first.c_str());
        QVERIFY(first.find("connection: close") == std::string::npos);

        const QString gw = dir.filePath(QStringLiteral("gateway.yaml"));
        QFile file(gw);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray yaml = file.readAll();
        file.close();
        QVERIFY(yaml.contains("number: 80"));
        yaml.replace("number: 80", "number: 81");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(yaml);
        file.close();
        QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput()).contains("new Gateway port 81"),
                                 10000);
        QVERIFY(out.contains("Gateway port 80 is gone"));
        // Idle on a retired port, it is closed (a request in flight would finish first, its answer
        // saying "connection: close").
        QVERIFY(kept.closedByPeer());
        QCOMPARE(statusOn(offset + 81), QByteArray("200"));
        QCOMPARE(statusOn(offset + 80), QByteArray("000"));

        // And back: port 80 is bound again (on every worker).
        yaml.replace("number: 81", "number: 80");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(yaml);
        file.close();
        QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput()).contains("new Gateway port 80"),
                                 10000);
        for (int i = 0; i < 8; ++i) // new connections land on either worker's socket
            QCOMPARE(statusOn(offset + 80), QByteArray("200"));
        QCOMPARE(statusOn(offset + 81), QByteArray("000"));
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitCode(), 0);
    }

    // --access-log writes Envoy's default line for every request, local replies included.
    void serveWritesAnEnvoyAccessLog() {
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("access.log"));
        QProcess serve;
        const int offset = sluice::test::freePortOffset();
        serve.start(QStringLiteral(SLUICE_CLI),
                    {QStringLiteral("serve"), QStringLiteral("--workers"), QStringLiteral("1"),
                     QStringLiteral("--port-offset"), QString::number(offset), QStringLiteral("--access-log"),
                     log, QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QVERIFY(serve.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput()).contains("Ctrl+C stops") ||
                                     serve.state() != QProcess::Running,
                                 20000);
        for (const char* path : {"/productpage?u=1", "/nowhere"})
            curl({QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-H"),
                  QStringLiteral("Host: bookinfo.example.com"), QStringLiteral("-H"),
                  QStringLiteral("x-request-id: rid-1"),
                  QStringLiteral("http://127.0.0.1:%1%2").arg(offset + 80).arg(QLatin1String(path))});
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        QFile file(log);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        const QList<QByteArray> lines = text.split('\n');
        QVERIFY2(lines.size() >= 3, text.constData());
        // Envoy's default line; a plain string, as moc does not read raw string literals.
        const QRegularExpression line(
            QStringLiteral("^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] \"GET "
                           "/productpage\\?u=1 HTTP/1\\.1\" 200 - 0 "
                           "\\d+ \\d+ \\d+ \"-\" \"curl/[^\"]+\" \"rid-1\" \"bookinfo\\.example\\.com\" "
                           "\"127\\.0\\.0\\.1:\\d+\"$"));
        QVERIFY2(line.match(QString::fromUtf8(lines[0])).hasMatch(), lines[0].constData());
        QVERIFY2(lines[1].contains("\"GET /nowhere HTTP/1.1\" 404 NR 0 0 ") && lines[1].endsWith("\"-\""),
                 lines[1].constData());
    }

    void serveRefusesAConfigWithErrors() {
        QProcess serve;
        serve.start(QStringLiteral(SLUICE_CLI),
                    {QStringLiteral("serve"),
                     QStringLiteral(SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml")});
        QVERIFY(serve.waitForFinished(20000));
        QCOMPARE(serve.exitCode(), 1);
        QVERIFY(serve.readAllStandardError().contains("the config has errors"));
    }
};

QTEST_GUILESS_MAIN(ServeSamplesTest)
#include "serve_samples_test.moc"
