// SPDX-License-Identifier: Apache-2.0
// IST0128, IST0129, IST0173 and IST0174: destination_rule_analyzer.cpp.

#include "analyzer_test_support.h"

using sluice::model::Level;
using namespace sluice::test;

namespace {

/// Lines 1-9: ServiceEntry payments.example.net; the DestinationRule starts on line 11.
QByteArray withServiceEntry(const char* rule) {
    return QByteArray(R"yaml(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: payments
spec:
  hosts: [payments.example.net]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{number: 443, name: https, protocol: HTTPS}]
---
)yaml") + rule;
}

/// Lines 1-8: Service reviews; 10-16: Pod reviews-v1 on node-a; then the DestinationRule on line 18.
QByteArray withPod(const char* rule) {
    return QByteArray(R"yaml(apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  selector: {app: reviews}
  ports:
  - {name: http, port: 9080}
---
apiVersion: v1
kind: Pod
metadata:
  name: reviews-v1
  labels: {app: reviews, version: v1}
spec:
  nodeName: node-a
---
)yaml") + rule;
}

} // namespace

class DestinationRuleAnalyzerTest : public QObject {
    Q_OBJECT

private slots:
    void findings_data() {
        addColumns();
        const char* simple = R"yaml(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: payments
spec:
  host: payments.example.net
  trafficPolicy:
    tls:
      mode: SIMPLE
CA)yaml";
        QTest::newRow("SIMPLE without caCertificates")
            << withServiceEntry(QByteArray(simple).replace("CA", "").constData()) << QByteArray("IST0128")
            << true << level(Level::Warning) << 11 << QByteArray("DestinationRule default/payments");
        QTest::newRow("SIMPLE with caCertificates")
            << withServiceEntry(
                   QByteArray(simple).replace("CA", "      caCertificates: /etc/ca.pem\n").constData())
            << QByteArray("IST0128") << false << 0 << 0 << QByteArray();
        QTest::newRow("credentialName with a workloadSelector")
            << withServiceEntry(QByteArray(simple)
                                    .replace("CA",
                                             "      credentialName: payments-ca\n  workloadSelector:\n    "
                                             "matchLabels: {app: checkout}\n")
                                    .constData())
            << QByteArray("IST0128") << false << 0 << 0 << QByteArray();

        const char* portLevel = R"yaml(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: payments
spec:
  host: payments.example.net
  trafficPolicy:
    portLevelSettings:
    - port: {number: 443}
      tls: {mode: MODE}
)yaml";
        QTest::newRow("port-level MUTUAL without caCertificates")
            << withServiceEntry(QByteArray(portLevel).replace("MODE", "MUTUAL").constData())
            << QByteArray("IST0129") << true << level(Level::Warning) << 11
            << QByteArray("DestinationRule default/payments");
        QTest::newRow("port-level ISTIO_MUTUAL")
            << withServiceEntry(QByteArray(portLevel).replace("MODE", "ISTIO_MUTUAL").constData())
            << QByteArray("IST0129") << false << 0 << 0 << QByteArray();

        const char* hostRule = R"yaml(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: HOST
)yaml";
        QTest::newRow("host is a Service")
            << withPod(QByteArray(hostRule).replace("HOST", "reviews").constData()) << QByteArray("IST0174")
            << false << 0 << 0 << QByteArray();
        QTest::newRow("host matches nothing")
            << withPod(QByteArray(hostRule).replace("HOST", "reveiws").constData()) << QByteArray("IST0174")
            << true << level(Level::Warning) << 18 << QByteArray("DestinationRule default/reviews");
        QTest::newRow("wildcard ServiceEntry covers the host")
            << withServiceEntry(R"yaml(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: wild
spec:
  hosts: ["*.example.org"]
  ports: [{number: 443, name: https, protocol: HTTPS}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: api
spec:
  host: api.eu.example.org
)yaml") << QByteArray("IST0174")
            << false << 0 << 0 << QByteArray();

        const char* subsets = R"yaml(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews.default.svc.cluster.local
  subsets:
  - name: v1
    labels: {version: v1}
  - name: other
    labels: LABELS
)yaml";
        QTest::newRow("every subset selects a pod")
            << withPod(QByteArray(subsets).replace("LABELS", "{kubernetes.io/hostname: node-a}").constData())
            << QByteArray("IST0173") << false << 0 << 0 << QByteArray();
        QTest::newRow("subset selects no pod")
            << withPod(QByteArray(subsets).replace("LABELS", "{version: v4}").constData())
            << QByteArray("IST0173") << true << level(Level::Error) << 18
            << QByteArray("DestinationRule default/reviews");
        QTest::newRow("without workloads in the input, subsets are not checked")
            << QByteArray(subsets).replace("LABELS", "{version: v4}") << QByteArray("IST0173") << false << 0
            << 0 << QByteArray();
    }

    void findings() { verifyRow(); }

    void nodeTopologyLabelsCount() {
        const auto found = analyze(withPod(R"yaml(apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {topology.kubernetes.io/region: us-west-1, topology.kubernetes.io/zone: ""}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  subsets:
  - {name: west, labels: {topology.kubernetes.io/region: us-west-1}}
  - {name: empty-zone, labels: {topology.kubernetes.io/zone: ""}}
)yaml"));
        // The region comes from the Node; an empty node label is not copied to the pod.
        QCOMPARE(std::count_if(found.begin(), found.end(), [](const auto& d) { return d.code == "IST0173"; }),
                 1);
        QVERIFY(std::any_of(found.begin(), found.end(), [](const auto& d) {
            return d.code == "IST0173" && d.message.find("empty-zone") != std::string::npos;
        }));
    }
};

QTEST_GUILESS_MAIN(DestinationRuleAnalyzerTest)
#include "destination_rule_analyzer_test.moc"
