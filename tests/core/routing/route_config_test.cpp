// SPDX-License-Identifier: Apache-2.0
#include "routing/route_config.h"

#include <QTest>

using namespace sluice::routing;

namespace {

RouteConfig config(const std::vector<std::string>& domains) {
    std::vector<VirtualHost> vhosts;
    for (const auto& d : domains)
        vhosts.push_back(VirtualHost{d, false, {}, {}, {}});
    return RouteConfig("http.80", std::move(vhosts));
}

} // namespace

class RouteConfigTest : public QObject {
    Q_OBJECT

private slots:
    void find_data() {
        QTest::addColumn<std::vector<std::string>>("domains");
        QTest::addColumn<std::string>("authority");
        QTest::addColumn<std::string>("expected"); // the vhost domain, or "" for none
        using V = std::vector<std::string>;
        const V all{"*", "*.example.com", "*.eu.example.com", "api.example.com", "api.*", "api.eu.*"};
        QTest::newRow("exact first") << all << std::string("api.example.com")
                                     << std::string("api.example.com");
        QTest::newRow("longest suffix wildcard")
            << all << std::string("x.eu.example.com") << std::string("*.eu.example.com");
        QTest::newRow("shorter suffix wildcard")
            << all << std::string("x.us.example.com") << std::string("*.example.com");
        QTest::newRow("suffix before prefix")
            << all << std::string("api.eu.example.com") << std::string("*.eu.example.com");
        QTest::newRow("longest prefix wildcard")
            << all << std::string("api.eu.test") << std::string("api.eu.*");
        QTest::newRow("prefix wildcard") << all << std::string("api.test") << std::string("api.*");
        QTest::newRow("star last") << all << std::string("other.test") << std::string("*");
        QTest::newRow("wildcard needs one character")
            << V{"*.example.com"} << std::string(".example.com") << std::string();
        QTest::newRow("wildcard never covers the apex")
            << V{"*.example.com"} << std::string("example.com") << std::string();
        QTest::newRow("port ignored")
            << all << std::string("api.example.com:31380") << std::string("api.example.com");
        QTest::newRow("case ignored")
            << all << std::string("API.Example.COM") << std::string("api.example.com");
        QTest::newRow("no star no match")
            << V{"a.example.com"} << std::string("b.example.com") << std::string();
        QTest::newRow("IPv6 literal falls to star")
            << all << std::string("[2001:db8::1]:80") << std::string("*");
        QTest::newRow("IPv6 exact vhost")
            << V{"[2001:db8::1]"} << std::string("[2001:db8::1]:443") << std::string("[2001:db8::1]");
        QTest::newRow("empty host to star") << all << std::string() << std::string("*");
        QTest::newRow("first of equal domains wins") << V{"*", "*"} << std::string("x") << std::string("*");
    }
    void find() {
        QFETCH(std::vector<std::string>, domains);
        QFETCH(std::string, authority);
        QFETCH(std::string, expected);
        const RouteConfig rc = config(domains);
        const VirtualHost* vh = rc.find(authority);
        QCOMPARE(vh ? vh->domain : std::string(), expected);
    }

    void blackholeAndReport() {
        RouteConfig rc = config({"*"});
        QVERIFY(!rc.isBlackhole());
        QVERIFY(rc.report() == nullptr);
        rc.markBlackhole();
        auto report = std::make_shared<BindingReport>();
        report->routeConfig = "http.80";
        rc.setReport(report);
        QVERIFY(rc.isBlackhole());
        QCOMPARE(rc.report()->routeConfig, std::string("http.80"));
        QCOMPARE(rc.name(), std::string("http.80"));
    }
};

QTEST_GUILESS_MAIN(RouteConfigTest)
#include "route_config_test.moc"
