// SPDX-License-Identifier: Apache-2.0
#include "rule_test_support.h"
#include "validate/rules.h"

#include <QTest>

using sluice::model::Level;

namespace {

/// A ServiceEntry named `se` in namespace default; `rest` starts at line 5 (usually with `spec:`).
std::string se(const char* rest) {
    return std::string("apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\n") +
           rest;
}

} // namespace

class ServiceEntryRulesTest : public QObject {
    Q_OBJECT

private slots:
    void rules_data() {
        sluice::test::addRuleColumns();
        const QString error = QStringLiteral("IST0106"), warning = QStringLiteral("IST0133"), none;

        QTest::newRow("valid: DNS with TCP port and auto-allocated address") << se(R"(spec:
  hosts: [api.example.com, "*.cdn.example.com"]
  location: MESH_EXTERNAL
  resolution: DNS
  endpoints: [{address: lb.example.com, ports: {https: 8443}}]
  ports:
  - {number: 443, name: https, protocol: HTTPS, targetPort: 8443}
  - {number: 8080, name: http, protocol: http}
  exportTo: ["~"]
)") << none << Level::Error << 0 << QString();
        QTest::newRow("valid: STATIC endpoints and a unix socket") << se(R"(spec:
  hosts: [db.internal]
  addresses: [10.1.0.0/16]
  resolution: STATIC
  ports: [{number: 5432, name: tcp-db, protocol: TCP}]
  endpoints:
  - address: 10.1.2.3
    ports: {tcp-db: 15432}
    labels: {version: v1}
  - address: unix:///var/run/db.sock
)") << none << Level::Error << 0 << QString();
        QTest::newRow("no spec") << se("") << error << Level::Error << 1 << "spec is required";
        QTest::newRow("no hosts") << se("spec: {}\n") << error << Level::Error << 5
                                  << "service entry must have at least one host";
        QTest::newRow("wildcard host")
            << se("spec:\n  hosts: [\"*\"]\n") << error << Level::Error << 6 << "invalid host *";
        QTest::newRow("partial wildcard host")
            << se("spec:\n  hosts: [\"*x\"]\n") << warning << Level::Warning << 6
            << "partial wildcard \"*x\" not allowed";
        QTest::newRow("invalid host") << se("spec:\n  hosts: [bad_host.example.com]\n") << error
                                      << Level::Error << 6 << "domain name \"bad_host.example.com\" invalid";
        QTest::newRow("invalid CIDR") << se("spec:\n  hosts: [a.example.com]\n  addresses: [1.2.3.4/99]\n")
                                      << error << Level::Error << 7 << "1.2.3.4/99 is not a valid CIDR block";
        QTest::newRow("invalid address") << se("spec:\n  hosts: [a.example.com]\n  addresses: [1.2.3]\n")
                                         << error << Level::Error << 7 << "1.2.3 is not a valid IP";
        QTest::newRow("CIDR with DNS resolution")
            << se("spec:\n  hosts: [a.example.com]\n  addresses: [1.2.3.0/24]\n  resolution: DNS\n") << error
            << Level::Error << 8 << "CIDR addresses are allowed only for NONE/STATIC resolution types";
        QTest::newRow("duplicate port name") << se(R"(spec:
  hosts: [a.example.com]
  resolution: DNS
  ports:
  - {number: 80, name: web, protocol: HTTP}
  - {number: 81, name: web, protocol: HTTP}
)") << error << Level::Error << 10 << "service entry port name \"web\" already defined";
        QTest::newRow("duplicate port number") << se(R"(spec:
  hosts: [a.example.com]
  resolution: DNS
  ports:
  - {number: 80, name: a, protocol: HTTP}
  - {number: 80, name: b, protocol: HTTP}
)") << error << Level::Error << 10 << "service entry port 80 already defined";
        QTest::newRow("target port out of range")
            << se("spec:\n  hosts: [a.example.com]\n  resolution: DNS\n  ports:\n"
                  "  - {number: 80, name: a, protocol: HTTP, targetPort: 99999}\n")
            << error << Level::Error << 9 << "port number 99999 must be in the range 1..65535";
        QTest::newRow("port number zero")
            << se("spec:\n  hosts: [a.example.com]\n  resolution: DNS\n  ports:\n  - {number: 0, name: a, "
                  "protocol: HTTP}\n")
            << error << Level::Error << 9 << "port number 0 must be in the range 1..65535";
        QTest::newRow("invalid port name")
            << se("spec:\n  hosts: [a.example.com]\n  resolution: DNS\n  ports:\n"
                  "  - {number: 80, name: Web_1, protocol: HTTP}\n")
            << error << Level::Error << 9 << "invalid port name: Web_1";
        QTest::newRow("unknown protocol") << se("spec:\n  hosts: [a.example.com]\n  resolution: DNS\n  "
                                                "ports:\n  - {number: 80, name: a, protocol: FOO}\n")
                                          << error << Level::Error << 9 << "unsupported protocol: FOO";
        QTest::newRow("TCP port without addresses")
            << se("spec:\n  hosts: [a.example.com]\n  ports:\n  - {number: 5432, name: db, protocol: TCP}\n")
            << warning << Level::Warning << 8
            << "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is "
               "not enabled";
        QTest::newRow("TCP port with auto-allocation opted out")
            << std::string(R"(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: se
  labels: {networking.istio.io/enable-autoallocate-ip: "False"}
spec:
  hosts: [a.example.com]
  resolution: DNS
  ports:
  - {number: 5432, name: db}
)") << warning
            << Level::Warning << 10 << "addresses are required for ports serving TCP";
        QTest::newRow("NONE with endpoints")
            << se("spec:\n  hosts: [a.example.com]\n  endpoints:\n  - address: 1.2.3.4\n") << error
            << Level::Error << 8 << "no endpoints should be provided for resolution type none";
        QTest::newRow("NONE with workload selector")
            << se("spec:\n  hosts: [a.example.com]\n  workloadSelector: {labels: {app: db}}\n") << warning
            << Level::Warning << 1 << "workloadSelector should not be set when resolution mode is NONE";
        QTest::newRow("STATIC endpoint with a host name")
            << se("spec:\n  hosts: [a.example.com]\n  resolution: STATIC\n  endpoints:\n  - address: "
                  "db.example.com\n")
            << error << Level::Error << 9 << "endpoint address \"db.example.com\" is not a valid IP address";
        QTest::newRow("STATIC endpoint without address")
            << se("spec:\n  hosts: [a.example.com]\n  resolution: STATIC\n  endpoints:\n  - labels: {app: "
                  "db}\n")
            << error << Level::Error << 9 << "address is required";
        QTest::newRow("STATIC unix endpoint with ports") << se(R"(spec:
  hosts: [a.example.com]
  resolution: STATIC
  ports: [{number: 80, name: http, protocol: HTTP}]
  endpoints:
  - address: unix:///var/run/a.sock
    ports: {http: 8080}
)") << error << Level::Error << 10 << "unix endpoint unix:///var/run/a.sock must not include ports";
        QTest::newRow("unix endpoint needs exactly one service port") << se(R"(spec:
  hosts: [a.example.com]
  resolution: STATIC
  ports: [{number: 80, name: http, protocol: HTTP}, {number: 81, name: admin, protocol: HTTP}]
  endpoints:
  - address: unix:///var/run/a.sock
)") << error << Level::Error << 10 << "exactly 1 service port required for unix endpoints";
        QTest::newRow("endpoint with a network but no address")
            << se("spec:\n  hosts: [a.example.com]\n  resolution: STATIC\n  endpoints:\n  - network: west\n")
            << warning << Level::Warning << 9 << "address is unset with network \"west\"";
        QTest::newRow("endpoint label invalid") << se(R"(spec:
  hosts: [a.example.com]
  resolution: STATIC
  endpoints:
  - address: 1.2.3.4
    labels:
      version: "v1 beta"
)") << error << Level::Error << 11 << "invalid tag value: \"v1 beta\"";
        QTest::newRow("endpoint port not declared") << se(R"(spec:
  hosts: [a.example.com]
  resolution: STATIC
  ports: [{number: 80, name: http, protocol: HTTP}]
  endpoints:
  - address: 1.2.3.4
    ports:
      grpc: 9000
)") << error << Level::Error << 12 << "endpoint port 9000 is not defined by the service entry";
        QTest::newRow("DNS wildcard host without endpoints")
            << se("spec:\n  hosts: [\"*.example.com\"]\n  resolution: DNS\n") << error << Level::Error << 6
            << "hosts must be FQDN if no endpoints are provided for resolution mode DNS";
        QTest::newRow("DNS_ROUND_ROBIN with two endpoints")
            << se(R"(spec:
  hosts: [a.example.com]
  resolution: DNS_ROUND_ROBIN
  endpoints:
  - address: sub1.example.com
  - address: sub2.example.com
)") << error << Level::Error
            << 10 << "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN";
        QTest::newRow("DNS endpoint address invalid")
            << se("spec:\n  hosts: [a.example.com]\n  resolution: DNS\n  endpoints:\n  - address: bad_addr\n")
            << error << Level::Error << 9
            << "endpoint address \"bad_addr\" is not a valid FQDN or an IP address";
        QTest::newRow("several hosts on a TCP port") << se(R"(spec:
  hosts: [a.example.com, b.example.com]
  resolution: DNS
  ports:
  - {number: 5432, name: db, protocol: TCP}
)") << error << Level::Error << 9 << "multiple hosts provided with non-HTTP, non-TLS ports";
        QTest::newRow("several hosts with address and TCP port")
            << se(R"(spec:
  hosts: [a.example.com, b.example.com]
  addresses: [10.0.0.1]
  resolution: DNS
  ports:
  - {number: 443, name: tls, protocol: TLS}
)") << warning
            << Level::Warning << 6
            << "service entry can not have more than one host specified simultaneously";
        QTest::newRow("selector with wildcard")
            << se("spec:\n  hosts: [a.example.com]\n  workloadSelector:\n    labels:\n      app: \"*\"\n")
            << error << Level::Error << 9 << "wildcard is not supported in selector: \"app=*\"";
        QTest::newRow("selector and endpoints") << se(R"(spec:
  hosts: [a.example.com]
  resolution: STATIC
  workloadSelector: {labels: {app: db}}
  endpoints:
  - address: 1.2.3.4
)") << error << Level::Error << 10 << "only one of WorkloadSelector or Endpoints is allowed in Service Entry";
        QTest::newRow("selector without labels")
            << se("spec:\n  hosts: [a.example.com]\n  resolution: STATIC\n  workloadSelector: {}\n")
            << warning << Level::Warning << 1 << "service entry: workload selector specified without labels";
        QTest::newRow("exported to no one and someone")
            << se("spec:\n  hosts: [a.example.com]\n  resolution: DNS\n  exportTo: [\"~\", other]\n") << error
            << Level::Error << 8 << "cannot export service entry to no one (~) and someone";
    }

    void rules() {
        sluice::test::checkRuleRow(
            [](const sluice::model::ResourceSet& r) -> const auto& { return r.serviceEntries; },
            sluice::validate::checkServiceEntrySchema);
    }
};

QTEST_GUILESS_MAIN(ServiceEntryRulesTest)
#include "service_entry_rules_test.moc"
