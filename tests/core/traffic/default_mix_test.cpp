// SPDX-License-Identifier: Apache-2.0
// The default request mix: one request per HTTP rule of the gateway that the routing engine takes
// back to that rule.

#include "config/loader.h"
#include "routing/route_table.h"
#include "traffic/default_mix.h"

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;

namespace {

struct Built {
    config::LoadResult loaded;
    RequestMix mix;
};

Built build(const std::vector<std::string>& samples, const std::string& yaml = {}) {
    Built b;
    std::vector<std::string> paths;
    for (const auto& s : samples)
        paths.push_back(std::string(SLUICE_SOURCE_DIR "/samples/") + s);
    if (!paths.empty())
        b.loaded = config::loadPaths(paths);
    if (!yaml.empty())
        config::loadText("mix.yaml", yaml, b.loaded);
    const auto table = routing::compile(b.loaded.resources);
    b.mix = DefaultMix::build(b.loaded.resources, *table);
    return b;
}

const std::string kGateway = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*.example.com"]
  - port: {number: 8081, name: http-alt, protocol: HTTP}
    hosts: [alt.example.com]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
)";

} // namespace

class DefaultMixTest : public QObject {
    Q_OBJECT

private slots:
    // Bookinfo's one rule: its first match, /productpage.
    void bookinfo() {
        const Built b = build({"bookinfo"});
        QCOMPARE(b.mix.size(), std::size_t(1));
        const RequestTemplate& t = b.mix.at(0);
        QCOMPARE(t.request.authority, std::string("bookinfo.example.com"));
        QCOMPARE(t.request.target, std::string("/productpage"));
        QCOMPARE(t.request.method, std::string("GET"));
        QCOMPARE(t.request.port, 80u);
        QVERIFY(!t.request.tls);
        QCOMPARE(t.label, std::string("GET http://bookinfo.example.com/productpage"));
        QCOMPARE(b.mix.share(0), 1.0);
    }

    // Header-based rules get the header value (exact or prefix); equal weights.
    void headerRouting() {
        const Built b = build({"header-routing"});
        QCOMPARE(b.mix.size(), std::size_t(3));
        QCOMPARE(b.mix.at(0).request.headers,
                 (std::vector<std::pair<std::string, std::string>>{{"end-user", "jason"}}));
        QCOMPARE(b.mix.at(1).request.headers,
                 (std::vector<std::pair<std::string, std::string>>{{"end-user", "qa-"}}));
        QVERIFY(b.mix.at(2).request.headers.empty());
        QCOMPARE(b.mix.at(0).label, std::string("GET http://reviews.example.com/ [end-user: jason]"));
        QVERIFY(std::abs(b.mix.share(1) - 1.0 / 3.0) < 1e-12);
    }

    // A wildcard host gets a name under it; method, query and another port are honoured; a rule
    // only a regex reaches gets no request; a rule shadowed by an earlier one neither.
    void matchesBecomeRequests() {
        const Built b = build({}, kGateway + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: ["*.example.com"]
  gateways: [istio-system/gw]
  http:
  - match: [{uri: {regex: "/v[0-9]+/.*"}}]
    route: [{destination: {host: web}}]
  - match: [{method: {exact: POST}, uri: {exact: /orders}, queryParams: {dry: {exact: "1"}}}]
    route: [{destination: {host: web}}]
  - match: [{uri: {prefix: /orders}}]
    route: [{destination: {host: web}}]
  - match: [{uri: {exact: /orders/x}}]
    route: [{destination: {host: web}}]
  - match: [{port: 8081}]
    route: [{destination: {host: web}}]
)");
        std::vector<std::string> labels;
        for (const auto& t : b.mix.templates())
            labels.push_back(t.label);
        QCOMPARE(labels, (std::vector<std::string>{"POST http://www.example.com/orders?dry=1",
                                                   "GET http://www.example.com/orders",
                                                   "GET http://alt.example.com:8081/"}));
    }

    // No VirtualService: a single GET / to the gateway's first host (it answers 404).
    void fallbackToTheGatewayHost() {
        const Built b = build({}, kGateway);
        QCOMPARE(b.mix.size(), std::size_t(1));
        QCOMPARE(b.mix.at(0).request.authority, std::string("www.example.com"));
        QCOMPARE(b.mix.at(0).request.target, std::string("/"));
    }

    // Nothing listens: nothing to send.
    void noGateway() {
        const Built b = build({}, R"(apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
)");
        QVERIFY(b.mix.empty());
    }

    // Picks follow the weights.
    void pickFollowsWeights() {
        RequestMix mix;
        mix.add({{}, 3, "a"});
        mix.add({{}, 1, "b"});
        mix.add({{}, 0, "never"});
        mix.add({{}, -1, "never"});
        QCOMPARE(mix.size(), std::size_t(2));
        routing::Rng rng(9);
        int a = 0;
        for (int i = 0; i < 40000; ++i)
            a += mix.pick(rng) == 0;
        QVERIFY2(std::abs(a / 40000.0 - 0.75) < 0.01, std::to_string(a).c_str());
    }
};

QTEST_GUILESS_MAIN(DefaultMixTest)
#include "default_mix_test.moc"
