// SPDX-License-Identifier: Apache-2.0
#include "rule_test_support.h"
#include "validate/rules.h"

#include <QTest>

using sluice::model::Level;

namespace {

/// A DestinationRule for host `reviews` in namespace default; `rest` continues the spec from line 7.
std::string dr(const char* rest, const char* host = "reviews") {
    return std::string(
               "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: dr\nspec:\n"
               "  host: ") +
           host + "\n" + rest;
}

} // namespace

class DestinationRuleRulesTest : public QObject {
    Q_OBJECT

private slots:
    void rules_data() {
        sluice::test::addRuleColumns();
        const QString error = QStringLiteral("IST0106"), warning = QStringLiteral("IST0133"), none;

        QTest::newRow("valid: every policy kind") << dr(R"(  trafficPolicy:
    loadBalancer:
      consistentHash:
        httpCookie: {name: user, ttl: 0s, attributes: [{name: SameSite, value: Strict}, {name: Secure}]}
        maglev: {tableSize: 65537}
    connectionPool:
      tcp: {maxConnections: 100, connectTimeout: 30ms, idleTimeout: 0s}
      http: {http2KeepAlive: {interval: 15s, timeout: 5s}, h2UpgradePolicy: UPGRADE}
    outlierDetection: {consecutive5xxErrors: 5, interval: 30s, baseEjectionTime: 30s, maxEjectionPercent: 100}
    tls: {mode: ISTIO_MUTUAL}
    portLevelSettings:
    - port: {number: 80}
      loadBalancer: {simple: LEAST_REQUEST, warmup: {duration: 60s, minimumPercent: 10, aggression: 2}}
  subsets:
  - name: v1
    labels: {version: v1, app.kubernetes.io/name: reviews}
    trafficPolicy: {tunnel: {protocol: CONNECT, targetHost: 10.0.0.1, targetPort: 8080}}
  exportTo: [".", other]
)") << none << Level::Error << 0 << QString();
        QTest::newRow("D1 invalid host")
            << dr("", "bad_host.example.com") << error << Level::Error << 6
            << "domain name \"bad_host.example.com\" invalid (label \"bad_host\" invalid)";
        QTest::newRow("valid: D1 wildcard hosts")
            << dr("", "\"*reviews.example.com\"") << none << Level::Error << 0 << QString();
        QTest::newRow("D2 duplicate subset names") << dr("  subsets:\n  - name: v1\n  - name: v1\n") << error
                                                   << Level::Error << 9 << "duplicate subset names: v1";
        QTest::newRow("D2 subset name not a DNS label")
            << dr("  subsets:\n  - name: release_2\n") << error << Level::Error << 8
            << "subset name is invalid: release_2";
        QTest::newRow("D2 subset without name") << dr("  subsets:\n  - labels: {version: v1}\n") << error
                                                << Level::Error << 8 << "subset name cannot be empty";
        QTest::newRow("D2 bad label value")
            << dr("  subsets:\n  - name: v1\n    labels:\n      version: \"-v1\"\n") << error << Level::Error
            << 10 << "invalid tag value: \"-v1\"";
        QTest::newRow("D2 bad label key") << dr("  subsets:\n  - name: v1\n    labels:\n      \"a b\": x\n")
                                          << error << Level::Error << 10 << "invalid tag key: \"a b\"";
        QTest::newRow("D3 empty traffic policy") << dr("  trafficPolicy: {}\n") << error << Level::Error << 7
                                                 << "traffic policy must have at least one field";
        QTest::newRow("D3 tunnel with proxyProtocol")
            << dr("  trafficPolicy:\n    tunnel: {targetHost: a.example.com, targetPort: 8080}\n"
                  "    proxyProtocol: {version: V2}\n")
            << error << Level::Error << 8 << "tunnel and proxyProtocol must not be set together";
        QTest::newRow("D4 port policy without port")
            << dr("  trafficPolicy:\n    portLevelSettings:\n    - loadBalancer: {simple: RANDOM}\n") << error
            << Level::Error << 9 << "portTrafficPolicy must have valid port";
        QTest::newRow("D4 port policy with nothing but the port")
            << dr("  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 80}\n") << error
            << Level::Error << 9 << "port traffic policy must have at least one field";
        QTest::newRow("D5 ejection percent over 100")
            << dr("  trafficPolicy:\n    outlierDetection:\n      maxEjectionPercent: 150\n") << error
            << Level::Error << 9 << "percentage 150 is not in range 0..100";
        QTest::newRow("D5 local origin failures without split")
            << dr("  trafficPolicy:\n    outlierDetection:\n      consecutiveLocalOriginFailures: 3\n")
            << error << Level::Error << 9
            << "consecutive local origin failures is specified, but split external";
        QTest::newRow("D5 interval below 1ms")
            << dr("  trafficPolicy:\n    outlierDetection:\n      interval: 500us\n") << error << Level::Error
            << 9 << "duration must be greater than 1ms";
        QTest::newRow("D5 duration below ms precision")
            << dr("  trafficPolicy:\n    outlierDetection:\n      baseEjectionTime: 1500us\n") << error
            << Level::Error << 9 << "only durations to ms precision are supported";
        QTest::newRow("D6 empty connection pool")
            << dr("  trafficPolicy:\n    connectionPool: {}\n") << error << Level::Error << 8
            << "connection pool must have at least one field";
        QTest::newRow("D6 negative max retries")
            << dr("  trafficPolicy:\n    connectionPool:\n      http:\n        maxRetries: -1\n") << error
            << Level::Error << 10 << "max retries must be non-negative";
        QTest::newRow("D6 negative max connections")
            << dr("  trafficPolicy:\n    connectionPool:\n      tcp:\n        maxConnections: -1\n") << error
            << Level::Error << 10 << "max connections must be non-negative";
        QTest::newRow("D6 keepalive interval below 1ms")
            << dr("  trafficPolicy:\n    connectionPool:\n      tcp:\n        tcpKeepalive: {interval: "
                  "100us}\n")
            << error << Level::Error << 10 << "duration must be greater than 1ms";
        QTest::newRow("D6 client protocol with UPGRADE")
            << dr("  trafficPolicy:\n    connectionPool:\n      http:\n        h2UpgradePolicy: UPGRADE\n"
                  "        useClientProtocol: true\n")
            << error << Level::Error << 11
            << "use client protocol must not be true when H2UpgradePolicy is UPGRADE";
        QTest::newRow("D6 http2 keepalive without timeout")
            << dr("  trafficPolicy:\n    connectionPool:\n      http:\n        http2KeepAlive: {interval: "
                  "15s}\n")
            << error << Level::Error << 10 << "http2KeepAlive timeout is required";
        QTest::newRow("D6 zero connect timeout")
            << dr("  trafficPolicy:\n    connectionPool:\n      tcp:\n        connectTimeout: 0s\n") << error
            << Level::Error << 10 << "duration must be greater than 1ms";
        QTest::newRow("D7 cookie without name")
            << dr("  trafficPolicy:\n    loadBalancer:\n      consistentHash: {httpCookie: {ttl: 0s}}\n")
            << error << Level::Error << 1 << "name required for HttpCookie";
        QTest::newRow("D7 duplicate cookie attribute")
            << dr("  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        httpCookie:\n         "
                  " name: u\n"
                  "          attributes:\n          - name: Secure\n          - name: Secure\n")
            << error << Level::Error << 14 << "duplicate httpCookie attribute name: Secure";
        QTest::newRow("D7 maglev table size not prime")
            << dr("  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        maglev: {tableSize: "
                  "4}\n")
            << error << Level::Error << 10 << "tableSize must be a prime number for maglev";
        QTest::newRow("D7 maglev table size too large")
            << dr("  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        maglev: {tableSize: "
                  "5000011}\n")
            << error << Level::Error << 10 << "tableSize must be less than 5000011 for maglev";
        QTest::newRow("D7 minimumRingSize with ringHash")
            << dr("  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        minimumRingSize: "
                  "1024\n"
                  "        ringHash: {minimumRingSize: 1024}\n        useSourceIp: true\n")
            << error << Level::Error << 10
            << "only one of MinimumRingSize or Maglev/Ringhash can be specified";
        QTest::newRow("D7 warmup without duration")
            << dr("  trafficPolicy:\n    loadBalancer:\n      warmup: {minimumPercent: 5}\n") << error
            << Level::Error << 9 << "duration is required";
        QTest::newRow("D7 warmup minimum percent over 100")
            << dr("  trafficPolicy:\n    loadBalancer:\n      warmup:\n        duration: 10s\n"
                  "        minimumPercent: 150\n")
            << error << Level::Error << 11 << "minimumPercent value should be less than or equal to 100";
        QTest::newRow("D7 warmup aggression below 1")
            << dr("  trafficPolicy:\n    loadBalancer:\n      warmup:\n        duration: 10s\n        "
                  "aggression: 0.5\n")
            << error << Level::Error << 11 << "aggression should be greater than or equal to 1";
        QTest::newRow("D7 locality weights not summing to 100") << dr(R"(  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 3}
    loadBalancer:
      localityLbSetting:
        distribute:
        - from: us-west/zone1
          to: {"us-west/zone1": 60, "us-west/zone2": 30}
)") << error << Level::Error << 12 << "total locality weight 90 != 100";
        QTest::newRow("D7 locality distribute and failover") << dr(R"(  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 3}
    loadBalancer:
      localityLbSetting:
        distribute: [{from: us-west, to: {us-west: 100}}]
        failover: [{from: us-east, to: eu-west}]
)") << error << Level::Error << 11 << "can not simultaneously specify 'distribute' and 'failover'";
        QTest::newRow("D7 failover without outlier detection") << dr(R"(  trafficPolicy:
    loadBalancer:
      localityLbSetting:
        failover: [{from: us-east, to: eu-west}]
)") << warning << Level::Warning << 10 << "outlier detection policy must be provided for failover";
        QTest::newRow("D7 failover with a topology priority label")
            << dr(R"(  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 3}
    loadBalancer:
      localityLbSetting:
        failover: [{from: us-east, to: eu-west}]
        failoverPriority: [topology.istio.io/network, topology.kubernetes.io/zone]
)") << error << Level::Error
            << 12 << "can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/zone'";
        QTest::newRow("D7 failover within one region") << dr(R"(  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 3}
    loadBalancer:
      localityLbSetting:
        failover:
        - {from: us-east, to: us-east}
)") << error << Level::Error << 12 << "locality lb failover settings must specify different regions";
        QTest::newRow("D7 locality weight out of range") << dr(R"(  trafficPolicy:
    loadBalancer:
      localityLbSetting:
        distribute:
        - {from: us-west, to: {us-west: 0, us-east: 100}}
)") << error << Level::Error << 11 << "locality weight must be in range [1, 100]";
        QTest::newRow("D7 overlapping localities") << dr(R"(  trafficPolicy:
    loadBalancer:
      localityLbSetting:
        distribute:
        - {from: us-west, to: {us-west: 50, us-west/zone1: 50}}
)") << error << Level::Error << 11 << "overlap with previous specified ones";
        QTest::newRow("valid: D7 locality failover with outlier detection") << dr(R"(  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 3}
    loadBalancer:
      localityLbSetting:
        failover: [{from: us-east, to: eu-west}]
        failoverPriority: [topology.istio.io/network]
)") << none << Level::Error << 0 << QString();
        QTest::newRow("D8 MUTUAL without client certificate")
            << dr("  trafficPolicy:\n    tls: {mode: MUTUAL, caCertificates: /ca.pem}\n") << error
            << Level::Error << 8 << "client certificate required for mutual tls";
        QTest::newRow("D8 credentialName with inline certificate")
            << dr("  trafficPolicy:\n    tls:\n      mode: MUTUAL\n      credentialName: client\n"
                  "      clientCertificate: /c.pem\n")
            << error << Level::Error << 10
            << "cannot specify client certificates or CA certificate or CA CRL If credentialName is set";
        QTest::newRow("D8 insecureSkipVerify with CA")
            << dr("  trafficPolicy:\n    tls:\n      mode: SIMPLE\n      caCertificates: /ca.pem\n"
                  "      insecureSkipVerify: true\n")
            << error << Level::Error << 11
            << "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify";
        QTest::newRow("D8 configmap credential in another namespace")
            << dr("  trafficPolicy:\n    tls:\n      mode: SIMPLE\n      credentialName: "
                  "configmap://other/ca\n")
            << error << Level::Error << 10
            << "invalid configmap:// credentialName: namespace must match the configuration namespace "
               "\"default\"";
        QTest::newRow("valid: D8 credentials from the rule's namespace")
            << dr("  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: configmap://default/ca}\n"
                  "    portLevelSettings:\n    - port: {number: 443}\n      tls: {mode: MUTUAL, "
                  "credentialName: c}\n")
            << none << Level::Error << 0 << QString();
        QTest::newRow("D9 exportTo . and own namespace")
            << dr("  exportTo: [default, \".\"]\n") << error << Level::Error << 7
            << "duplicate entries in exportTo: . and current namespace default";
        QTest::newRow("D9 duplicate exportTo entry")
            << dr("  exportTo: [other, other]\n") << error << Level::Error << 7
            << "duplicate entries in exportTo for entry other";
        QTest::newRow("D9 workload selector exported twice")
            << dr("  workloadSelector: {matchLabels: {app: reviews}}\n  exportTo: [., other]\n") << error
            << Level::Error << 8
            << "destination rule with workload selector cannot have multiple entries in exportTo";
        QTest::newRow("D9 exportTo public and more")
            << dr("  exportTo: [\"*\", other]\n") << error << Level::Error << 7
            << "cannot have both public (*) and non-public exportTo";
        QTest::newRow("D9 exportTo none")
            << dr("  exportTo: [\"~\"]\n") << error << Level::Error << 7
            << "exportTo ~ (none) is not allowed for Istio configuration objects";
        QTest::newRow("D9 workload selector exported elsewhere")
            << dr("  workloadSelector: {matchLabels: {app: reviews}}\n  exportTo: [other]\n") << error
            << Level::Error << 8
            << "destination rule with workload selector cannot have exportTo beyond current namespace";
        QTest::newRow("D9 workload selector without labels")
            << dr("  workloadSelector: {}\n") << warning << Level::Warning << 7
            << "workload selector specified without labels";
        QTest::newRow("D9 workload selector wildcard")
            << dr("  workloadSelector:\n    matchLabels:\n      app: \"*\"\n") << error << Level::Error << 9
            << "wildcard is not supported in selector: \"app=*\"";
        QTest::newRow("valid: D9 workload selector kept local")
            << dr("  workloadSelector: {matchLabels: {app: reviews}}\n  exportTo: [.]\n") << none
            << Level::Error << 0 << QString();
        QTest::newRow("D10 tunnel protocol")
            << dr("  trafficPolicy:\n    tunnel:\n      protocol: GET\n      targetHost: a.example.com\n"
                  "      targetPort: 8080\n")
            << error << Level::Error << 9 << "tunnel protocol must be \"CONNECT\" or \"POST\"";
        QTest::newRow("D10 tunnel target host")
            << dr("  trafficPolicy:\n    tunnel:\n      targetHost: bad_host\n      targetPort: 8080\n")
            << error << Level::Error << 9 << "tunnel target host must be valid FQDN or IP address";
        QTest::newRow("D10 tunnel target port missing")
            << dr("  trafficPolicy:\n    tunnel: {targetHost: a.example.com}\n") << error << Level::Error << 1
            << "tunnel target port is invalid: port number 0 must be in the range 1..65535";
    }

    void rules() {
        sluice::test::checkRuleRow(
            [](const sluice::model::ResourceSet& r) -> const auto& { return r.destinationRules; },
            sluice::validate::checkDestinationRuleSchema, "IST0002");
    }
};

QTEST_GUILESS_MAIN(DestinationRuleRulesTest)
#include "destination_rule_rules_test.moc"
