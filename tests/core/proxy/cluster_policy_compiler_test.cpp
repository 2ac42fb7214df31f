// SPDX-License-Identifier: Apache-2.0
// DestinationRule traffic policies as Istio hands them to Envoy, cluster by cluster: defaults,
// port-level settings replacing the top level, subsets overriding it, and each block's mapping.

#include "config/loader.h"
#include "proxy/cluster_policy_compiler.h"

#include <QTest>

using namespace sluice::proxy;
using namespace std::chrono_literals;

namespace {

const char* kService = R"(apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}, {name: admin, port: 9090}]
---
)";

ClusterPolicies compile(const std::string& destinationRule) {
    sluice::config::LoadResult loaded;
    sluice::config::loadText("in.yaml", kService + destinationRule, loaded);
    return ClusterPolicyCompiler::compile(loaded.resources);
}

const ClusterPolicy& policy(const ClusterPolicies& all, const std::string& cluster) {
    const auto it = all.find(cluster);
    if (it == all.end())
        qFatal("no cluster %s", cluster.c_str());
    return it->second;
}

constexpr const char* k9080 = "outbound|9080||reviews.default.svc.cluster.local";
constexpr const char* k9090 = "outbound|9090||reviews.default.svc.cluster.local";
constexpr const char* kV2 = "outbound|9080|v2|reviews.default.svc.cluster.local";
constexpr const char* kV2Admin = "outbound|9090|v2|reviews.default.svc.cluster.local";

} // namespace

class ClusterPolicyCompilerTest : public QObject {
    Q_OBJECT

private slots:
    // No DestinationRule: least request (Istio's default since 1.14), no limits, no ejection.
    void defaults() {
        const auto all = compile("");
        const ClusterPolicy& p = policy(all, k9080);
        QCOMPARE(p.lb, LbPolicy::LeastRequest);
        QCOMPARE(p.pool.maxConnections, kUnlimited);
        QCOMPARE(p.pool.connectTimeout, 10'000ms);
        QCOMPARE(p.pool.idleTimeout, 3'600'000ms);
        QVERIFY(!p.outlier.enabled);
    }

    void loadBalancers_data() {
        QTest::addColumn<QString>("lb");
        QTest::addColumn<int>("expected");
        QTest::addColumn<int>("source");
        QTest::addColumn<QString>("name");
        QTest::newRow("ROUND_ROBIN") << "{simple: ROUND_ROBIN}" << int(LbPolicy::RoundRobin) << 0 << "";
        QTest::newRow("LEAST_CONN is least request")
            << "{simple: LEAST_CONN}" << int(LbPolicy::LeastRequest) << 0 << "";
        QTest::newRow("RANDOM") << "{simple: RANDOM}" << int(LbPolicy::Random) << 0 << "";
        QTest::newRow("header hash: ring hash by default")
            << "{consistentHash: {httpHeaderName: X-User}}" << int(LbPolicy::RingHash)
            << int(HashPolicy::Source::Header) << "x-user";
        QTest::newRow("maglev on a query parameter")
            << "{consistentHash: {httpQueryParameterName: s, maglev: {tableSize: 1009}}}"
            << int(LbPolicy::Maglev) << int(HashPolicy::Source::QueryParameter) << "s";
        QTest::newRow("source IP") << "{consistentHash: {useSourceIp: true}}" << int(LbPolicy::RingHash)
                                   << int(HashPolicy::Source::SourceIp) << "";
    }

    void loadBalancers() {
        QFETCH(QString, lb);
        QFETCH(int, expected);
        QFETCH(int, source);
        QFETCH(QString, name);
        const auto all =
            compile("apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r}\n"
                    "spec:\n  host: reviews\n  trafficPolicy:\n    loadBalancer: " +
                    lb.toStdString() + "\n");
        const ClusterPolicy& p = policy(all, k9080);
        QCOMPARE(int(p.lb), expected);
        QCOMPARE(int(p.hash.source), source);
        QCOMPARE(QString::fromStdString(p.hash.name), name);
    }

    void ringAndCookieSettings() {
        const auto all = compile(R"(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r}
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      consistentHash:
        httpCookie: {name: user, path: /, ttl: 90s}
        ringHash: {minimumRingSize: 4096}
)");
        const ClusterPolicy& p = policy(all, k9080);
        QCOMPARE(p.lb, LbPolicy::RingHash);
        QCOMPARE(p.minimumRingSize, std::uint64_t(4096));
        QCOMPARE(p.hash.source, HashPolicy::Source::Cookie);
        QCOMPARE(p.hash.cookiePath, std::string("/"));
        QCOMPARE(p.hash.cookieTtl, std::optional<std::chrono::seconds>(90s));
    }

    // Every block maps to Envoy's field; outlier detection keeps Envoy's defaults for the rest.
    void connectionPoolAndOutlierDetection() {
        const auto all = compile(R"(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r}
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1, connectTimeout: 250ms}
      http: {http1MaxPendingRequests: 2, http2MaxRequests: 3, maxRequestsPerConnection: 4, maxRetries: 5, idleTimeout: 30s}
    outlierDetection:
      consecutiveGatewayErrors: 2
      interval: 5s
      baseEjectionTime: 400s
      maxEjectionPercent: 50
      minHealthPercent: 20
)");
        const ClusterPolicy& p = policy(all, k9080);
        QCOMPARE(p.pool.maxConnections, 1u);
        QCOMPARE(p.pool.connectTimeout, 250ms);
        QCOMPARE(p.pool.maxPendingRequests, 2u);
        QCOMPARE(p.pool.maxRequests, 3u);
        QCOMPARE(p.pool.maxRequestsPerConnection, 4u);
        QCOMPARE(p.pool.maxRetries, 5u);
        QCOMPARE(p.pool.idleTimeout, 30'000ms);
        QVERIFY(p.outlier.enabled);
        QCOMPARE(p.outlier.consecutive5xx, 5u); // Envoy's default, enforced
        QVERIFY(p.outlier.enforce5xx);
        QCOMPARE(p.outlier.consecutiveGatewayErrors, 2u);
        QVERIFY(p.outlier.enforceGatewayErrors);
        QCOMPARE(p.outlier.interval, 5'000ms);
        QCOMPARE(p.outlier.baseEjectionTime, 400'000ms);
        QCOMPARE(p.outlier.maxEjectionTime, 400'000ms); // max(300 s, base)
        QCOMPARE(p.outlier.maxEjectionPercent, 50u);
        QCOMPARE(p.outlier.minHealthPercent, 20u);
    }

    // Istio's MergeTrafficPolicy: the top level's port-level entry replaces all its blocks for
    // that port; a subset overrides the blocks it sets; a subset's port-level entry replaces all.
    void mergesAsIstio() {
        const auto all = compile(R"(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r}
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: {simple: ROUND_ROBIN}
    connectionPool: {tcp: {maxConnections: 7}}
    portLevelSettings:
    - port: {number: 9090}
      loadBalancer: {simple: RANDOM}
  subsets:
  - name: v2
    labels: {version: v2}
    trafficPolicy:
      loadBalancer: {consistentHash: {httpHeaderName: end-user}}
      portLevelSettings:
      - port: {number: 9090}
        outlierDetection: {consecutive5xxErrors: 1}
)");
        QCOMPARE(policy(all, k9080).lb, LbPolicy::RoundRobin);
        QCOMPARE(policy(all, k9080).pool.maxConnections, 7u);
        QCOMPARE(policy(all, k9090).lb, LbPolicy::Random);            // port level replaces...
        QCOMPARE(policy(all, k9090).pool.maxConnections, kUnlimited); // ...every block
        QCOMPARE(policy(all, kV2).lb, LbPolicy::RingHash);            // the subset's balancer
        QCOMPARE(policy(all, kV2).pool.maxConnections, 7u);           // inherited from the top
        QCOMPARE(policy(all, kV2Admin).lb, LbPolicy::LeastRequest);   // subset port level: defaults
        QVERIFY(policy(all, kV2Admin).outlier.enabled);
        QCOMPARE(policy(all, kV2Admin).outlier.consecutive5xx, 1u);
    }
};

QTEST_GUILESS_MAIN(ClusterPolicyCompilerTest)
#include "cluster_policy_compiler_test.moc"
