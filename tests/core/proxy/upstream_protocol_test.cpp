// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "proxy/upstream_protocol.h"

#include <QTest>

using sluice::proxy::UpstreamProtocol;

class UpstreamProtocolTest : public QObject {
    Q_OBJECT

private slots:
    // kube.ConvertProtocol(...).IsHTTP2(): HTTP2, GRPC and GRPC-Web ports get HTTP/2 upstreams.
    void servicePortProtocol_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("appProtocol");
        QTest::addColumn<bool>("http2");
        QTest::newRow("grpc") << QStringLiteral("grpc") << QString() << true;
        QTest::newRow("grpc prefix") << QStringLiteral("grpc-api") << QString() << true;
        QTest::newRow("case ignored") << QStringLiteral("GRPC-api") << QString() << true;
        QTest::newRow("http2 prefix") << QStringLiteral("http2-web") << QString() << true;
        QTest::newRow("grpc-web") << QStringLiteral("grpc-web") << QString() << true;
        QTest::newRow("grpc-web prefix") << QStringLiteral("grpc-web-ui") << QString() << true;
        QTest::newRow("http") << QStringLiteral("http-web") << QString() << false;
        QTest::newRow("no prefix") << QStringLiteral("grpcish") << QString() << false;
        QTest::newRow("tcp") << QStringLiteral("tcp") << QString() << false;
        QTest::newRow("appProtocol wins") << QStringLiteral("grpc") << QStringLiteral("http") << false;
        QTest::newRow("appProtocol grpc") << QStringLiteral("web") << QStringLiteral("grpc") << true;
        QTest::newRow("appProtocol h2c")
            << QStringLiteral("web") << QStringLiteral("kubernetes.io/h2c") << true;
        QTest::newRow("appProtocol ws")
            << QStringLiteral("grpc") << QStringLiteral("kubernetes.io/ws") << false;
    }
    void servicePortProtocol() {
        QFETCH(QString, name);
        QFETCH(QString, appProtocol);
        QFETCH(bool, http2);
        QCOMPARE(UpstreamProtocol::servicePortIsHttp2(name.toStdString(), appProtocol.toStdString(),
                                                      !appProtocol.isNull()),
                 http2);
    }

    void serviceEntryProtocol() {
        QVERIFY(UpstreamProtocol::protocolIsHttp2("GRPC"));
        QVERIFY(UpstreamProtocol::protocolIsHttp2("HTTP2"));
        QVERIFY(UpstreamProtocol::protocolIsHttp2("GRPC-WEB"));
        QVERIFY(!UpstreamProtocol::protocolIsHttp2("HTTP"));
        QVERIFY(!UpstreamProtocol::protocolIsHttp2("TCP"));
    }

    // Every subset cluster of an HTTP/2 port is HTTP/2; other ports of the same Service are not.
    void picksTheClustersOfHttp2Ports() {
        sluice::config::LoadResult loaded;
        sluice::config::loadText("ports.yaml", R"(apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {ports: [{name: grpc, port: 9000}, {name: http, port: 8080}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext}
spec:
  hosts: [ext.example.com]
  ports: [{number: 443, name: h2, protocol: HTTP2}, {number: 80, name: web, protocol: HTTP}]
  resolution: DNS
)",
                                 loaded);
        QVERIFY(loaded.diagnostics.empty());
        sluice::proxy::ClusterEndpoints clusters;
        for (const char* name :
             {"outbound|9000||api.shop.svc.cluster.local", "outbound|9000|v1|api.shop.svc.cluster.local",
              "outbound|8080||api.shop.svc.cluster.local", "outbound|443||ext.example.com",
              "outbound|80||ext.example.com", "outbound|9000||api.other.svc.cluster.local", "malformed"})
            clusters[name] = {};
        const auto http2 = UpstreamProtocol::http2Clusters(loaded.resources, clusters);
        QCOMPARE(http2, (std::set<std::string, std::less<>>{"outbound|443||ext.example.com",
                                                            "outbound|9000||api.shop.svc.cluster.local",
                                                            "outbound|9000|v1|api.shop.svc.cluster.local"}));
    }
};

QTEST_GUILESS_MAIN(UpstreamProtocolTest)
#include "upstream_protocol_test.moc"
