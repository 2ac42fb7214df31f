// SPDX-License-Identifier: Apache-2.0
// FlowLayout: Graphviz dot puts every column in its own rank, strictly left to right; every edge
// gets a spline; an empty graph needs no Graphviz; concurrent layouts are serialised and agree.

#include "flow/edge_labels.h"
#include "flow/flow_layout.h"
#include "flow_test_support.h"

#include <future>

#include <QTest>

using namespace sluice;

namespace {

void checkColumns(const flow::FlowGraph& graph, const flow::FlowLayout& layout) {
    QCOMPARE(layout.nodes.size(), graph.nodes().size());
    QCOMPARE(layout.edges.size(), graph.edges().size());
    // Columns never overlap: each one ends before the next begins.
    std::vector<double> left(flow::kColumnCount, 1e18), right(flow::kColumnCount, -1e18);
    for (std::size_t i = 0; i < graph.nodes().size(); ++i) {
        const auto c = static_cast<std::size_t>(flow::columnOf(graph.nodes()[i].kind));
        const auto& r = layout.nodes[i];
        left[c] = std::min(left[c], r.x);
        right[c] = std::max(right[c], r.x + r.width);
        QVERIFY(r.x >= 0 && r.y >= 0 && r.x + r.width <= layout.width + 0.5 &&
                r.y + r.height <= layout.height + 0.5);
        QVERIFY(r.width >= flow::FlowLayout::nodeSize(graph.nodes()[i]).width - 0.5);
    }
    double previousRight = -1;
    for (std::size_t c = 0; c < left.size(); ++c) {
        if (right[c] < left[c])
            continue; // empty column
        QVERIFY2(left[c] > previousRight,
                 qPrintable(QStringLiteral("column %1 overlaps the previous one").arg(c)));
        previousRight = right[c];
    }
    for (std::size_t i = 0; i < layout.edges.size(); ++i) {
        const auto& e = layout.edges[i];
        QVERIFY(e.points.size() >= 4);
        QCOMPARE((e.points.size() - 1) % 3, std::size_t{0});
        // Every label is shown; the same conditions into the same rule (from two servers) only once.
        const auto& edge = graph.edges()[i];
        bool repeated = false;
        for (std::size_t j = 0; j < i; ++j)
            repeated |= graph.nodes()[edge.to].kind == flow::NodeKind::VirtualServiceRule &&
                        layout.edges[j].hasLabel && graph.edges()[j].to == edge.to &&
                        graph.edges()[j].label == edge.label;
        const bool mesh = edge.kind == flow::EdgeKind::Mesh; // back from a workload: label as tooltip
        QCOMPARE(e.hasLabel, !edge.label.empty() && !repeated && !mesh);
        // Edges run left to right, from their source's box towards their target's; mesh edges
        // (calls between workloads) right to left.
        const auto& from = layout.nodes[graph.edges()[i].from];
        const auto& to = layout.nodes[graph.edges()[i].to];
        if (mesh) {
            QVERIFY(e.points.front().x <= from.x + from.width);
            QVERIFY(e.tip.x >= to.x + to.width / 2);
        } else {
            QVERIFY(e.points.front().x >= from.x);
            QVERIFY(e.tip.x <= to.x + to.width / 2);
        }
    }
}

} // namespace

class FlowLayoutTest : public QObject {
    Q_OBJECT

private slots:
    void samples_data() {
        QTest::addColumn<QString>("sample");
        for (const char* s : {"bookinfo", "canary", "header-routing", "tls", "faults", "broken"})
            QTest::newRow(s) << QString::fromUtf8(s);
    }

    void samples() {
        QFETCH(QString, sample);
        const auto in = test::sample(sample.toStdString());
        QVERIFY(!in.graph.empty());
        const auto layout = flow::FlowLayout::compute(in.graph);
        QVERIFY2(layout.error.empty(), layout.error.c_str());
        checkColumns(in.graph, layout);
    }

    void labelsSitBetweenTheirNodes_data() { samples_data(); }

    void labelsSitBetweenTheirNodes() {
        QFETCH(QString, sample);
        const auto in = test::sample(sample.toStdString());
        const auto layout = flow::FlowLayout::compute(in.graph);
        for (std::size_t i = 0; i < layout.edges.size(); ++i) {
            if (!layout.edges[i].hasLabel)
                continue;
            // The whole label box fits in the gap between its edge's nodes, clear of both.
            const auto& from = layout.nodes[in.graph.edges()[i].from];
            const auto& to = layout.nodes[in.graph.edges()[i].to];
            const auto box = flow::labelSize(in.graph.edges()[i].label);
            const double left = layout.edges[i].labelCentre.x - box.width / 2;
            const double top = layout.edges[i].labelCentre.y - box.height / 2;
            QVERIFY(left >= from.x + from.width);
            QVERIFY(left + box.width <= to.x);
            QVERIFY(top >= 0 && top + box.height <= layout.height); // inside the layout, never clipped
        }
        // Labels beside the same column never overlap one another.
        for (std::size_t i = 0; i < layout.edges.size(); ++i)
            for (std::size_t j = i + 1; j < layout.edges.size(); ++j) {
                if (!layout.edges[i].hasLabel || !layout.edges[j].hasLabel)
                    continue;
                const auto a = flow::labelSize(in.graph.edges()[i].label),
                           b = flow::labelSize(in.graph.edges()[j].label);
                const auto& p = layout.edges[i].labelCentre;
                const auto& q = layout.edges[j].labelCentre;
                const bool apart = std::abs(p.x - q.x) >= (a.width + b.width) / 2 - 0.5 ||
                                   std::abs(p.y - q.y) >= (a.height + b.height) / 2 - 0.5;
                QVERIFY2(apart,
                         qPrintable(QStringLiteral("labels of edges %1 and %2 overlap").arg(i).arg(j)));
            }
    }

    void labelSizes() {
        QCOMPARE(flow::labelSize("90%").height, 15.0);
        QCOMPARE(flow::labelSize("a\nb\nc\nd").height, 48.0);
        QCOMPARE(flow::labelSize("a\nb\nc\nd\ne\nf").height, 48.0); // at most 4 lines are shown
        QVERIFY(flow::labelSize("prefix /productpage").width > flow::labelSize("90%").width);
    }

    void emptyGraph() {
        const auto layout = flow::FlowLayout::compute(flow::FlowGraph());
        QVERIFY(layout.empty());
        QVERIFY(layout.error.empty());
        QCOMPARE(layout.width, 0.0);
    }

    void concurrentCallsAgree() {
        const auto in = test::sample("bookinfo");
        const auto reference = flow::FlowLayout::compute(in.graph);
        std::vector<std::future<flow::FlowLayout>> runs;
        for (int i = 0; i < 4; ++i)
            runs.push_back(
                std::async(std::launch::async, [&] { return flow::FlowLayout::compute(in.graph); }));
        for (auto& run : runs) {
            const auto layout = run.get();
            QCOMPARE(layout.nodes.size(), reference.nodes.size());
            for (std::size_t n = 0; n < layout.nodes.size(); ++n) {
                QCOMPARE(layout.nodes[n].x, reference.nodes[n].x);
                QCOMPARE(layout.nodes[n].y, reference.nodes[n].y);
            }
        }
    }
};

QTEST_GUILESS_MAIN(FlowLayoutTest)
#include "flow_layout_test.moc"
