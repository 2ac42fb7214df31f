// SPDX-License-Identifier: Apache-2.0
// IST0101 (selector), IST0162 and IST0145: gateway_analyzer.cpp, gateway_conflict_analyzer.cpp.

#include "analyzer_test_support.h"

using sluice::model::Level;
using namespace sluice::test;

class GatewayAnalyzerTest : public QObject {
    Q_OBJECT

private slots:
    void findings_data() {
        addColumns();
        QTest::newRow("selector matches the synthetic ingress pod")
            << QByteArray(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["a.example.com"]
)yaml") << QByteArray("IST0101")
            << false << 0 << 0 << QByteArray();

        QTest::newRow("selector matches nothing") << QByteArray(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  selector:
    istio: ingresstypo
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["a.example.com"]
)yaml") << QByteArray("IST0101") << true << level(Level::Error)
                                                  << 7 << QByteArray("Gateway default/gw");

        QTest::newRow("line of the first sorted selector key")
            << QByteArray(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  selector:
    zone: east
    app: nowhere
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["a.example.com"]
)yaml") << QByteArray("IST0101")
            << true << level(Level::Error) << 8 << QByteArray("Gateway default/gw");

        QTest::newRow("port exposed by the synthetic Service")
            << QByteArray(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["a.example.com"]
    tls: {mode: PASSTHROUGH}
)yaml") << QByteArray("IST0162")
            << false << 0 << 0 << QByteArray();

        QTest::newRow("port not exposed by the synthetic Service")
            << QByteArray(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: alt
  namespace: edge
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["a.example.com"]
)yaml") << QByteArray("IST0162")
            << true << level(Level::Warning) << 8 << QByteArray("Gateway edge/alt");

        const QByteArray custom = R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: private
spec:
  selector:
    myapp: private-gw
  servers:
  - port: {number: PORT, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: v1
kind: Pod
metadata:
  name: private-gw-1
  labels: {myapp: private-gw}
---
apiVersion: v1
kind: Service
metadata:
  name: private-gw
spec:
  selector: {myapp: private-gw}
  ports:
  - {name: http2, port: 80, targetPort: 8003, protocol: TCP}
)yaml";
        QTest::newRow("custom gateway: port is the Service targetPort")
            << QByteArray(custom).replace("PORT", "8003") << QByteArray("IST0162") << false << 0 << 0
            << QByteArray();
        QTest::newRow("custom gateway: port is the Service port")
            << QByteArray(custom).replace("PORT", "80") << QByteArray("IST0162") << false << 0 << 0
            << QByteArray();
        QTest::newRow("custom gateway: port on neither")
            << QByteArray(custom).replace("PORT", "8004") << QByteArray("IST0162") << true
            << level(Level::Warning) << 7 << QByteArray("Gateway default/private");

        QTest::newRow("real gateway deployment replaces the synthetic one")
            << QByteArray(R"yaml(apiVersion: apps/v1
kind: Deployment
metadata:
  name: istio-ingressgateway
  namespace: istio-system
spec:
  template:
    metadata:
      labels: {istio: ingressgateway, app: istio-ingressgateway}
---
apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: istio-system
spec:
  selector: {istio: ingressgateway}
  ports:
  - {name: https, port: 443, targetPort: 8443}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["a.example.com"]
)yaml") << QByteArray("IST0162")
            << true << level(Level::Warning) << 27 << QByteArray("Gateway default/gw");

        const QByteArray twoGateways = R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: beta
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 80, name: tcp, protocol: TCP}
    hosts: ["foo.bar"]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: alpha
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: PORT, name: http, protocol: HTTP}
    hosts: ["foo.bar"]
)yaml";
        QTest::newRow("same selector, port and host")
            << QByteArray(twoGateways).replace("PORT", "80") << QByteArray("IST0145") << true
            << level(Level::Error) << 12 << QByteArray("Gateway default/alpha");
        QTest::newRow("same selector and host, other port")
            << QByteArray(twoGateways).replace("PORT", "443") << QByteArray("IST0145") << false << 0 << 0
            << QByteArray();

        QTest::newRow("sub-selector selecting the same pod")
            << QByteArray(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: beta
spec:
  selector: {istio: ingressgateway, tier: edge}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["foo.bar"]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: alpha
spec:
  selector: {tier: edge}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["foo.bar"]
---
apiVersion: v1
kind: Pod
metadata:
  name: edge-1
  labels: {istio: ingressgateway, tier: edge}
)yaml") << QByteArray("IST0145")
            << true << level(Level::Error) << 1 << QByteArray("Gateway default/beta");

        QTest::newRow("different bind addresses do not conflict")
            << QByteArray(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: beta
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    bind: 10.0.0.1
    hosts: ["foo.bar"]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: alpha
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    bind: 10.0.0.2
    hosts: ["foo.bar"]
)yaml") << QByteArray("IST0145")
            << false << 0 << 0 << QByteArray();
    }

    void findings() { verifyRow(); }

    void offlineGatewayIsConfigurable() {
        sluice::validate::ValidateOptions options;
        options.gateway.labels = {{"istio", "gateway"}};
        options.gateway.servicePorts = {{8080, 8080, "http"}};
        const auto found = analyze(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  selector:
    istio: gateway
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["a.example.com"]
)yaml",
                                   options);
        QVERIFY2(found.empty(), describe(found).constData());
    }
};

QTEST_GUILESS_MAIN(GatewayAnalyzerTest)
#include "gateway_analyzer_test.moc"
