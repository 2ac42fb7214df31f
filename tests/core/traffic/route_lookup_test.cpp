// SPDX-License-Identifier: Apache-2.0
// routeActionOf: from a routing decision back to the route's configured split, on any gateway
// listener, a TLS filter chain, or a sidecar's route config; and ConfiguredWeights built on it.
#include "simulation_fixture.h"
#include "traffic/configured_weights.h"
#include "traffic/route_lookup.h"

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;
using namespace sluice::traffic::test;

namespace {

/// web.example.com on ports 80 and 8080 (two listeners), 70/30 between two subsets.
const std::string kTwoPorts = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web-gateway, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [web.example.com]
  - port: {number: 8080, name: http-alt, protocol: HTTP}
    hosts: [web.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: [web.example.com, web]
  gateways: [web-gateway, mesh]
  http:
  - match: [{uri: {prefix: /api}}]
    route:
    - {destination: {host: web, subset: a}, weight: 70}
    - {destination: {host: web, subset: b}, weight: 30}
  - route:
    - destination: {host: web, subset: a}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: default}
spec:
  host: web
  subsets:
  - {name: a, labels: {version: a}}
  - {name: b, labels: {version: b}}
)";

routing::Decision route(const LoadedConfig& c, std::uint32_t port, const std::string& authority,
                        const std::string& path, bool mesh = false) {
    routing::Request r;
    r.port = port;
    r.authority = authority;
    r.target = path;
    r.mesh = mesh;
    routing::Rng rng(1);
    return c.table->route(r, rng, routing::Explain::No);
}

} // namespace

class RouteLookupTest : public QObject {
    Q_OBJECT

private slots:
    // The weighted rule on either Gateway port: its two destinations, 70 and 30.
    void gatewayListeners() {
        const auto c = fromYaml(kTwoPorts);
        for (const std::uint32_t port : {80u, 8080u}) {
            const routing::Decision d = route(c, port, "web.example.com", "/api/x");
            QCOMPARE(d.outcome, routing::Outcome::Forward);
            const routing::RouteAction* action = routeActionOf(*c.table, d.origin);
            QVERIFY(action);
            QCOMPARE(action->destinations.size(), std::size_t(2));
            QCOMPARE(action->destinations[0].weight, 70u);
            QCOMPARE(action->destinations[1].destination.subset, std::string("b"));
        }
        const routing::Decision other = route(c, 80, "web.example.com", "/");
        const routing::RouteAction* single = routeActionOf(*c.table, other.origin);
        QVERIFY(single);
        QCOMPARE(single->destinations.size(), std::size_t(1));
    }

    // A sidecar's decision is found among the mesh route configs, not the gateway's.
    void meshRouteConfig() {
        const auto c = fromYaml(kTwoPorts);
        const routing::Decision d = route(c, 80, "web", "/api/x", true);
        QCOMPARE(d.outcome, routing::Outcome::Forward);
        const routing::RouteAction* action = routeActionOf(*c.table, d.origin, true);
        QVERIFY(action);
        QCOMPARE(action->destinations.size(), std::size_t(2));
        QVERIFY(!routeActionOf(*c.table, d.origin, false));
    }

    // No route matched: no action.
    void noRoute() {
        const auto c = fromYaml(kTwoPorts);
        const routing::Decision d = route(c, 80, "other.example.com", "/");
        QCOMPARE(d.outcome, routing::Outcome::NoRoute);
        QVERIFY(!routeActionOf(*c.table, d.origin));
    }

    // ConfiguredWeights over both ports: 3 requests on the weighted rule, 1 on the other.
    void configuredWeights() {
        const auto c = fromYaml(kTwoPorts);
        ConfiguredWeights weights(*c.table);
        weights.count(route(c, 80, "web.example.com", "/api/1"));
        weights.count(route(c, 8080, "web.example.com", "/api/2"));
        weights.count(route(c, 80, "web.example.com", "/api/3"));
        weights.count(route(c, 8080, "web.example.com", "/"));
        const auto w = weights.weights();
        QCOMPARE(w.size(), std::size_t(2));
        QCOMPARE(w[0].subset, std::string("a"));
        QVERIFY(std::abs(w[0].percent - (75.0 * 0.7 + 25.0)) < 1e-9);
        QVERIFY(std::abs(w[1].percent - 75.0 * 0.3) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(RouteLookupTest)
#include "route_lookup_test.moc"
