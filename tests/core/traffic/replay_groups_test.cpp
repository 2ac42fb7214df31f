// SPDX-License-Identifier: Apache-2.0
// Replay through the embedded gateway: recorded requests grouped by the Gateway port their scheme
// and authority go to and, over TLS, by server name (samples/tls: HTTP 80 for both hosts, HTTPS
// 443 with one server per host); a request no Gateway server takes is left out.
#include "config/loader.h"
#include "routing/route_table.h"
#include "traffic/replay_groups.h"

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;

namespace {

PreparedRequest request(const std::string& scheme, const std::string& authority) {
    PreparedRequest p;
    p.method = "GET";
    p.scheme = scheme;
    p.authority = authority;
    p.path = "/";
    return p;
}

} // namespace

class ReplayGroupsTest : public QObject {
    Q_OBJECT

private slots:
    void byGatewayPortThenServerName() {
        const auto loaded = config::loadPaths({SLUICE_SOURCE_DIR "/samples/tls"});
        const auto table = routing::compile(loaded.resources);
        const std::vector<PreparedRequest> requests{
            request("https", "shop.example.com"),        // 0: 443, SNI shop
            request("http", "shop.example.com"),         // 1: 80
            request("https", "partner.example.com:443"), // 2: 443, SNI partner (no port in SNI)
            request("https", "shop.example.com"),        // 3: 443, SNI shop
            request("http", "partner.example.com"),      // 4: 80 (one group for both hosts)
            request("http", "shop.example.com:9999"),    // 5: no listener on 9999: by scheme, 80
        };
        const ReplayGrouping grouping = groupReplayByGateway(*table, requests);
        QCOMPARE(grouping.groups.size(), std::size_t{3});
        const ReplayGroup& http = grouping.groups[0];
        QCOMPARE(http.gatewayPort, 80u);
        QVERIFY(!http.tls);
        QCOMPARE(http.sni, std::string());
        QCOMPARE(http.requests, (std::vector<std::size_t>{1, 4, 5}));
        const ReplayGroup& partner = grouping.groups[1];
        QCOMPARE(partner.gatewayPort, 443u);
        QVERIFY(partner.tls);
        QCOMPARE(partner.sni, std::string("partner.example.com"));
        QCOMPARE(partner.requests, (std::vector<std::size_t>{2}));
        const ReplayGroup& shop = grouping.groups[2];
        QCOMPARE(shop.sni, std::string("shop.example.com"));
        QCOMPARE(shop.requests, (std::vector<std::size_t>{0, 3}));
        QVERIFY(grouping.unrouted.empty());
    }

    // An HTTPS request to a gateway without TLS servers goes to its HTTP port (as gatewayEntryFor
    // picks); with no Gateway server at all, nothing is routed.
    void withoutAServerARequestIsUnrouted() {
        const std::vector<PreparedRequest> requests{request("http", "shop.example.com"),
                                                    request("https", "shop.example.com")};
        const auto canary = config::loadPaths({SLUICE_SOURCE_DIR "/samples/canary"}); // HTTP 80 only
        const ReplayGrouping served = groupReplayByGateway(*routing::compile(canary.resources), requests);
        QCOMPARE(served.groups.size(), std::size_t{1});
        QCOMPARE(served.groups[0].gatewayPort, 80u);
        QCOMPARE(served.groups[0].requests, (std::vector<std::size_t>{0, 1}));
        QVERIFY(served.unrouted.empty());

        config::LoadResult none;
        config::loadText("service.yaml",
                         "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: default}\n"
                         "spec: {selector: {app: a}, ports: [{name: http, port: 80}]}\n",
                         none);
        const ReplayGrouping unserved = groupReplayByGateway(*routing::compile(none.resources), requests);
        QVERIFY(unserved.groups.empty());
        QCOMPARE(unserved.unrouted, (std::vector<std::size_t>{0, 1}));
    }
};

QTEST_MAIN(ReplayGroupsTest)
#include "replay_groups_test.moc"
