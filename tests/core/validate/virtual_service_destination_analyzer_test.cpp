// SPDX-License-Identifier: Apache-2.0
// IST0101 (host, host:port, mirror host, host+subset), IST0112 and IST0140:
// virtual_service_destination_analyzer.cpp.

#include "analyzer_test_support.h"

using sluice::model::Level;
using namespace sluice::test;

namespace {

/// Lines 1-10: Service shop (ports 80 and 9090) in default; the VirtualService starts on line 12.
QByteArray withService(const char* virtualService) {
    return QByteArray(R"yaml(apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: default
spec:
  selector: {app: shop}
  ports:
  - {name: http, port: 80}
  - {name: grpc, port: 9090}
---
)yaml") + virtualService;
}

} // namespace

class VirtualServiceDestinationAnalyzerTest : public QObject {
    Q_OBJECT

private slots:
    void findings_data() {
        addColumns();
        QTest::newRow("known host and port") << withService(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop]
  http:
  - route:
    - destination:
        host: shop.default.svc.cluster.local
        port: {number: 80}
)yaml") << QByteArray("IST0101") << false << 0
                                             << 0 << QByteArray();

        QTest::newRow("unknown host")
            << withService(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop]
  http:
  - route:
    - destination:
        host: shop-frontend
)yaml") << QByteArray("IST0101")
            << true << level(Level::Error) << 21 << QByteArray("VirtualService default/shop");

        QTest::newRow("short host resolves in the VirtualService namespace")
            << withService(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: other
spec:
  hosts: [shop]
  tcp:
  - route:
    - destination:
        host: shop
        port: {number: 80}
)yaml") << QByteArray("IST0101")
            << true << level(Level::Error) << 22 << QByteArray("VirtualService other/shop");

        QTest::newRow("unknown port")
            << withService(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop]
  http:
  - route:
    - destination:
        host: shop
        port: {number: 8080}
)yaml") << QByteArray("IST0101")
            << true << level(Level::Error) << 21 << QByteArray("VirtualService default/shop");

        QTest::newRow("two ports and no port selector")
            << withService(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop]
  http:
  - route:
    - destination:
        host: shop
)yaml") << QByteArray("IST0112")
            << true << level(Level::Error) << 21 << QByteArray("VirtualService default/shop");

        QTest::newRow("unknown mirror host") << withService(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop]
  http:
  - route:
    - destination: {host: shop, port: {number: 80}}
    mirror:
      host: shop-shadow
)yaml") << QByteArray("IST0101") << true << level(Level::Error)
                                             << 22 << QByteArray("VirtualService default/shop");

        QTest::newRow("unknown host in mirrors[]") << withService(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop]
  http:
  - route:
    - destination: {host: shop, port: {number: 80}}
    mirrors:
    - destination:
        host: shop-shadow
)yaml") << QByteArray("IST0101") << true << level(Level::Error)
                                                   << 23 << QByteArray("VirtualService default/shop");

        const QByteArray subsets = R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop]
  http:
  - route:
    - destination: {host: shop, subset: v1, port: {number: 80}}
    - destination:
        host: shop
        subset: SUBSET
        port: {number: 80}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: shop
spec:
  host: shop.default.svc.cluster.local
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
)yaml";
        QTest::newRow("subset defined")
            << withService(QByteArray(subsets).replace("SUBSET", "v2").constData()) << QByteArray("IST0101")
            << false << 0 << 0 << QByteArray();
        QTest::newRow("subset not defined")
            << withService(QByteArray(subsets).replace("SUBSET", "v3").constData()) << QByteArray("IST0101")
            << true << level(Level::Error) << 22 << QByteArray("VirtualService default/shop");

        const QByteArray ingress = R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: edge
spec:
  hosts: ["shop.example.com"]
  gateways: [istio-system/public]
  http:
  - route:
    - destination:
        host: shop
        port: {number: 80}
ROUTE---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop-mesh
spec:
  hosts: [shop]
  http:
  - route:
    - destination: {host: shop, subset: v1, port: {number: 80}}
)yaml";
        QTest::newRow("ingress route without subset to a subset-routed host")
            << withService(QByteArray(ingress).replace("ROUTE", "").constData()) << QByteArray("IST0140")
            << true << level(Level::Warning) << 22 << QByteArray("VirtualService default/edge");
        QTest::newRow("ingress route with its own subset")
            << withService(QByteArray(ingress)
                               .replace("        port: {number: 80}\nROUTE",
                                        "        port: {number: 80}\n        subset: v1\n")
                               .constData())
            << QByteArray("IST0140") << false << 0 << 0 << QByteArray();
    }

    void findings() { verifyRow(); }
};

QTEST_GUILESS_MAIN(VirtualServiceDestinationAnalyzerTest)
#include "virtual_service_destination_analyzer_test.moc"
