// SPDX-License-Identifier: Apache-2.0
#include "proxy/access_log.h"

#include <QTest>

using sluice::proxy::RequestRecord;

namespace {

RequestRecord record(std::string method, std::string path, int status) {
    RequestRecord r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.status = status;
    return r;
}

} // namespace

class AccessLogTest : public QObject {
    Q_OBJECT

private slots:
    // Envoy's default format, field for field, with "-" for what is absent.
    void formatsEnvoysDefaultLine() {
        RequestRecord r = record("GET", "/productpage", 200);
        r.start = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764142208123));
        r.bytesSent = 322;
        r.durationMillis = 4;
        r.upstreamMillis = 3;
        r.userAgent = "curl/7.88.1";
        r.requestId = "rid";
        r.authority = "bookinfo.example.com";
        r.upstreamHost = "127.0.0.1:40000";
        std::string line;
        sluice::proxy::formatEnvoyLine(r, line);
        QCOMPARE(
            QString::fromStdString(line),
            QStringLiteral("[2025-11-26T07:30:08.123Z] \"GET /productpage HTTP/1.1\" 200 - 0 322 4 3 \"-\" "
                           "\"curl/7.88.1\" \"rid\" \"bookinfo.example.com\" \"127.0.0.1:40000\"\n"));
        RequestRecord local = record("GET", "/nowhere/at/all", 404);
        local.flags = std::string("NR");
        line.clear();
        sluice::proxy::formatEnvoyLine(local, line);
        QVERIFY(line.find("\" 404 NR 0 0 0 - \"-\" \"-\" \"-\" \"-\" \"-\"\n") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(AccessLogTest)
#include "access_log_test.moc"
