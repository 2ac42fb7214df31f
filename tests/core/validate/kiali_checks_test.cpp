// SPDX-License-Identifier: Apache-2.0
// SLU0101..SLU0105, Kiali's validations that istioctl lacks: kiali_checks.cpp.

#include "analyzer_test_support.h"

using sluice::model::Level;
using namespace sluice::test;

namespace {

/// Service reviews (lines 1-7), Pod reviews-v1 (9-13) and Pod ratings-v2 (15-19); then line 21 on.
QByteArray reviews(const char* rest) {
    return QByteArray(R"yaml(apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Pod
metadata:
  name: reviews-v1
  labels: {app: reviews, version: v1}
---
apiVersion: v1
kind: Pod
metadata:
  name: ratings-v2
  labels: {app: ratings, version: v2}
---
)yaml") + rest;
}

const char* kRoute = R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
ROUTE)yaml";

QByteArray route(const char* destinations) {
    return QByteArray(kRoute).replace("ROUTE", destinations);
}

} // namespace

class KialiChecksTest : public QObject {
    Q_OBJECT

private slots:
    void findings_data() {
        addColumns();
        const char* twoRules = R"yaml(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews-canary
spec:
  host: reviews.default.svc.cluster.local
  subsets: [{name: SUBSET, labels: {version: v1}}]
)yaml";
        QTest::newRow("SLU0101 two rules define the same subset")
            << reviews(QByteArray(twoRules).replace("SUBSET", "v1").constData()) << QByteArray("SLU0101")
            << true << level(Level::Warning) << 34 << QByteArray("DestinationRule default/reviews-canary");
        QTest::newRow("SLU0101 different subsets")
            << reviews(QByteArray(twoRules).replace("SUBSET", "canary").constData()) << QByteArray("SLU0101")
            << false << 0 << 0 << QByteArray();

        const char* subsetRule = R"yaml(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  subsets:
  - name: SUBSET
    labels: LABELS
---
)yaml";
        auto routed = [&](const char* subset, const char* labels) {
            const QByteArray rule =
                QByteArray(subsetRule).replace("SUBSET", subset).replace("LABELS", labels);
            const QByteArray vs =
                route("    - destination: {host: reviews, subset: SUBSET}\n").replace("SUBSET", subset);
            return reviews(QByteArray(rule + vs).constData());
        };
        QTest::newRow("SLU0102 subset labels only on another service's pod")
            << routed("v2", "{version: v2}") << QByteArray("SLU0102") << true << level(Level::Warning) << 28
            << QByteArray("DestinationRule default/reviews");
        QTest::newRow("SLU0102 subset selects a pod of the service")
            << routed("v1", "{version: v1}") << QByteArray("SLU0102") << false << 0 << 0 << QByteArray();
        QTest::newRow("SLU0103 subset without labels")
            << routed("all", "{}") << QByteArray("SLU0103") << true << level(Level::Warning) << 28
            << QByteArray("DestinationRule default/reviews");

        QTest::newRow("SLU0104 single destination with weight 50")
            << reviews(route("    - destination: {host: reviews}\n      weight: 50\n").constData())
            << QByteArray("SLU0104") << true << level(Level::Warning) << 30
            << QByteArray("VirtualService default/reviews");
        QTest::newRow("SLU0104 single destination with weight 100")
            << reviews(route("    - destination: {host: reviews}\n      weight: 100\n").constData())
            << QByteArray("SLU0104") << false << 0 << 0 << QByteArray();
        QTest::newRow("SLU0105 same host twice in one route")
            << reviews(route("    - destination: {host: reviews}\n      weight: 50\n"
                             "    - destination:\n        host: reviews.default.svc.cluster.local\n      "
                             "weight: 50\n")
                           .constData())
            << QByteArray("SLU0105") << true << level(Level::Warning) << 32
            << QByteArray("VirtualService default/reviews");
        QTest::newRow("SLU0105 different subsets")
            << reviews(route("    - destination: {host: reviews, subset: a}\n      weight: 50\n"
                             "    - destination: {host: reviews, subset: b}\n      weight: 50\n")
                           .constData())
            << QByteArray("SLU0105") << false << 0 << 0 << QByteArray();
    }

    void findings() { verifyRow(); }
};

QTEST_GUILESS_MAIN(KialiChecksTest)
#include "kiali_checks_test.moc"
