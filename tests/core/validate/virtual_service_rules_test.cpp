// SPDX-License-Identifier: Apache-2.0
// VirtualService-level rules (VALIDATION_NOTES.md §2.2 V1-V7, V23 and the TLS/TCP routes): one
// passing and one failing row per rule, each failing row pinned to code, level and line.
// vsDoc() puts the first spec line at file line 6.

#include "vs_test_support.h"

using namespace sluice;
using sluice::test::addVsRow;
using sluice::test::vsDoc;

namespace {

// A valid HTTP rule, appended where a case needs one to be complete.
const std::string kRoute = R"(  http:
  - route:
    - destination:
        host: shop
)";

} // namespace

class VirtualServiceRulesTest : public QObject {
    Q_OBJECT

private slots:
    void delegates_data() {
        test::addVsColumns();
        addVsRow("delegate without gateways, tls or tcp", vsDoc(kRoute));
        addVsRow("delegate with gateways", vsDoc(R"(
  gateways:
  - edge
)" + kRoute),
                 "IST0106", "Error", 7, "delegate virtual service must have no gateways specified");
        addVsRow("delegate with tcp", vsDoc(R"(
  tcp:
  - route:
    - destination:
        host: db
)"),
                 "IST0106", "Error", 7, "delegate virtual service must have no tcp route specified");
        addVsRow("delegate with tls", vsDoc(R"(
  tls:
  - match:
    - sniHosts:
      - db.example.com
    route:
    - destination:
        host: db
)"),
                 "IST0106", "Error", 7, "delegate virtual service must have no tls route specified");
    }
    void delegates() { test::verifyVsRow(); }

    void gatewayNames_data() {
        test::addVsColumns();
        addVsRow("namespace/name and mesh", vsDoc(R"(
  hosts:
  - shop.example.com
  gateways:
  - istio-system/edge
  - mesh
)" + kRoute));
        addVsRow("invalid gateway name", vsDoc(R"(
  hosts:
  - shop.example.com
  gateways:
  - istio-system/edge_gw
)" + kRoute),
                 "IST0106", "Error", 9, R"(invalid value for gateway name: "edge_gw")");
        addVsRow("empty namespace", vsDoc(R"(
  hosts:
  - shop.example.com
  gateways:
  - /edge
)" + kRoute),
                 "IST0106", "Error", 9, "config namespace and gateway name cannot be empty");
        addVsRow("legacy dotted name warns", vsDoc(R"(
  hosts:
  - shop.example.com
  gateways:
  - edge.istio-system
)" + kRoute),
                 "IST0133", "Warning", 9, R"(prefer the <namespace>/<name> format: "istio-system/edge")");
        // Istio's validateGatewayNames returns after the first name without `/`.
        addVsRow("names after a short name are not checked", vsDoc(R"(
  hosts:
  - shop.example.com
  gateways:
  - edge
  - bad/edge_gw
)" + kRoute));
    }
    void gatewayNames() { test::verifyVsRow(); }

    void hosts_data() {
        test::addVsColumns();
        addVsRow("fqdn, wildcard-prefixed label and IP", vsDoc(R"(
  hosts:
  - shop.example.com
  - "*-api.example.org"
  - 10.0.0.1
)" + kRoute));
        addVsRow("underscore in a label", vsDoc(R"(
  hosts:
  - cart_api.example.com
)" + kRoute),
                 "IST0106", "Error", 7,
                 R"(domain name "cart_api.example.com" invalid (label "cart_api" invalid))");
        addVsRow("partial wildcard not in first label", vsDoc(R"(
  hosts:
  - shop.*.example.com
)" + kRoute),
                 "IST0106", "Error", 7, R"(label "*" invalid)");
        addVsRow("outbound_ SNI host on a gateway", vsDoc(R"(
  hosts:
  - outbound_.80_._.shop.example.com
  gateways:
  - edge
  tls:
  - match:
    - sniHosts:
      - outbound_.80_._.shop.example.com
    route:
    - destination:
        host: shop
)"));
        addVsRow("outbound_ host without SNI routes", vsDoc(R"(
  hosts:
  - outbound_.80_._.shop.example.com
  gateways:
  - edge
)" + kRoute),
                 "IST0106", "Error", 7, R"(label "outbound_" invalid)");
    }
    void hosts() { test::verifyVsRow(); }

    void meshWildcard_data() {
        test::addVsColumns();
        addVsRow("* on a gateway-only VirtualService", vsDoc(R"(
  hosts:
  - "*"
  gateways:
  - edge
)" + kRoute));
        addVsRow("* without gateways (mesh)", vsDoc(R"(
  hosts:
  - "*"
)" + kRoute),
                 "IST0106", "Error", 7,
                 "wildcard host * is not allowed for virtual services bound to the mesh gateway");
        addVsRow("* with mesh listed", vsDoc(R"(
  hosts:
  - "*"
  gateways:
  - edge
  - mesh
)" + kRoute),
                 "IST0106", "Error", 7, "wildcard host * is not allowed");
    }
    void meshWildcard() { test::verifyVsRow(); }

    void duplicateHosts_data() {
        test::addVsColumns();
        addVsRow("distinct hosts", vsDoc(R"(
  hosts:
  - shop.example.com
  - api.example.com
)" + kRoute));
        addVsRow("wildcard covers a later host", vsDoc(R"(
  hosts:
  - "*.example.com"
  - shop.example.com
)" + kRoute),
                 "IST0106", "Error", 8,
                 "duplicate hosts in virtual service: *.example.com & shop.example.com");
    }
    void duplicateHosts() { test::verifyVsRow(); }

    void routesRequired_data() {
        test::addVsColumns();
        addVsRow("with an http rule", vsDoc("  hosts:\n  - shop\n" + kRoute));
        addVsRow("no http, tcp or tls", vsDoc(R"(
  hosts:
  - shop
)"),
                 "IST0106", "Error", 6, "http, tcp or tls must be provided in virtual service");
    }
    void routesRequired() { test::verifyVsRow(); }

    void jwtClaimRouting_data() {
        test::addVsColumns();
        const std::string rule = R"(  http:
  - match:
    - headers:
        "@request.auth.claims.group":
          exact: admin
    route:
    - destination:
        host: shop
)";
        addVsRow("claim match on a gateway",
                 vsDoc("  hosts:\n  - shop.example.com\n  gateways:\n  - edge\n" + rule));
        addVsRow("claim match on the mesh", vsDoc("  hosts:\n  - shop.example.com\n" + rule), "IST0106",
                 "Error", 12,
                 "JWT claim based routing (key: @request.auth.claims.group) is only supported for gateway, "
                 "found no "
                 "gateways: []");
    }
    void jwtClaimRouting() { test::verifyVsRow(); }

    void exportTo_data() {
        test::addVsColumns();
        addVsRow("own namespace and another",
                 vsDoc("  hosts:\n  - shop\n  exportTo:\n  - .\n  - team-a\n" + kRoute));
        addVsRow(". after the namespace itself",
                 vsDoc("  hosts:\n  - shop\n  exportTo:\n  - default\n  - .\n" + kRoute), "IST0106", "Error",
                 10, "duplicate entries in exportTo: . and current namespace default");
        addVsRow("* with other entries",
                 vsDoc("  hosts:\n  - shop\n  exportTo:\n  - \"*\"\n  - team-a\n" + kRoute), "IST0106",
                 "Error", 9, "cannot have both public (*) and non-public exportTo values");
        addVsRow("~ is for ServiceEntries only",
                 vsDoc("  hosts:\n  - shop\n  exportTo:\n  - \"~\"\n" + kRoute), "IST0106", "Error", 9,
                 "exportTo ~ (none) is not allowed for Istio configuration objects");
    }
    void exportTo() { test::verifyVsRow(); }

    void tlsRoutes_data() {
        test::addVsColumns();
        const auto tls = [](const std::string& match) {
            return vsDoc("  hosts:\n  - db.example.com\n  tls:\n  - match:\n" + match +
                         "    route:\n    - destination:\n        host: db\n");
        };
        addVsRow("sni host among the hosts",
                 tls("    - port: 443\n      sniHosts:\n      - db.example.com\n"));
        addVsRow("match without SNI hosts", tls("    - port: 443\n"), "IST0106", "Error", 10,
                 "TLS match must have at least one SNI host");
        addVsRow(
            "sni host outside the hosts", tls("    - sniHosts:\n      - api.example.com\n"), "IST0106",
            "Error", 11,
            R"(SNI host "api.example.com" is not a compatible subset of any of the virtual service hosts: [db.example.com])");
        addVsRow("IP as SNI host", tls("    - sniHosts:\n      - 10.1.2.3\n"), "IST0133", "Warning", 11,
                 R"(using an IP address ("10.1.2.3") goes against SNI spec)");
        addVsRow(
            "invalid destination subnet",
            tls("    - sniHosts:\n      - db.example.com\n      destinationSubnets:\n      - 10.0.0.0/40\n"),
            "IST0106", "Error", 13, "10.0.0.0/40 is not a valid CIDR block");
        addVsRow("tls rule without match", vsDoc(R"(
  hosts:
  - db.example.com
  tls:
  - route:
    - destination:
        host: db
)"),
                 "IST0106", "Error", 9, "TLS route must have at least one match condition");
    }
    void tlsRoutes() { test::verifyVsRow(); }

    void tcpRoutes_data() {
        test::addVsColumns();
        addVsRow("port match and route", vsDoc(R"(
  hosts:
  - db
  tcp:
  - match:
    - port: 5432
    route:
    - destination:
        host: db
)"));
        addVsRow("rule without route", vsDoc(R"(
  hosts:
  - db
  tcp:
  - match:
    - port: 5432
)"),
                 "IST0106", "Error", 9, "TCP route is required");
        addVsRow("port out of range", vsDoc(R"(
  hosts:
  - db
  tcp:
  - match:
    - port: 70000
    route:
    - destination:
        host: db
)"),
                 "IST0106", "Error", 10, "port number 70000 must be in the range 1..65535");
        addVsRow("invalid source label value", vsDoc(R"(
  hosts:
  - db
  tcp:
  - match:
    - sourceLabels:
        app: "not a value"
    route:
    - destination:
        host: db
)"),
                 "IST0106", "Error", 11, R"(invalid tag value: "not a value")");
    }
    void tcpRoutes() { test::verifyVsRow(); }
};

QTEST_GUILESS_MAIN(VirtualServiceRulesTest)
#include "virtual_service_rules_test.moc"
