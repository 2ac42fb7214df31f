// SPDX-License-Identifier: Apache-2.0
// FlowGraphBuilder: the flow graph of the samples (exact nodes and edges), grey nodes carrying the
// diagnostic that explains them, weights, default replicas, and the YAML each node comes from.

#include "flow/match_label.h"
#include "flow_test_support.h"

#include <QFile>
#include <QTest>

using namespace sluice;
using test::edgeTexts;
using test::node;
using test::nodeIds;

namespace {

const QString kProductpage = QStringLiteral("outbound|9080||productpage.default.svc.cluster.local");

std::set<QString> ids(std::initializer_list<const char*> list) {
    std::set<QString> out;
    for (const char* s : list)
        out.insert(QString::fromUtf8(s));
    return out;
}

} // namespace

class FlowGraphBuilderTest : public QObject {
    Q_OBJECT

private slots:
    void bookinfo() {
        const auto in = test::sample("bookinfo");
        const auto& g = in.graph;
        QCOMPARE(nodeIds(g, false), ids({
                                        "server:istio-system/bookinfo-gateway#0",
                                        "rule:default/bookinfo/http/0",
                                        "dest:outbound|9080||productpage.default.svc.cluster.local",
                                        "service:productpage.default.svc.cluster.local",
                                        "workload:Deployment:default/productpage-v1",
                                    }));
        QCOMPARE(nodeIds(g, true), ids({
                                       "subset:productpage.default.svc.cluster.local/v1",
                                       "service:details.default.svc.cluster.local",
                                       "service:ratings.default.svc.cluster.local",
                                       "service:reviews.default.svc.cluster.local",
                                       "workload:Deployment:default/details-v1",
                                       "workload:Deployment:default/ratings-v1",
                                       "workload:Deployment:default/reviews-v1",
                                       "workload:Deployment:default/reviews-v2",
                                       "workload:Deployment:default/reviews-v3",
                                   }));
        const std::set<QString> edges{
            QStringLiteral("server:istio-system/bookinfo-gateway#0 -> rule:default/bookinfo/http/0 [prefix "
                           "/productpage | prefix /login | prefix /logout | prefix /api/v1/products]"),
            QStringLiteral("rule:default/bookinfo/http/0 -> dest:") + kProductpage +
                QStringLiteral(" [100%]"),
            QStringLiteral("dest:") + kProductpage +
                QStringLiteral(" -> service:productpage.default.svc.cluster.local"),
            QStringLiteral("subset:productpage.default.svc.cluster.local/v1 -> "
                           "service:productpage.default.svc.cluster.local"),
            QStringLiteral("service:productpage.default.svc.cluster.local -> "
                           "workload:Deployment:default/productpage-v1"),
            QStringLiteral(
                "service:details.default.svc.cluster.local -> workload:Deployment:default/details-v1"),
            QStringLiteral(
                "service:ratings.default.svc.cluster.local -> workload:Deployment:default/ratings-v1"),
            QStringLiteral(
                "service:reviews.default.svc.cluster.local -> workload:Deployment:default/reviews-v1"),
            QStringLiteral(
                "service:reviews.default.svc.cluster.local -> workload:Deployment:default/reviews-v2"),
            QStringLiteral(
                "service:reviews.default.svc.cluster.local -> workload:Deployment:default/reviews-v3"),
            // Bookinfo's calls (workloads.yaml), back from the workloads to the Services they call.
            QStringLiteral("workload:Deployment:default/productpage-v1 -> "
                           "service:details.default.svc.cluster.local [calls :9080 /details/0]"),
            QStringLiteral("workload:Deployment:default/productpage-v1 -> "
                           "service:reviews.default.svc.cluster.local [calls :9080 /reviews/0]"),
            QStringLiteral("workload:Deployment:default/reviews-v2 -> "
                           "service:ratings.default.svc.cluster.local [calls :9080 /ratings/0]"),
            QStringLiteral("workload:Deployment:default/reviews-v3 -> "
                           "service:ratings.default.svc.cluster.local [calls :9080 /ratings/0]"),
        };
        QCOMPARE(edgeTexts(g), edges);
        std::size_t mesh = 0;
        for (const auto& e : g.edges()) {
            const bool fromWorkload = g.nodes()[e.from].kind == flow::NodeKind::Workload;
            QCOMPARE(e.kind == flow::EdgeKind::Mesh, fromWorkload);
            mesh += e.kind == flow::EdgeKind::Mesh;
        }
        QCOMPARE(mesh, std::size_t(4));

        const auto* server = node(g, "server:istio-system/bookinfo-gateway#0");
        QCOMPARE(server->kind, flow::NodeKind::GatewayServer);
        QCOMPARE(QString::fromStdString(server->label), QStringLiteral("bookinfo-gateway :80"));
        QVERIFY(server->secondary.find("bookinfo.example.com") != std::string::npos);
        QVERIFY(g.fileOf(*g.find(server->id)).ends_with("gateway.yaml"));
        QCOMPARE(server->span.line, 12u);
        const auto* rule = node(g, "rule:default/bookinfo/http/0");
        QVERIFY(g.fileOf(*g.find(rule->id)).ends_with("virtualservice.yaml"));
        QCOMPARE(rule->span.line, 14u);
        QVERIFY(rule->diagnostics.empty());
        const auto* dest = node(g, "dest:" + kProductpage.toStdString());
        QCOMPARE(QString::fromStdString(dest->label), QStringLiteral("productpage:9080"));
        QCOMPARE(dest->endpoints.size(), std::size_t{1});
        QCOMPARE(g.nodes()[dest->endpoints.front()].id,
                 std::string("workload:Deployment:default/productpage-v1"));
        const auto* reviews = node(g, "service:reviews.default.svc.cluster.local");
        QVERIFY(reviews->reason.find("no route bound to the gateway") != std::string::npos);
        // Every route edge touching a grey node is grey, and only those; a mesh edge is grey when
        // its caller is (productpage-v1 calls the grey reviews whatever the gateway sends there).
        for (const auto& e : g.edges())
            QCOMPARE(e.greyed,
                     g.nodes()[e.from].greyed || (e.kind == flow::EdgeKind::Route && g.nodes()[e.to].greyed));
        const auto toReviews = g.edgeBetween(*g.find("workload:Deployment:default/productpage-v1"),
                                             *g.find("service:reviews.default.svc.cluster.local"));
        QVERIFY(toReviews && !g.edges()[*toReviews].greyed);
    }

    void broken_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("greyed");
        const auto row = [](const char* file, const char* code, int line, flow::NodeKind kind, bool greyed) {
            QTest::addRow("%s %s", file, code) << QString::fromUtf8(file) << QString::fromUtf8(code) << line
                                               << static_cast<int>(kind) << greyed;
        };
        using K = flow::NodeKind;
        // Bound to the gateway but not usable there: grey with their diagnostic.
        row("gateway-wrong-namespace.yaml", "IST0101", 29, K::VirtualServiceRule, true);
        row("gateway-wrong-namespace.yaml", "IST0132", 29, K::VirtualServiceRule, true);
        row("host-not-in-gateway.yaml", "IST0132", 27, K::VirtualServiceRule, true);
        row("unknown-destination-host.yaml", "IST0101", 31, K::Destination, true);
        // Missing subset: the destination and the subset it names are both grey.
        row("missing-subset.yaml", "IST0101", 18, K::Destination, true);
        row("missing-subset.yaml", "IST0101", 18, K::Subset, true);
        // Sidecar-only VirtualServices (no gateways) are grey; the finding stays on its rule.
        row("rule-after-catch-all.yaml", "IST0130", 16, K::VirtualServiceRule, true);
        row("regex-lookahead.yaml", "IST0106", 14, K::VirtualServiceRule, true);
        row("boolean-header-value.yaml", "IST0106", 15, K::VirtualServiceRule, true);
        row("duplicate-key.yaml", "SLU0002", 16, K::VirtualServiceRule, true);
        row("typo-field.yaml", "IST0106", 16, K::VirtualServiceRule, true);
        row("weights-all-zero.yaml", "IST0106", 12, K::VirtualServiceRule, true);
        // The engine still builds the listener: flagged, not grey.
        row("tls-simple-without-cert.yaml", "IST0106", 20, K::GatewayServer, false);
    }

    void broken() {
        QFETCH(QString, file);
        QFETCH(QString, code);
        QFETCH(int, line);
        QFETCH(int, kind);
        QFETCH(bool, greyed);
        // The sample itself states the finding: keep the table in step with it.
        QFile source(QStringLiteral(SLUICE_SOURCE_DIR "/samples/broken/") + file);
        QVERIFY(source.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(source.readAll())
                    .contains(QStringLiteral("# expect: %1 line %2").arg(code).arg(line)));

        const auto in = test::sample("broken/" + file.toStdString());
        const flow::FlowNode* carrier = nullptr;
        for (const auto& n : in.graph.nodes())
            for (const auto& d : n.diagnostics)
                if (static_cast<int>(n.kind) == kind && QString::fromStdString(d.code) == code &&
                    static_cast<int>(d.span.line) == line)
                    carrier = &n;
        QVERIFY2(carrier, "no node of that kind carries the diagnostic");
        QCOMPARE(carrier->greyed, greyed);
        if (greyed)
            QVERIFY(!carrier->reason.empty());
    }

    void greyReasons() {
        // Bound by name to a Gateway in the wrong namespace: the diagnostic, then the engine's words.
        auto in = test::sample("broken/gateway-wrong-namespace.yaml");
        const auto* rule = node(in.graph, "rule:shop/shop/http/0");
        QVERIFY(rule && rule->greyed);
        QVERIFY(rule->reason.starts_with("IST0101: Referenced gateway not found"));
        QVERIFY(rule->reason.find("is not bound to this gateway") != std::string::npos);
        QVERIFY(!node(in.graph, "server:istio-system/public-gateway#0")->greyed);

        in = test::sample("broken/missing-subset.yaml");
        const auto* subset = node(in.graph, "subset:shop.default.svc.cluster.local/v2");
        QVERIFY(subset && subset->greyed);
        QVERIFY(subset->reason.starts_with("IST0101: Referenced host+subset in destinationrule not found"));
        QVERIFY(node(in.graph, "subset:shop.default.svc.cluster.local/v1")->greyed); // mesh only

        in = test::sample("broken/rule-after-catch-all.yaml");
        rule = node(in.graph, "rule:default/shop/http/1");
        QVERIFY(rule->reason.starts_with("IST0130: VirtualService rule \"admin\" not used"));
        QVERIFY(rule->reason.find("applies only to sidecars (mesh)") != std::string::npos);
    }

    void unreachableRuleAtTheGateway() {
        const auto in = test::fromYaml(R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["shop.example.com"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop}
spec:
  hosts: ["shop.example.com"]
  gateways: [gw]
  http:
  - route:
    - destination: {host: shop}
  - match:
    - uri: {prefix: /admin}
    route:
    - destination: {host: shop}
---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{name: http, port: 80}]
)");
        const auto* first = node(in.graph, "rule:default/shop/http/0");
        const auto* second = node(in.graph, "rule:default/shop/http/1");
        QVERIFY(first && second);
        QVERIFY(!first->greyed);
        QVERIFY(second->greyed);
        QVERIFY(second->reason.starts_with("IST0130: "));
        QCOMPARE(second->span.line, 19u);
        QVERIFY(edgeTexts(in.graph).count(
            QStringLiteral("server:default/gw#0 -> rule:default/shop/http/0 [any request]")));
        // No workload in the input: the Service gets its default simulated replica, which is live.
        const auto* replica = node(in.graph, "workload:default:shop.default.svc.cluster.local");
        QVERIFY(replica);
        QVERIFY(!replica->greyed);
    }

    void delegatesTlsTcpAndServiceEntries() {
        const auto in = test::fromYaml(R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*.example.com"]
  - port: {number: 443, name: tls, protocol: TLS}
    tls: {mode: PASSTHROUGH}
    hosts: ["db.example.com"]
  - port: {number: 31400, name: tcp, protocol: TCP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: root, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/gw]
  http:
  - match: [{uri: {prefix: /cart}}]
    delegate: {name: cart, namespace: default}
  - route: [{destination: {host: httpbin.org}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: cart, namespace: default}
spec:
  http:
  - match: [{uri: {prefix: /cart/v2}}]
    route: [{destination: {host: cart, subset: v2}}]
  - route: [{destination: {host: cart}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db, namespace: default}
spec:
  hosts: [db.example.com]
  gateways: [istio-system/gw]
  tls:
  - match: [{sniHosts: [db.example.com]}]
    route: [{destination: {host: db, port: {number: 5432}}}]
  tcp:
  - route: [{destination: {host: db, port: {number: 5432}}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: cart}
spec:
  host: cart
  subsets: [{name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: httpbin}
spec:
  hosts: [httpbin.org]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS
---
apiVersion: v1
kind: Service
metadata: {name: cart}
spec:
  selector: {app: cart}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db}
  ports: [{name: tcp, port: 5432}]
)");
        const auto& g = in.graph;
        const auto texts = edgeTexts(g);
        // Delegate rules carry the merged matches; the delegating root rule is not drawn itself.
        QVERIFY(texts.count(
            QStringLiteral("server:istio-system/gw#0 -> rule:default/cart/http/0 [prefix /cart/v2]")));
        QVERIFY(texts.count(
            QStringLiteral("server:istio-system/gw#0 -> rule:default/cart/http/1 [prefix /cart]")));
        QVERIFY(texts.count(
            QStringLiteral("server:istio-system/gw#0 -> rule:default/root/http/1 [any request]")));
        QVERIFY(!g.find("rule:default/root/http/0"));
        QCOMPARE(QString::fromStdString(node(g, "rule:default/cart/http/0")->secondary),
                 QStringLiteral("delegate"));
        // TLS passthrough by SNI and plain TCP.
        QVERIFY(texts.count(
            QStringLiteral("server:istio-system/gw#1 -> rule:default/db/tls/0 [sni db.example.com]")));
        QVERIFY(
            texts.count(QStringLiteral("server:istio-system/gw#2 -> rule:default/db/tcp/0 [port 31400]")));
        QVERIFY(texts.count(QStringLiteral(
            "rule:default/db/tls/0 -> dest:outbound|5432||db.default.svc.cluster.local [100%]")));
        // A ServiceEntry host is a diamond in the Service column, with no workload behind it.
        const auto* entry = node(g, "service:httpbin.org");
        QVERIFY(entry);
        QCOMPARE(entry->kind, flow::NodeKind::ServiceEntry);
        QVERIFY(!entry->greyed);
        QVERIFY(node(g, "dest:outbound|80||httpbin.org")->endpoints.empty());
        QCOMPARE(nodeIds(g, true), std::set<QString>{});
    }

    void droppedServer() {
        const auto in = test::fromYaml(R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: other}
spec:
  selector: {istio: egressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["*"]
)");
        const auto* server = node(in.graph, "server:default/other#0");
        QVERIFY(server && server->greyed);
        QVERIFY(server->reason.find("does not match the gateway workload") != std::string::npos);
    }

    // A sluice.dev Workload's calls: a short name in the caller's namespace, `namespace:` for
    // another, a ServiceEntry host; no edge to a host nothing exposes (the sidecar refuses it).
    void meshCallsOfWorkloads() {
        const auto in = test::fromYaml(R"(apiVersion: v1
kind: Service
metadata: {name: front, namespace: shop}
spec: {selector: {app: front}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: back, namespace: data}
spec: {selector: {app: back}, ports: [{name: http, port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: shop}
spec: {selector: {app: cache}, ports: [{name: http, port: 6379}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: payments, namespace: shop}
spec:
  hosts: [pay.example.com]
  ports: [{number: 443, name: https, protocol: HTTPS}]
  resolution: DNS
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: front, namespace: shop}
spec:
  labels: {app: front}
  calls:
  - {service: back, namespace: data, port: 8080, path: /items}
  - {service: cache, port: 6379}
  - {service: pay.example.com, port: 443, path: /charge}
  - {service: nowhere, port: 80}
)");
        const auto& g = in.graph;
        std::set<QString> mesh;
        for (const auto& e : g.edges())
            if (e.kind == flow::EdgeKind::Mesh)
                mesh.insert(QString::fromStdString(g.nodes()[e.from].id + " -> " + g.nodes()[e.to].id + " [" +
                                                   e.label + "]"));
        QCOMPARE(mesh,
                 (std::set<QString>{
                     QStringLiteral("workload:Workload:shop/front -> service:back.data.svc.cluster.local "
                                    "[calls :8080 /items]"),
                     QStringLiteral("workload:Workload:shop/front -> service:cache.shop.svc.cluster.local "
                                    "[calls :6379 /]"),
                     QStringLiteral("workload:Workload:shop/front -> service:pay.example.com "
                                    "[calls :443 /charge]"),
                 }));
    }

    // A mesh VirtualService moves a call: the edge goes where the sidecar sends it (every
    // destination of the routes that apply to the caller, up to one that takes every call), which
    // is where the overlay puts the traffic.
    void meshEdgesFollowMeshRoutes() {
        const auto in = test::fromYaml(R"(apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews-next, namespace: shop}
spec: {selector: {app: reviews-next}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews-beta, namespace: shop}
spec: {selector: {app: reviews-beta}, ports: [{name: http, port: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - match: [{sourceLabels: {app: tester}}]
    route: [{destination: {host: reviews-beta}}]
  - route:
    - {destination: {host: reviews-next}, weight: 80}
    - {destination: {host: reviews}, weight: 20}
---
apiVersion: v1
kind: Service
metadata: {name: front, namespace: shop}
spec: {selector: {app: front}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: tester, namespace: shop}
spec: {selector: {app: tester}, ports: [{name: http, port: 80}]}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: front, namespace: shop}
spec:
  labels: {app: front}
  calls: [{service: reviews, port: 9080}]
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: tester, namespace: shop}
spec:
  labels: {app: tester}
  calls: [{service: reviews, port: 9080}]
)");
        const auto& g = in.graph;
        std::set<QString> mesh;
        for (const auto& e : g.edges())
            if (e.kind == flow::EdgeKind::Mesh)
                mesh.insert(QString::fromStdString(g.nodes()[e.from].id + " -> " + g.nodes()[e.to].id));
        QCOMPARE(
            mesh,
            (std::set<QString>{
                QStringLiteral("workload:Workload:shop/front -> service:reviews-next.shop.svc.cluster.local"),
                QStringLiteral("workload:Workload:shop/front -> service:reviews.shop.svc.cluster.local"),
                // Its sourceLabels rule takes all of tester's calls: the split after it is never reached.
                QStringLiteral(
                    "workload:Workload:shop/tester -> service:reviews-beta.shop.svc.cluster.local"),
            }));
    }

    void canaryWeights() {
        const auto in = test::sample("canary");
        const auto& g = in.graph;
        const std::string stable = "dest:outbound|8080|stable|frontend.canary.svc.cluster.local";
        const std::string canary = "dest:outbound|8080|canary|frontend.canary.svc.cluster.local";
        const auto texts = edgeTexts(g);
        QVERIFY(texts.count(QStringLiteral("rule:canary/frontend/http/0 -> ") +
                            QString::fromStdString(stable) + QStringLiteral(" [90%]")));
        QVERIFY(texts.count(QStringLiteral("rule:canary/frontend/http/0 -> ") +
                            QString::fromStdString(canary) + QStringLiteral(" [10%]")));
        QVERIFY(texts.count(QString::fromStdString(stable) +
                            QStringLiteral(" -> subset:frontend.canary.svc.cluster.local/stable")));
        QCOMPARE(QString::fromStdString(node(g, "rule:canary/frontend/http/0")->label),
                 QStringLiteral("frontend · frontend-split"));
        QCOMPARE(QString::fromStdString(node(g, stable)->label), QStringLiteral("frontend:8080 · stable"));
        QCOMPARE(g.nodes()[node(g, stable)->endpoints.at(0)].id,
                 std::string("workload:Deployment:canary/frontend-v1"));
        QCOMPARE(g.nodes()[node(g, canary)->endpoints.at(0)].id,
                 std::string("workload:Deployment:canary/frontend-v2"));
        QCOMPARE(QString::fromStdString(node(g, "workload:Deployment:canary/frontend-v1")->secondary),
                 QStringLiteral("Deployment · 3 replicas"));
        QCOMPARE(nodeIds(g, true), std::set<QString>{});
    }

    void thirdsOfAWeight() {
        QCOMPARE(QString::fromStdString(flow::weightLabel(1, 3)), QStringLiteral("33.3%"));
        QCOMPARE(QString::fromStdString(flow::weightLabel(50, 100)), QStringLiteral("50%"));
        QCOMPARE(QString::fromStdString(flow::weightLabel(0, 0)), QStringLiteral("0%"));
    }

    void nodeAtSource() {
        const auto in = test::sample("bookinfo");
        const auto& g = in.graph;
        const std::string vs = std::string(SLUICE_SOURCE_DIR) + "/samples/bookinfo/virtualservice.yaml";
        const auto at = [&](const std::string& file, std::uint32_t line) {
            const auto i = g.nodeAtSource(file, line);
            return i ? g.nodes()[*i].id : std::string("none");
        };
        QCOMPARE(at(vs, 25), "dest:" + kProductpage.toStdString());        // destination.host
        QCOMPARE(at(vs, 16), std::string("rule:default/bookinfo/http/0")); // a match of the rule
        QCOMPARE(at(vs, 9), std::string("rule:default/bookinfo/http/0"));  // VS hosts: its first node
        QCOMPARE(at(vs, 2), std::string("rule:default/bookinfo/http/0"));  // its leading comment
        QCOMPARE(at(vs, 500), std::string("none"));                        // past the end
        const std::string platform = std::string(SLUICE_SOURCE_DIR) + "/samples/bookinfo/platform.yaml";
        QCOMPARE(at(platform, 170), std::string("workload:Deployment:default/reviews-v2"));
        QCOMPARE(at(vs + ".missing", 25), std::string("none"));
    }

    void emptyInput() {
        const auto in = test::fromYaml("");
        QVERIFY(in.graph.empty());
        QVERIFY(in.graph.edges().empty());
    }
};

QTEST_GUILESS_MAIN(FlowGraphBuilderTest)
#include "flow_graph_builder_test.moc"
