// SPDX-License-Identifier: Apache-2.0
#include "routing/request_url.h"

#include <QTest>

using sluice::routing::parseRequestUrl;

class RequestUrlTest : public QObject {
    Q_OBJECT

private slots:
    void parses_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("https");
        QTest::addColumn<QString>("authority");
        QTest::addColumn<int>("port"); // 0: none
        QTest::addColumn<QString>("target");
        QTest::newRow("plain") << "http://bookinfo.example.com/productpage" << false << "bookinfo.example.com" << 0
                               << "/productpage";
        QTest::newRow("https with port and query") << "https://shop.test:8443/cart?id=7" << true << "shop.test:8443"
                                                   << 8443 << "/cart?id=7";
        QTest::newRow("no scheme, no path") << "reviews" << false << "reviews" << 0 << "/";
        QTest::newRow("query without path") << "http://a.test?x=1" << false << "a.test" << 0 << "/?x=1";
        QTest::newRow("fragment dropped") << "http://a.test/p#frag" << false << "a.test" << 0 << "/p";
        QTest::newRow("IPv6 with port") << "http://[::1]:8080/x" << false << "[::1]:8080" << 8080 << "/x";
        QTest::newRow("IPv6 without port") << "http://[::1]/x" << false << "[::1]" << 0 << "/x";
    }
    void parses() {
        QFETCH(QString, url);
        QFETCH(bool, https);
        QFETCH(QString, authority);
        QFETCH(int, port);
        QFETCH(QString, target);
        std::string error;
        const auto parsed = parseRequestUrl(url.toStdString(), error);
        QVERIFY2(parsed, error.c_str());
        QCOMPARE(parsed->https, https);
        QCOMPARE(QString::fromStdString(parsed->authority), authority);
        QCOMPARE(static_cast<int>(parsed->port.value_or(0)), port);
        QCOMPARE(QString::fromStdString(parsed->target), target);
    }

    void rejects_data() {
        QTest::addColumn<QString>("url");
        QTest::newRow("other scheme") << "ftp://a.test/";
        QTest::newRow("no host") << "http:///path";
        QTest::newRow("port not a number") << "http://a.test:80x/";
        QTest::newRow("port too large") << "http://a.test:70000/";
        QTest::newRow("port zero") << "http://a.test:0/";
    }
    void rejects() {
        QFETCH(QString, url);
        std::string error;
        QVERIFY(!parseRequestUrl(url.toStdString(), error));
        QVERIFY(!error.empty());
    }
};

QTEST_GUILESS_MAIN(RequestUrlTest)
#include "request_url_test.moc"
