// SPDX-License-Identifier: Apache-2.0
// pathOf: the nodes and edges a routing decision went through, from the gateway server to the
// workloads behind the chosen cluster.

#include "flow/flow_path.h"
#include "flow_test_support.h"
#include "routing/request_url.h"

#include <QTest>

using namespace sluice;

namespace {

routing::Decision route(const test::FlowInput& in, const std::string& url,
                        std::vector<std::pair<std::string, std::string>> headers = {}) {
    std::string error;
    const auto parsed = routing::parseRequestUrl(url, error);
    routing::Request r;
    r.method = "GET";
    r.authority = parsed->authority;
    r.target = parsed->target;
    r.port = parsed->port.value_or(80);
    r.headers = std::move(headers);
    routing::Rng rng(7);
    return in.table->route(r, rng);
}

QStringList ids(const flow::FlowGraph& graph, const std::vector<std::size_t>& nodes) {
    QStringList out;
    for (std::size_t n : nodes)
        out << QString::fromStdString(graph.nodes()[n].id);
    return out;
}

} // namespace

class FlowPathTest : public QObject {
    Q_OBJECT

private slots:
    void productpage() {
        const auto in = test::sample("bookinfo");
        const auto path = flow::pathOf(in.graph, route(in, "http://bookinfo.example.com/productpage"));
        QCOMPARE(ids(in.graph, path.nodes),
                 (QStringList{QStringLiteral("server:istio-system/bookinfo-gateway#0"),
                              QStringLiteral("rule:default/bookinfo/http/0"),
                              QStringLiteral("dest:outbound|9080||productpage.default.svc.cluster.local"),
                              QStringLiteral("service:productpage.default.svc.cluster.local"),
                              QStringLiteral("workload:Deployment:default/productpage-v1")}));
        QCOMPARE(path.edges.size(), std::size_t{4});
        for (std::size_t i = 0; i < path.edges.size(); ++i) {
            QCOMPARE(in.graph.edges()[path.edges[i]].from, path.nodes[i]);
            QCOMPARE(in.graph.edges()[path.edges[i]].to, path.nodes[i + 1]);
        }
    }

    void throughASubset() {
        const auto in = test::sample("header-routing");
        const auto path = flow::pathOf(
            in.graph, route(in, "http://reviews.example.com/reviews/1", {{"end-user", "jason"}}));
        QCOMPARE(
            ids(in.graph, path.nodes),
            (QStringList{QStringLiteral("server:header-routing/reviews-gateway#0"),
                         QStringLiteral("rule:header-routing/reviews/http/0"),
                         QStringLiteral("dest:outbound|9080|v2|reviews.header-routing.svc.cluster.local"),
                         QStringLiteral("subset:reviews.header-routing.svc.cluster.local/v2"),
                         QStringLiteral("service:reviews.header-routing.svc.cluster.local"),
                         QStringLiteral("workload:Deployment:header-routing/reviews-v2")}));
        QCOMPARE(path.edges.size(), std::size_t{5});
    }

    void noRoute() {
        const auto in = test::sample("bookinfo");
        QVERIFY(flow::pathOf(in.graph, route(in, "http://bookinfo.example.com/reviews")).empty());
        QVERIFY(flow::pathOf(in.graph, route(in, "http://other.example.com/productpage")).empty());
        QVERIFY(
            flow::pathOf(flow::FlowGraph(), route(in, "http://bookinfo.example.com/productpage")).empty());
    }
};

QTEST_GUILESS_MAIN(FlowPathTest)
#include "flow_path_test.moc"
