// SPDX-License-Identifier: Apache-2.0
#include "routing/host_name.h"

#include <QTest>

using namespace sluice::routing;

class HostNameTest : public QObject {
    Q_OBJECT

private slots:
    void matchAndSubset_data() {
        QTest::addColumn<std::string>("a");
        QTest::addColumn<std::string>("b");
        QTest::addColumn<bool>("match");
        QTest::addColumn<bool>("aSubsetOfB");
        QTest::newRow("equal names") << std::string("a.example.com") << std::string("a.example.com") << true
                                     << true;
        QTest::newRow("different names")
            << std::string("a.example.com") << std::string("b.example.com") << false << false;
        QTest::newRow("star covers all") << std::string("a.example.com") << std::string("*") << true << true;
        QTest::newRow("star is not under a name")
            << std::string("*") << std::string("a.example.com") << true << false;
        QTest::newRow("wildcard covers one level")
            << std::string("a.example.com") << std::string("*.example.com") << true << true;
        QTest::newRow("wildcard covers any depth")
            << std::string("a.b.example.com") << std::string("*.example.com") << true << true;
        QTest::newRow("wildcard does not cover the apex")
            << std::string("example.com") << std::string("*.example.com") << false << false;
        QTest::newRow("narrower wildcard under wider")
            << std::string("*.b.example.com") << std::string("*.example.com") << true << true;
        QTest::newRow("wider wildcard over narrower")
            << std::string("*.example.com") << std::string("*.b.example.com") << true << false;
        QTest::newRow("suffix must be a label boundary")
            << std::string("badexample.com") << std::string("*.example.com") << false << false;
        QTest::newRow("unrelated wildcards")
            << std::string("*.a.com") << std::string("*.b.com") << false << false;
    }
    void matchAndSubset() {
        QFETCH(std::string, a);
        QFETCH(std::string, b);
        QFETCH(bool, match);
        QFETCH(bool, aSubsetOfB);
        QCOMPARE(hostsMatch(a, b), match);
        QCOMPARE(hostsMatch(b, a), match);
        QCOMPARE(hostSubsetOf(a, b), aSubsetOfB);
    }

    void intersection_data() {
        QTest::addColumn<std::vector<std::string>>("server");
        QTest::addColumn<std::vector<std::string>>("virtualService");
        QTest::addColumn<std::vector<std::string>>("expected");
        using V = std::vector<std::string>;
        QTest::newRow("star VirtualService narrows to the server host")
            << V{"foo.bar"} << V{"*"} << V{"foo.bar"};
        QTest::newRow("wildcard VirtualService on two server hosts")
            << V{"a.example.com", "b.example.com"} << V{"*.example.com"}
            << V{"a.example.com", "b.example.com"};
        QTest::newRow("specific VirtualService under a wildcard server")
            << V{"*.example.com"} << V{"api.example.com", "other.org"} << V{"api.example.com"};
        QTest::newRow("star on both sides") << V{"*"} << V{"*"} << V{"*"};
        QTest::newRow("no overlap") << V{"a.example.com"} << V{"b.example.com"} << V{};
        QTest::newRow("duplicates collapse")
            << V{"*", "a.example.com"} << V{"a.example.com"} << V{"a.example.com"};
    }
    void intersection() {
        QFETCH(std::vector<std::string>, server);
        QFETCH(std::vector<std::string>, virtualService);
        QFETCH(std::vector<std::string>, expected);
        QCOMPARE(hostIntersection(server, virtualService), expected);
    }

    void stripPort_data() {
        QTest::addColumn<std::string>("authority");
        QTest::addColumn<std::string>("host");
        QTest::newRow("no port") << std::string("a.example.com") << std::string("a.example.com");
        QTest::newRow("numeric port") << std::string("a.example.com:31380") << std::string("a.example.com");
        QTest::newRow("empty port is kept") << std::string("a.example.com:") << std::string("a.example.com:");
        QTest::newRow("non-numeric port is kept")
            << std::string("a.example.com:http") << std::string("a.example.com:http");
        QTest::newRow("IPv6 with port") << std::string("[2001:db8::1]:8080") << std::string("[2001:db8::1]");
        QTest::newRow("IPv6 without port") << std::string("[2001:db8::1]") << std::string("[2001:db8::1]");
        QTest::newRow("bare IPv6 literal") << std::string("2001:db8::1") << std::string("2001:db8::1");
        QTest::newRow("unclosed bracket") << std::string("[2001:db8::1") << std::string("[2001:db8::1");
        QTest::newRow("empty") << std::string() << std::string();
    }
    void stripPort() {
        QFETCH(std::string, authority);
        QFETCH(std::string, host);
        QCOMPARE(std::string(sluice::routing::stripPort(authority)), host);
    }

    void lowerAsciiOnlyTouchesAscii() {
        QCOMPARE(lowerAscii("Shop.EXAMPLE.com"), std::string("shop.example.com"));
        QCOMPARE(lowerAscii("\xC3\x84pfel.de"), std::string("\xC3\x84pfel.de")); // UTF-8 bytes untouched
        QVERIFY(isWildcard("*.a"));
        QVERIFY(!isWildcard(""));
    }
};

QTEST_GUILESS_MAIN(HostNameTest)
#include "host_name_test.moc"
