// SPDX-License-Identifier: Apache-2.0
// matchLabel: the edge label of a match, as the YAML states it.

#include "flow/match_label.h"
#include "tests/core/routing/routing_test_support.h"

#include <QTest>

using namespace sluice;

class MatchLabelTest : public QObject {
    Q_OBJECT

private slots:
    void http_data() {
        QTest::addColumn<QString>("match");
        QTest::addColumn<QString>("label");
        QTest::newRow("prefix") << "{uri: {prefix: /productpage}}"
                                << "prefix /productpage";
        QTest::newRow("exact any case") << "{uri: {exact: /login}, ignoreUriCase: true}"
                                        << "exact /login (any case)";
        QTest::newRow("header exact") << "{headers: {end-user: {exact: jason}}}"
                                      << "headers end-user=jason";
        QTest::newRow("header prefix") << "{headers: {end-user: {prefix: qa-}}}"
                                       << "headers end-user prefix qa-";
        QTest::newRow("method and regex") << "{method: {exact: GET}, uri: {regex: '/api/v[0-9]+'}}"
                                          << "GET, regex /api/v[0-9]+";
        QTest::newRow("presence and query") << "{headers: {x-debug: {}}, queryParams: {u: {exact: '1'}}}"
                                            << "headers x-debug present, query u=1";
        QTest::newRow("without headers") << "{withoutHeaders: {x-canary: {exact: 'true'}}}"
                                         << "without headers x-canary=true";
        QTest::newRow("port and gateways") << "{port: 8080, gateways: [istio-system/gw]}"
                                           << "port 8080, gateways istio-system/gw";
        QTest::newRow("empty") << "{}"
                               << "any request";
    }

    void http() {
        QFETCH(QString, match);
        QFETCH(QString, label);
        QCOMPARE(QString::fromStdString(flow::matchLabel(test::httpMatch(match.toStdString()))), label);
    }

    void tlsAndTcp() {
        model::TLSMatchAttributes tls;
        tls.sniHosts = {std::string("a.example.com"), std::string("b.example.com")};
        tls.port = 443u;
        QCOMPARE(QString::fromStdString(flow::matchLabel(tls)),
                 QStringLiteral("sni a.example.com,b.example.com, port 443"));
        QCOMPARE(QString::fromStdString(flow::matchLabel(model::TLSMatchAttributes{})),
                 QStringLiteral("any connection"));
        model::L4MatchAttributes tcp;
        tcp.port = 31400u;
        QCOMPARE(QString::fromStdString(flow::matchLabel(tcp)), QStringLiteral("port 31400"));
    }
};

QTEST_GUILESS_MAIN(MatchLabelTest)
#include "match_label_test.moc"
