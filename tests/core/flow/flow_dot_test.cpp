// SPDX-License-Identifier: Apache-2.0
// toDot: the flow graph as DOT source (what `sluice graph --format dot` prints).

#include "flow/flow_dot.h"
#include "flow_test_support.h"

#include <QTest>

using namespace sluice;

class FlowDotTest : public QObject {
    Q_OBJECT

private slots:
    void bookinfo() {
        const auto in = test::sample("bookinfo");
        const QString dot = QString::fromStdString(flow::toDot(in.graph));
        QVERIFY(dot.startsWith(QStringLiteral("digraph flow {\n  rankdir=LR;")));
        QVERIFY(dot.endsWith(QStringLiteral("}\n")));
        QCOMPARE(dot.count(QStringLiteral("{ rank=same;")), 6); // one per column
        QVERIFY(dot.contains(QStringLiteral(
            "\"server:istio-system/bookinfo-gateway#0\" -> \"rule:default/bookinfo/http/0\" [label=\"prefix "
            "/productpage\\nprefix /login\\nprefix /logout\\nprefix /api/v1/products\"];")));
        QVERIFY(dot.contains(QStringLiteral(
            "\"service:reviews.default.svc.cluster.local\" [label=\"reviews\\ndefault · port 9080\", "
            "shape=\"triangle\", color=gray60, fontcolor=gray50, tooltip=\"no route bound to the gateway "
            "sends "
            "traffic to reviews\"];")));
        QCOMPARE(dot.count(QStringLiteral(" -> ")), static_cast<int>(in.graph.edges().size()));
        // Calls between workloads: dashed with an open arrow, outside the ranks; grey with a grey caller.
        QVERIFY(dot.contains(QStringLiteral(
            "\"workload:Deployment:default/productpage-v1\" -> \"service:reviews.default.svc.cluster.local\" "
            "[label=\"calls :9080 /reviews/0\", style=dashed, arrowhead=open, constraint=false];")));
        QVERIFY(dot.contains(QStringLiteral(
            "\"workload:Deployment:default/reviews-v2\" -> \"service:ratings.default.svc.cluster.local\" "
            "[label=\"calls :9080 /ratings/0\", style=dashed, arrowhead=open, constraint=false, "
            "color=gray70, "
            "fontcolor=gray50];")));
        QCOMPARE(dot.count(QStringLiteral("arrowhead=open")), 4);
    }

    void quoting() {
        std::vector<flow::FlowNode> nodes(2);
        nodes[0].id = "a";
        nodes[0].label = "say \"hi\"\\";
        nodes[1].id = "b";
        nodes[1].kind = flow::NodeKind::Workload;
        const flow::FlowGraph graph(std::move(nodes), {{0, 1, "regex ^/a\\d", false}}, {});
        const QString dot = QString::fromStdString(flow::toDot(graph));
        QVERIFY(dot.contains(QStringLiteral("\"a\" [label=\"say \\\"hi\\\"\\\\\"")));
        QVERIFY(dot.contains(QStringLiteral("\"a\" -> \"b\" [label=\"regex ^/a\\\\d\"];")));
    }

    void empty() {
        QCOMPARE(QString::fromStdString(flow::toDot(flow::FlowGraph())),
                 QStringLiteral("digraph flow {\n  rankdir=LR;\n  node [fontname=Helvetica, fontsize=10];\n"
                                "  edge [fontname=Helvetica, fontsize=9];\n}\n"));
    }
};

QTEST_GUILESS_MAIN(FlowDotTest)
#include "flow_dot_test.moc"
