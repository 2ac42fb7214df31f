// SPDX-License-Identifier: Apache-2.0
#include "proxy/access_log.h"

#include <QJsonDocument>
#include <QJsonObject>
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

/// GET /productpage answered 200 by 127.0.0.1:40000 at a fixed time, as both formats see it.
RequestRecord servedProductpage() {
    RequestRecord r = record("GET", "/productpage", 200);
    r.start = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764142208123));
    r.bytesSent = 322;
    r.durationMillis = 4;
    r.upstreamMillis = 3;
    r.userAgent = "curl/7.88.1";
    r.requestId = "rid";
    r.authority = "bookinfo.example.com";
    r.upstreamHost = "127.0.0.1:40000";
    return r;
}

} // namespace

class AccessLogTest : public QObject {
    Q_OBJECT

private slots:
    // Envoy's default format, field for field, with "-" for what is absent.
    void formatsEnvoysDefaultLine() {
        RequestRecord r = servedProductpage();
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

    // Istio's JSON keys (sorted, as Envoy prints them), numbers as numbers, null for the absent.
    void formatsIstiosJson() {
        RequestRecord r = servedProductpage();
        r.upstreamCluster = "outbound|9080||productpage.default.svc.cluster.local";
        r.responseCodeDetails = "via_upstream";
        r.downstreamRemoteAddress = "127.0.0.1:51000";
        std::string line;
        sluice::proxy::formatEnvoyJson(r, line);
        QCOMPARE(
            QString::fromStdString(line),
            QStringLiteral(
                "{\"authority\":\"bookinfo.example.com\",\"bytes_received\":0,\"bytes_sent\":322,"
                "\"connection_termination_details\":null,\"downstream_local_address\":null,"
                "\"downstream_remote_address\":\"127.0.0.1:51000\",\"duration\":4,\"method\":\"GET\","
                "\"path\":\"/productpage\",\"protocol\":\"HTTP/1.1\",\"request_id\":\"rid\","
                "\"requested_server_name\":null,\"response_code\":200,"
                "\"response_code_details\":\"via_upstream\",\"response_flags\":\"-\",\"route_name\":null,"
                "\"start_time\":\"2025-11-26T07:30:08.123Z\","
                "\"upstream_cluster\":\"outbound|9080||productpage.default.svc.cluster.local\","
                "\"upstream_host\":\"127.0.0.1:40000\",\"upstream_local_address\":null,"
                "\"upstream_service_time\":\"3\",\"upstream_transport_failure_reason\":null,"
                "\"user_agent\":\"curl/7.88.1\",\"x_forwarded_for\":null}\n"));
    }

    // Whatever bytes a client sends, the line is valid JSON and reads back as the text sent
    // (control characters escaped; bytes that are not UTF-8 replaced by U+FFFD).
    void hostileValuesStayValidJson_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("quotes") << QByteArray("a\"b\\c") << QStringLiteral("a\"b\\c");
        QTest::newRow("break out") << QByteArray("\"},\"response_code\":1,{\"")
                                   << QStringLiteral("\"},\"response_code\":1,{\"");
        QTest::newRow("controls") << QByteArray("a\nb\rc\td\x01\x1f\x7f", 10)
                                  << QStringLiteral("a\nb\rc\td") + QChar(1) + QChar(0x1f) + QChar(0x7f);
        QTest::newRow("nul") << QByteArray("a\0b", 3) << QStringLiteral("a") + QChar(0) + QStringLiteral("b");
        QTest::newRow("utf-8") << QByteArray("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")
                               << QString::fromUtf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
        QTest::newRow("lone byte") << QByteArray("a\xff"
                                                 "b")
                                   << QStringLiteral("a") + QChar(0xFFFD) + QStringLiteral("b");
        QTest::newRow("overlong") << QByteArray("\xc0\x80") << QString(2, QChar(0xFFFD));
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QString(3, QChar(0xFFFD));
        QTest::newRow("truncated") << QByteArray("x\xe2\x82")
                                   << QStringLiteral("x") + QString(2, QChar(0xFFFD));
        QTest::newRow("beyond U+10FFFF") << QByteArray("\xf5\x80\x80\x80") << QString(4, QChar(0xFFFD));
    }
    void hostileValuesStayValidJson() {
        QFETCH(QByteArray, value);
        QFETCH(QString, expected);
        RequestRecord r = record("GET", "/", 200);
        r.userAgent = value.toStdString();
        r.forwardedFor = value.toStdString();
        std::string line;
        sluice::proxy::formatEnvoyJson(r, line);
        QVERIFY(line.back() == '\n');
        QCOMPARE(std::count(line.begin(), line.end(), '\n'), std::ptrdiff_t(1)); // one record, one line
        QJsonParseError error{};
        const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(line), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.c_str());
        QCOMPARE(o.value(QStringLiteral("user_agent")).toString(), expected);
        QCOMPARE(o.value(QStringLiteral("x_forwarded_for")).toString(), expected);
        QCOMPARE(o.value(QStringLiteral("response_code")).toInt(), 200);
    }
};

QTEST_GUILESS_MAIN(AccessLogTest)
#include "access_log_test.moc"
