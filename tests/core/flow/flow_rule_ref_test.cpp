// SPDX-License-Identifier: Apache-2.0
// httpRuleAt / httpRuleOfEdge: which VirtualService http rule a selected flow node or edge picks
// (for the What-if panel).

#include "flow/flow_rule_ref.h"
#include "flow_test_support.h"

#include <QTest>

using namespace sluice;

class FlowRuleRefTest : public QObject {
    Q_OBJECT

private slots:
    // The canary's weighted rule: its own node, and each destination it splits to.
    void ruleAndItsDestinations() {
        const auto in = test::sample("canary");
        const auto& g = in.graph;
        const flow::HttpRuleRef frontend{"canary/frontend", 0};
        QVERIFY(flow::httpRuleAt(g, *g.find("rule:canary/frontend/http/0")) == frontend);
        QVERIFY(flow::httpRuleAt(g, *g.find("dest:outbound|8080|canary|frontend.canary.svc.cluster.local")) ==
                frontend);
        QVERIFY(flow::httpRuleAt(g, *g.find("dest:outbound|8080|stable|frontend.canary.svc.cluster.local")) ==
                frontend);
    }

    // Servers, Services, subsets and workloads pick no rule; nor does a node out of range.
    void otherNodes() {
        const auto in = test::sample("canary");
        const auto& g = in.graph;
        for (std::size_t i = 0; i < g.nodes().size(); ++i) {
            const auto kind = g.nodes()[i].kind;
            if (kind != flow::NodeKind::VirtualServiceRule && kind != flow::NodeKind::Destination)
                QVERIFY2(!flow::httpRuleAt(g, i), g.nodes()[i].id.c_str());
        }
        QVERIFY(!flow::httpRuleAt(g, g.nodes().size()));
    }

    // The canary's edges: the server's into the rule, the rule's weighted ones, a destination's
    // to its subset all pick the rule; a subset's edge to the Service and the workloads' pick none.
    void edgesPickTheirRule() {
        const auto in = test::sample("canary");
        const auto& g = in.graph;
        const flow::HttpRuleRef frontend{"canary/frontend", 0};
        const auto rule = *g.find("rule:canary/frontend/http/0");
        const auto canary = *g.find("dest:outbound|8080|canary|frontend.canary.svc.cluster.local");
        const auto subset = *g.find("subset:frontend.canary.svc.cluster.local/canary");
        const auto service = *g.find("service:frontend.canary.svc.cluster.local");
        std::optional<std::size_t> serverEdge;
        for (std::size_t e = 0; e < g.edges().size(); ++e)
            if (g.edges()[e].to == rule && g.nodes()[g.edges()[e].from].kind == flow::NodeKind::GatewayServer)
                serverEdge = e;
        QVERIFY(serverEdge);
        QVERIFY(flow::httpRuleOfEdge(g, *serverEdge) == frontend);
        QVERIFY(flow::httpRuleOfEdge(g, *g.edgeBetween(rule, canary)) == frontend);
        QVERIFY(flow::httpRuleOfEdge(g, *g.edgeBetween(canary, subset)) == frontend);
        QVERIFY(!flow::httpRuleOfEdge(g, *g.edgeBetween(subset, service)));
        QVERIFY(!flow::httpRuleOfEdge(g, g.edges().size()));
    }

    // A tls or tcp rule is no http rule; nor is an id that does not parse.
    void onlyHttpRules() {
        std::vector<flow::FlowNode> nodes(4);
        nodes[0].id = "rule:default/db/tcp/0";
        nodes[1].id = "rule:default/web/http/x";
        nodes[2].id = "rule:/http/1";
        nodes[3].id = "rule:ns/a/http/12";
        for (auto& n : nodes)
            n.kind = flow::NodeKind::VirtualServiceRule;
        const flow::FlowGraph g(std::move(nodes), {}, {});
        QVERIFY(!flow::httpRuleAt(g, 0));
        QVERIFY(!flow::httpRuleAt(g, 1));
        QVERIFY(!flow::httpRuleAt(g, 2));
        QVERIFY(flow::httpRuleAt(g, 3) == (flow::HttpRuleRef{"ns/a", 12}));
    }
};

QTEST_GUILESS_MAIN(FlowRuleRefTest)
#include "flow_rule_ref_test.moc"
