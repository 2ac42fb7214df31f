// SPDX-License-Identifier: Apache-2.0
// Absolute URLs into scheme, authority and path (HAR request.url, absolute-form targets), and
// the base64 bodies HAR and JSONL carry.
#include "model/base64.h"
#include "traffic/http_url.h"

#include <QTest>

using namespace sluice::traffic;
using sluice::model::decodeBase64;
using sluice::model::encodeBase64;

class HttpUrlTest : public QObject {
    Q_OBJECT

private slots:
    void splits_data() {
        QTest::addColumn<QByteArray>("url");
        QTest::addColumn<QByteArray>("scheme");
        QTest::addColumn<QByteArray>("authority");
        QTest::addColumn<QByteArray>("path");
        const auto row = [](const char* url, const char* scheme, const char* authority, const char* path) {
            QTest::newRow(url) << QByteArray(url) << QByteArray(scheme) << QByteArray(authority)
                               << QByteArray(path);
        };
        row("http://h", "http", "h", "/");
        row("https://h:8443/a/b?q=1#frag", "https", "h:8443", "/a/b?q=1");
        row("HTTPS://H/x", "https", "H", "/x");
        row("http://user:pw@h/x", "http", "h", "/x");
        row("http://h?x=1", "http", "h", "/?x=1");
        row("http://h#only", "http", "h", "/");
        row("http://[::1]:8080/v6", "http", "[::1]:8080", "/v6");
        row("data:text/plain,hi", "", "", "");
        row("ws://h/socket", "", "", "");
        row("http:///nohost", "", "", "");
        row("/relative", "", "", "");
        row("", "", "", "");
    }
    void splits() {
        QFETCH(QByteArray, url);
        QFETCH(QByteArray, scheme);
        QFETCH(QByteArray, authority);
        QFETCH(QByteArray, path);
        const auto parts = splitHttpUrl(url.toStdString());
        QCOMPARE(parts.has_value(), !scheme.isEmpty());
        if (parts) {
            QCOMPARE(QByteArray::fromStdString(parts->scheme), scheme);
            QCOMPARE(QByteArray::fromStdString(parts->authority), authority);
            QCOMPARE(QByteArray::fromStdString(parts->path), path);
        }
    }

    void base64_data() {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QByteArray>("decoded");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << QByteArray() << QByteArray() << true;
        QTest::newRow("padded") << QByteArray("aGk=") << QByteArray("hi") << true;
        QTest::newRow("unpadded") << QByteArray("aGk") << QByteArray("hi") << true;
        QTest::newRow("whitespace") << QByteArray("aG\nk=\r\n") << QByteArray("hi") << true;
        QTest::newRow("binary") << QByteArray("AP8Q") << QByteArray("\x00\xff\x10", 3) << true;
        QTest::newRow("url-safe") << QByteArray("-_8") << QByteArray("\xfb\xff") << true;
        QTest::newRow("dangling symbol") << QByteArray("aGkaa") << QByteArray() << false;
        QTest::newRow("bad character") << QByteArray("aG!k") << QByteArray() << false;
        QTest::newRow("data after padding") << QByteArray("aG=k") << QByteArray() << false;
    }
    void base64() {
        QFETCH(QByteArray, encoded);
        QFETCH(QByteArray, decoded);
        QFETCH(bool, valid);
        const auto out = decodeBase64(encoded.toStdString());
        QCOMPARE(out.has_value(), valid);
        if (out)
            QCOMPARE(QByteArray::fromStdString(*out), decoded);
        if (valid)
            QCOMPARE(decodeBase64(encodeBase64(decoded.toStdString())),
                     std::optional<std::string>(decoded.toStdString()));
    }
};

QTEST_GUILESS_MAIN(HttpUrlTest)
#include "http_url_test.moc"
