// SPDX-License-Identifier: Apache-2.0
// The JSON access log through the live proxy: one valid JSON object per request with Istio's keys,
// whatever the client put in its headers.

#include "proxy/access_log.h"
#include "served_config.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using sluice::test::curl;
using sluice::test::Served;

class AccessLogJsonTest : public QObject {
    Q_OBJECT

private slots:
    void hostileHeadersStayValidJson() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("access.json"));
        QByteArray text;
        {
            proxy::AccessLog log;
            QCOMPARE(log.open(path.toStdString(), proxy::AccessLogFormat::Json), std::string());
            proxy::ServeOptions options;
            options.accessLog = &log;
            Served s = Served::sample("bookinfo", options);
            QVERIFY2(s.error.empty(), s.error.c_str());
            // Quotes, backslashes, a JSON-looking fragment, non-ASCII text and an obs-text byte that
            // is no UTF-8, sent as raw bytes.
            QTcpSocket socket;
            socket.connectToHost(QStringLiteral("127.0.0.1"), s.port(80));
            QVERIFY(socket.waitForConnected(5000));
            socket.write("GET /productpage?x=%22 HTTP/1.1\r\nHost: bookinfo.example.com\r\n"
                         "User-Agent: evil\" \\\"},{\"x\":1 \xc3\xa9t\xc3\xa9 \xff end\r\n"
                         "X-Forwarded-For: 10.0.0.1, \"<script>\"\r\nConnection: close\r\n\r\n");
            QByteArray answer;
            while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
                answer += socket.readAll();
            QVERIFY2(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer.constData());
            curl({QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-H"),
                  QStringLiteral("Host: bookinfo.example.com"),
                  QStringLiteral("http://127.0.0.1:%1/nowhere").arg(s.port(80))});
            QFile file(path);
            QTRY_VERIFY_WITH_TIMEOUT(
                (file.open(QIODevice::ReadOnly), text = file.readAll(), file.close(), text.count('\n') >= 2),
                5000);
        }
        const QList<QByteArray> lines = text.split('\n');
        QJsonParseError error{};
        const QJsonObject first = QJsonDocument::fromJson(lines[0], &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, lines[0].constData());
        // Istio's default JSON keys, all of them, and nothing else.
        QCOMPARE(first.keys().size(), 24);
        QCOMPARE(first.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
        QCOMPARE(first.value(QStringLiteral("path")).toString(), QStringLiteral("/productpage?x=%22"));
        QCOMPARE(first.value(QStringLiteral("response_code")).toInt(), 200);
        QCOMPARE(first.value(QStringLiteral("response_flags")).toString(), QStringLiteral("-"));
        QCOMPARE(first.value(QStringLiteral("response_code_details")).toString(),
                 QStringLiteral("via_upstream"));
        QCOMPARE(first.value(QStringLiteral("upstream_cluster")).toString(),
                 QStringLiteral("outbound|9080||productpage.default.svc.cluster.local"));
        QVERIFY(
            first.value(QStringLiteral("upstream_host")).toString().startsWith(QStringLiteral("127.0.0.1:")));
        QCOMPARE(first.value(QStringLiteral("authority")).toString(), QStringLiteral("bookinfo.example.com"));
        QCOMPARE(first.value(QStringLiteral("x_forwarded_for")).toString(),
                 QStringLiteral("10.0.0.1, \"<script>\""));
        // Valid UTF-8 passes through; the lone 0xff byte becomes U+FFFD.
        QCOMPARE(first.value(QStringLiteral("user_agent")).toString(),
                 QStringLiteral("evil\" \\\"},{\"x\":1 ") + QString::fromUtf8("\xc3\xa9t\xc3\xa9 ") +
                     QChar(0xFFFD) + QStringLiteral(" end"));
        QVERIFY(first.value(QStringLiteral("requested_server_name")).isNull());
        QVERIFY(first.value(QStringLiteral("duration")).isDouble());
        QVERIFY(first.value(QStringLiteral("upstream_service_time")).isString());

        const QJsonObject second = QJsonDocument::fromJson(lines[1], &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, lines[1].constData());
        QCOMPARE(second.value(QStringLiteral("response_code")).toInt(), 404);
        QCOMPARE(second.value(QStringLiteral("response_flags")).toString(), QStringLiteral("NR"));
        QCOMPARE(second.value(QStringLiteral("response_code_details")).toString(),
                 QStringLiteral("route_not_found"));
        QVERIFY(second.value(QStringLiteral("upstream_host")).isNull());
        QVERIFY(second.value(QStringLiteral("upstream_cluster")).isNull());
    }
};

QTEST_GUILESS_MAIN(AccessLogJsonTest)
#include "access_log_json_test.moc"
