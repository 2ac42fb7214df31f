// SPDX-License-Identifier: Apache-2.0
// IST0116 and IST0137: deployment_analyzer.cpp.

#include "analyzer_test_support.h"

using sluice::model::Level;
using namespace sluice::test;

namespace {

/// A Deployment (metadata.name on line 4) and two Services selecting it with ports FIRST and SECOND.
QByteArray deploymentAndServices(const char* first, const char* second, const char* templateExtra = "") {
    return QByteArray(R"yaml(apiVersion: apps/v1
kind: Deployment
metadata:
  name: details-v1
  namespace: bookinfo
spec:
  selector:
    matchLabels: {app: details}
  template:
    metadata:
      labels: {app: details, version: v1}
EXTRA---
apiVersion: v1
kind: Service
metadata:
  name: details-a
  namespace: bookinfo
spec:
  selector: {app: details}
  ports: [FIRST]
---
apiVersion: v1
kind: Service
metadata:
  name: details-b
  namespace: bookinfo
spec:
  selector: {app: details}
  ports: [SECOND]
)yaml")
        .replace("EXTRA", templateExtra)
        .replace("FIRST", first)
        .replace("SECOND", second);
}

} // namespace

class DeploymentAnalyzerTest : public QObject {
    Q_OBJECT

private slots:
    void findings_data() {
        addColumns();
        const QByteArray resource("Deployment bookinfo/details-v1");
        QTest::newRow("same port, different protocols")
            << deploymentAndServices("{name: tcp, port: 9080, protocol: TCP}",
                                     "{name: http, port: 9080, protocol: UDP}")
            << QByteArray("IST0116") << true << level(Level::Warning) << 4 << resource;
        QTest::newRow("same port, protocol defaults to TCP")
            << deploymentAndServices("{name: tcp, port: 9080}", "{name: http, port: 9080, protocol: TCP}")
            << QByteArray("IST0116") << false << 0 << 0 << QByteArray();
        QTest::newRow("same targetPort, different ports")
            << deploymentAndServices("{name: http, port: 9080, targetPort: 9080}",
                                     "{name: http, port: 8080, targetPort: 9080}")
            << QByteArray("IST0137") << true << level(Level::Warning) << 4 << resource;
        QTest::newRow("targetPort defaults to the port")
            << deploymentAndServices("{name: http, port: 9080}", "{name: http, port: 8080, targetPort: 9080}")
            << QByteArray("IST0137") << true << level(Level::Warning) << 4 << resource;
        QTest::newRow("different targetPorts")
            << deploymentAndServices("{name: http, port: 9080}", "{name: http, port: 8080}")
            << QByteArray("IST0137") << false << 0 << 0 << QByteArray();
        QTest::newRow("injection disabled: not in the mesh")
            << deploymentAndServices("{name: tcp, port: 9080, protocol: TCP}",
                                     "{name: http, port: 9080, protocol: UDP}",
                                     "      annotations: {sidecar.istio.io/inject: \"false\"}\n")
            << QByteArray("IST0116") << false << 0 << 0 << QByteArray();
    }

    void findings() { verifyRow(); }

    void servicesWithoutSelectorAreNotAssociated() {
        const auto found = analyze(R"yaml(apiVersion: v1
kind: Service
metadata:
  name: kubernetes
spec:
  ports: [{name: https, port: 443, targetPort: 6443}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{name: https, port: 8443, targetPort: 6443}]
---
apiVersion: sluice.dev/v1
kind: Workload
metadata:
  name: web
spec:
  labels: {app: web}
)yaml");
        QVERIFY2(found.empty(), describe(found).constData());
    }

    void workloadsAreAnalyzedToo() {
        const auto found = analyze(R"yaml(apiVersion: v1
kind: Service
metadata:
  name: web-a
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: web-b
spec:
  selector: {app: web}
  ports: [{name: http, port: 81, targetPort: 8080}]
---
apiVersion: sluice.dev/v1
kind: Workload
metadata:
  name: web
spec:
  labels: {app: web}
)yaml");
        QVERIFY2(std::any_of(found.begin(), found.end(),
                             [](const auto& d) {
                                 return d.code == "IST0137" && d.resource == "Workload default/web" &&
                                        d.span.line == 20;
                             }),
                 describe(found).constData());
    }
};

QTEST_GUILESS_MAIN(DeploymentAnalyzerTest)
#include "deployment_analyzer_test.moc"
