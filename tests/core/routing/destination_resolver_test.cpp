// SPDX-License-Identifier: Apache-2.0
#include "routing/destination_resolver.h"
#include "routing_test_support.h"

#include <QTest>

using namespace sluice::routing;
using sluice::test::load;

namespace {

sluice::model::Destination destination(const char* host, std::uint32_t port = 0, const char* subset = "") {
    sluice::model::Destination d;
    d.host = std::string(host);
    if (port) {
        d.port.emplace();
        d.port->number = port;
    }
    if (*subset)
        d.subset = std::string(subset);
    return d;
}

const char* kWorld = R"(
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: multi, namespace: default}
spec:
  selector: {app: multi}
  ports: [{name: http, port: 80}, {name: grpc, port: 9090}]
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: default}
spec:
  ports: [{name: http, port: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v2, namespace: default}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: reviews, version: v2}}
---
apiVersion: v1
kind: Pod
metadata: {name: reviews-v1-a, namespace: default, labels: {app: reviews, version: v1}}
---
apiVersion: v1
kind: Pod
metadata: {name: reviews-v1-other-ns, namespace: other, labels: {app: reviews, version: v1}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-late, namespace: default, creationTimestamp: "2024-05-01T00:00:00Z"}
spec:
  host: reviews
  trafficPolicy: {loadBalancer: {simple: RANDOM}}
  subsets:
  - {name: v1, labels: {version: nope}}
  - {name: v3, labels: {version: v3}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-early, namespace: default, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  host: reviews
  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
  subsets:
  - {name: v1, labels: {version: v1}}
  - name: v2
    labels: {version: v2}
    trafficPolicy:
      loadBalancer: {consistentHash: {httpHeaderName: x-user}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: multi-in-gateway-ns, namespace: istio-system}
spec:
  host: multi.default.svc.cluster.local
  trafficPolicy:
    loadBalancer: {simple: LEAST_CONN}
    portLevelSettings:
    - port: {number: 9090}
      loadBalancer: {simple: RANDOM}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: multi-private, namespace: default}
spec:
  host: multi
  exportTo: ["."]
  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: payments, namespace: default}
spec:
  hosts: [api.payments.example]
  ports: [{number: 443, name: https, protocol: TLS}]
  resolution: STATIC
  endpoints: [{address: 10.0.0.1}, {address: 10.0.0.2}]
)";

} // namespace

class DestinationResolverTest : public QObject {
    Q_OBJECT

private slots:
    void expandShortName_data() {
        QTest::addColumn<std::string>("host");
        QTest::addColumn<std::string>("expanded");
        QTest::newRow("short name") << std::string("reviews") << std::string("reviews.web.svc.cluster.local");
        QTest::newRow("with a dot stays") << std::string("reviews.default") << std::string("reviews.default");
        QTest::newRow("fqdn stays") << std::string("a.b.svc.cluster.local")
                                    << std::string("a.b.svc.cluster.local");
        QTest::newRow("star stays") << std::string("*") << std::string("*");
        QTest::newRow("ipv4 stays") << std::string("10.1.2.3") << std::string("10.1.2.3");
        QTest::newRow("ipv6 stays") << std::string("::1") << std::string("::1");
        QTest::newRow("empty stays") << std::string() << std::string();
    }
    void expandShortName() {
        QFETCH(std::string, host);
        QFETCH(std::string, expanded);
        QCOMPARE(sluice::routing::expandShortName(host, "web"), expanded);
    }

    void resolve_data() {
        QTest::addColumn<sluice::model::Destination>("dest");
        QTest::addColumn<std::string>("cluster");
        QTest::addColumn<bool>("exists");
        QTest::addColumn<int>("endpoints");
        QTest::addColumn<QString>("policy");
        using sluice::model::Destination;
        QTest::newRow("explicit service port")
            << destination("reviews", 9080) << std::string("outbound|9080||reviews.default.svc.cluster.local")
            << true << 4 << QStringLiteral("ROUND_ROBIN");
        QTest::newRow("target port is not a service port")
            << destination("reviews", 8080) << std::string("outbound|8080||reviews.default.svc.cluster.local")
            << false << 0 << QStringLiteral("does not expose port 8080");
        QTest::newRow("only port") << destination("reviews")
                                   << std::string("outbound|9080||reviews.default.svc.cluster.local") << true
                                   << 4 << QString();
        QTest::newRow("several ports: the default port")
            << destination("multi") << std::string("outbound|80||multi.default.svc.cluster.local") << true
            << 0 << QStringLiteral("LEAST_REQUEST (LEAST_CONN is its deprecated alias)");
        QTest::newRow("unknown host")
            << destination("ghost") << std::string("outbound|80||ghost.default.svc.cluster.local") << false
            << 0 << QStringLiteral("no Service or ServiceEntry has host");
        QTest::newRow("first-created subset definition")
            << destination("reviews", 0, "v1")
            << std::string("outbound|9080|v1|reviews.default.svc.cluster.local") << true << 1
            << QStringLiteral("ROUND_ROBIN");
        QTest::newRow("replicas count as endpoints")
            << destination("reviews", 0, "v2")
            << std::string("outbound|9080|v2|reviews.default.svc.cluster.local") << true << 3
            << QStringLiteral("consistent hash (RING_HASH) on header x-user (subset policy)");
        QTest::newRow("subset only in a later rule exists, no pods")
            << destination("reviews", 0, "v3")
            << std::string("outbound|9080|v3|reviews.default.svc.cluster.local") << true << 0 << QString();
        QTest::newRow("undefined subset")
            << destination("reviews", 0, "v9")
            << std::string("outbound|9080|v9|reviews.default.svc.cluster.local") << false << 0
            << QStringLiteral("no DestinationRule defines subset v9");
        QTest::newRow("service without selector has one endpoint")
            << destination("headless") << std::string("outbound|8080||headless.default.svc.cluster.local")
            << true << 1 << QString();
        QTest::newRow("service entry endpoints")
            << destination("api.payments.example") << std::string("outbound|443||api.payments.example")
            << true << 2 << QString();
    }
    void resolve() {
        QFETCH(sluice::model::Destination, dest);
        QFETCH(std::string, cluster);
        QFETCH(bool, exists);
        QFETCH(int, endpoints);
        QFETCH(QString, policy);
        const auto resources = load(kWorld);
        // The gateway's namespace sees its own rule for multi first; default's private rule not at all.
        const DestinationResolver resolver(resources, "istio-system");
        const WeightedDestination d = resolver.resolve(dest, "default", 80);
        QCOMPARE(d.destination.cluster, cluster);
        QCOMPARE(d.clusterExists, exists);
        QCOMPARE(static_cast<int>(d.endpoints), endpoints);
        QVERIFY2(QString::fromStdString(d.policy).contains(policy), d.policy.c_str());
    }

    void portLevelSettingsReplaceTheTopLevelPolicy() {
        const auto resources = load(kWorld);
        const DestinationResolver resolver(resources, "istio-system");
        const auto plain = resolver.resolve(destination("multi", 80), "default", 80);
        QVERIFY2(plain.policy.find("LEAST_REQUEST") != std::string::npos, plain.policy.c_str());
        const auto grpc = resolver.resolve(destination("multi", 9090), "default", 80);
        QVERIFY2(grpc.policy.find("RANDOM") != std::string::npos, grpc.policy.c_str());
    }

    void clientNamespaceDecidesVisibility() {
        const auto resources = load(kWorld);
        const DestinationResolver inDefault(resources, "default");
        QVERIFY2(inDefault.resolve(destination("multi"), "default", 80).policy.find("ROUND_ROBIN") !=
                     std::string::npos,
                 "a caller in default sees its own namespace's rule first");
    }

    void meshPortsAndSubsets() {
        const auto resources = load(kWorld);
        const DestinationResolver resolver(resources, "");
        const auto ports = resolver.meshPorts();
        QVERIFY(std::any_of(ports.begin(), ports.end(), [](const auto& p) {
            return p.host == "api.payments.example" && p.port == 443 && p.external;
        }));
        QVERIFY(std::any_of(ports.begin(), ports.end(), [](const auto& p) {
            return p.host == "multi.default.svc.cluster.local" && p.port == 9090 && !p.external;
        }));
        QCOMPARE(resolver.subsetNames("reviews.default.svc.cluster.local"),
                 (std::vector<std::string>{"v1", "v2", "v3"}));
        QVERIFY(resolver.subsetNames("ghost.default.svc.cluster.local").empty());
    }
};

QTEST_GUILESS_MAIN(DestinationResolverTest)
#include "destination_resolver_test.moc"
