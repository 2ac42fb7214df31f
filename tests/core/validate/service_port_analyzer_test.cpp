// SPDX-License-Identifier: Apache-2.0
// IST0118 and IST0150: service_port_analyzer.cpp.

#include "analyzer_test_support.h"

using sluice::model::Level;
using namespace sluice::test;

namespace {

/// A Service with one port (fields PORT) whose `port:` is on line 11.
QByteArray service(const char* port, const char* extra = "") {
    return QByteArray(R"yaml(apiVersion: v1
kind: Service
metadata:
  name: catalog
  namespace: shop
EXTRAspec:
  selector:
    app: catalog
  ports:
  - PORT
    port: 8080
)yaml")
        .replace("EXTRA", extra)
        .replace("PORT", port);
}

} // namespace

class ServicePortAnalyzerTest : public QObject {
    Q_OBJECT

private slots:
    void findings_data() {
        addColumns();
        const QByteArray code("IST0118");
        const QByteArray resource("Service shop/catalog");
        QTest::newRow("name without protocol")
            << service("name: web") << code << true << level(Level::Info) << 11 << resource;
        QTest::newRow("no name") << service("targetPort: 8080") << code << true << level(Level::Info) << 11
                                 << resource;
        QTest::newRow("protocol prefix")
            << service("name: http-web") << code << false << 0 << 0 << QByteArray();
        QTest::newRow("prefix is case-insensitive")
            << service("name: GRPC-api") << code << false << 0 << 0 << QByteArray();
        QTest::newRow("grpc-web prefix")
            << service("name: grpc-web-ui") << code << false << 0 << 0 << QByteArray();
        QTest::newRow("appProtocol wins")
            << service("name: web\n    appProtocol: http") << code << false << 0 << 0 << QByteArray();
        QTest::newRow("unknown appProtocol") << service("name: http\n    appProtocol: websocket") << code
                                             << true << level(Level::Info) << 12 << resource;
        QTest::newRow("UDP is never sniffed")
            << service("name: dns\n    protocol: UDP") << code << false << 0 << 0 << QByteArray();
        QTest::newRow("control plane Service")
            << service("name: web", "  labels: {istio: pilot}\n") << code << false << 0 << 0 << QByteArray();
        QTest::newRow("ExternalName with a tcp port")
            << service("name: tcp", "")
                   .replace("spec:\n", "spec:\n  type: ExternalName\n  externalName: db.example.com\n")
            << QByteArray("IST0150") << true << level(Level::Warning) << 13 << resource;
        QTest::newRow("ExternalName with an http port")
            << service("name: http", "")
                   .replace("spec:\n", "spec:\n  type: ExternalName\n  externalName: db.example.com\n")
            << QByteArray("IST0150") << false << 0 << 0 << QByteArray();
    }

    void findings() { verifyRow(); }

    void wellKnownPortsAreTcp() {
        const auto found = analyze(service("name: db").replace("port: 8080", "port: 3306"));
        QVERIFY2(found.empty(), describe(found).constData());
    }

    void systemNamespacesAreSkipped() {
        const auto found = analyze(service("name: web").replace("namespace: shop", "namespace: kube-system"));
        QVERIFY2(found.empty(), describe(found).constData());
    }
};

QTEST_GUILESS_MAIN(ServicePortAnalyzerTest)
#include "service_port_analyzer_test.moc"
