// SPDX-License-Identifier: Apache-2.0
// The Flow tab: bookinfo's nodes and edges on the scene, the traced /productpage path highlighted,
// node <-> YAML selection both ways, find by name, zoom limits, PNG and SVG export, and its place
// in the MainWindow.

#include "bridge/core_bridge.h"
#include "graph/flow_edge_item.h"
#include "graph/flow_node_item.h"
#include "graph/flow_scene.h"
#include "graph/flow_style.h"
#include "graph/flow_view.h"
#include "widgets/color_theme.h"
#include "widgets/main_window.h"
#include "widgets/request_panel.h"
#include "widgets/what_if_panel.h"

#include <set>

#include <QApplication>
#include <QComboBox>
#include <QImage>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using sluice::ui::ConfigSnapshot;
using sluice::ui::Emphasis;
using sluice::ui::FlowView;

namespace {

std::set<QString> nodeIds(const ui::FlowScene& scene, Emphasis emphasis) {
    std::set<QString> out;
    for (const auto* item : scene.nodeItems())
        if (item->emphasis() == emphasis)
            out.insert(QString::fromStdString(scene.graph()->nodes()[item->index()].id));
    return out;
}

/// What MainWindow gets in two steps from the CoreBridge: the snapshot, then its layout.
void show(FlowView& view, const ui::ConfigSnapshotPtr& snapshot) {
    view.setSnapshot(snapshot);
    if (snapshot && snapshot->flow)
        view.setLayout(snapshot,
                       std::make_shared<const flow::FlowLayout>(flow::FlowLayout::compute(*snapshot->flow)));
}

QString selectedId(const ui::FlowScene& scene) {
    const auto node = scene.selectedNode();
    return node ? QString::fromStdString(scene.graph()->nodes()[*node].id) : QString();
}

} // namespace

class FlowViewTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_bookinfo = ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/bookinfo"}); }

    void bridgeLaysOutAfterTheSnapshot() {
        ui::CoreBridge bridge;
        QStringList order;
        ui::ConfigSnapshotPtr laidOutFor;
        flow::FlowLayoutPtr layout;
        connect(&bridge, &ui::CoreBridge::snapshotReady, this, [&] { order << QStringLiteral("snapshot"); });
        connect(&bridge, &ui::CoreBridge::flowLaidOut, this,
                [&](const ui::ConfigSnapshotPtr& s, const flow::FlowLayoutPtr& l) {
                    order << QStringLiteral("layout");
                    laidOutFor = s;
                    layout = l;
                });
        bridge.open({QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QTRY_VERIFY_WITH_TIMEOUT(layout != nullptr, 20000);
        QCOMPARE(order, (QStringList{QStringLiteral("snapshot"), QStringLiteral("layout")}));
        QCOMPARE(laidOutFor, bridge.current());
        QVERIFY(laidOutFor->flow);
        QVERIFY(layout->error.empty());
        QCOMPARE(layout->nodes.size(), laidOutFor->flow->nodes().size());

        // A layout for a superseded snapshot is never shown.
        FlowView view;
        view.setSnapshot(m_bookinfo);
        view.setLayout(laidOutFor, layout);
        QVERIFY(view.flowScene().nodeItems().empty());
    }

    void bookinfoNodesAndEdges() {
        FlowView view;
        show(view, m_bookinfo);
        const auto& scene = view.flowScene();
        QCOMPARE(scene.nodeItems().size(), std::size_t{14});
        QCOMPARE(scene.edgeItems().size(), std::size_t{14}); // 4 of them bookinfo's calls
        std::set<QString> all = nodeIds(scene, Emphasis::Normal);
        for (const char* id :
             {"server:istio-system/bookinfo-gateway#0", "rule:default/bookinfo/http/0",
              "dest:outbound|9080||productpage.default.svc.cluster.local",
              "subset:productpage.default.svc.cluster.local/v1",
              "service:productpage.default.svc.cluster.local", "service:reviews.default.svc.cluster.local",
              "service:ratings.default.svc.cluster.local", "service:details.default.svc.cluster.local",
              "workload:Deployment:default/productpage-v1", "workload:Deployment:default/reviews-v3"})
            QVERIFY2(all.count(QString::fromUtf8(id)), id);
        // Shapes per kind, grey where the gateway sends nothing, labels on the edges that have them.
        for (const auto* item : scene.nodeItems()) {
            const auto& node = scene.graph()->nodes()[item->index()];
            QCOMPARE(item->kind(), node.kind);
            QCOMPARE(item->greyed(), node.greyed);
            QVERIFY(scene.sceneRect().contains(item->sceneBoundingRect().center()));
        }
        std::set<QString> labels;
        for (const auto* item : scene.edgeItems())
            if (!item->label().isEmpty())
                labels.insert(item->label());
        QCOMPARE(labels, (std::set<QString>{QStringLiteral("100%"),
                                            QStringLiteral("prefix /productpage\nprefix /login\nprefix "
                                                           "/logout\nprefix /api/v1/products"),
                                            QStringLiteral("calls :9080 /details/0"),
                                            QStringLiteral("calls :9080 /reviews/0"),
                                            QStringLiteral("calls :9080 /ratings/0")}));
    }

    // Calls between workloads are drawn dash-dotted, with their traffic as well (Kiali's colour
    // and a width by rate); the gateway's edges stay solid.
    void meshEdgesAreDrawnApart() {
        FlowView view;
        show(view, m_bookinfo);
        auto& scene = view.flowScene();
        const flow::FlowGraph& g = *m_bookinfo->flow;
        const auto edge = [&](const std::string& from, const std::string& to) {
            return *g.edgeBetween(*g.find(from), *g.find(to));
        };
        const std::size_t call =
            edge("workload:Deployment:default/productpage-v1", "service:reviews.default.svc.cluster.local");
        const std::size_t route = edge("service:productpage.default.svc.cluster.local",
                                       "workload:Deployment:default/productpage-v1");
        int mesh = 0;
        for (const auto* item : scene.edgeItems()) {
            QCOMPARE(item->mesh(), g.edges()[item->index()].kind == flow::EdgeKind::Mesh);
            mesh += item->mesh();
        }
        QCOMPARE(mesh, 4);
        QCOMPARE(scene.edgeItems()[call]->penStyle(), Qt::DashDotLine);
        QCOMPARE(scene.edgeItems()[route]->penStyle(), Qt::SolidLine);

        metrics::SeriesKey failing;
        failing.sourceWorkload = "productpage-v1";
        failing.sourceNamespace = "default";
        failing.service = "reviews.default.svc.cluster.local";
        failing.cluster = "outbound|9080||reviews.default.svc.cluster.local";
        failing.responseCode = 503;
        const std::vector<live::SeriesCount> counts{{&failing, 50}};
        const auto overlay = std::make_shared<const live::FlowOverlay>(live::flowOverlay(g, counts, 10.0));
        scene.setTraffic(m_bookinfo->flow, overlay);
        const ui::FlowEdgeItem* item = scene.edgeItems()[call];
        QCOMPARE(item->colour(), ui::flowstyle::health(live::EdgeHealth::Failure));
        QCOMPARE(item->trafficWidth(), 8.0); // the busiest edge
        QCOMPARE(item->penStyle(), Qt::DashDotLine);
        QCOMPARE(scene.edgeItems()[route]->trafficWidth(), 0.0);
    }

    // "Moving dots": dots travel on the edges that carry traffic (red for a failing one), none on
    // idle edges, and they are gone when the toggle is off.
    void movingDotsRunOnBusyEdges() {
        FlowView view;
        show(view, m_bookinfo);
        auto& scene = view.flowScene();
        const flow::FlowGraph& g = *m_bookinfo->flow;
        const std::size_t call = *g.edgeBetween(*g.find("workload:Deployment:default/productpage-v1"),
                                                *g.find("service:reviews.default.svc.cluster.local"));
        const std::size_t idle = *g.edgeBetween(*g.find("service:productpage.default.svc.cluster.local"),
                                                *g.find("workload:Deployment:default/productpage-v1"));
        metrics::SeriesKey key;
        key.sourceWorkload = "productpage-v1";
        key.sourceNamespace = "default";
        key.service = "reviews.default.svc.cluster.local";
        key.cluster = "outbound|9080||reviews.default.svc.cluster.local";
        key.responseCode = 200;
        const std::vector<live::SeriesCount> counts{{&key, 500}};
        scene.setTraffic(m_bookinfo->flow,
                         std::make_shared<const live::FlowOverlay>(live::flowOverlay(g, counts, 10.0)));
        QVERIFY(!view.dotsAction().isChecked()); // off until asked for, as in Kiali
        QCOMPARE(scene.edgeItems()[call]->dotCount(), std::size_t{0});
        view.dotsAction().trigger();
        QTRY_VERIFY_WITH_TIMEOUT(scene.edgeItems()[call]->dotCount() >= 2, 5000);
        QCOMPARE(scene.edgeItems()[idle]->dotCount(), std::size_t{0});
        view.dotsAction().trigger();
        QCOMPARE(scene.edgeItems()[call]->dotCount(), std::size_t{0});
    }

    void traceHighlightsTheProductpagePath() {
        FlowView view;
        show(view, m_bookinfo);
        ui::RequestPanel panel;
        panel.setSnapshot(m_bookinfo);
        connect(&panel, &ui::RequestPanel::traced, &view, &FlowView::highlight);
        panel.setUrl(QStringLiteral("http://bookinfo.example.com/productpage"));
        QVERIFY(panel.trace());
        const auto& scene = view.flowScene();
        QCOMPARE(
            nodeIds(scene, Emphasis::Highlighted),
            (std::set<QString>{QStringLiteral("server:istio-system/bookinfo-gateway#0"),
                               QStringLiteral("rule:default/bookinfo/http/0"),
                               QStringLiteral("dest:outbound|9080||productpage.default.svc.cluster.local"),
                               QStringLiteral("service:productpage.default.svc.cluster.local"),
                               QStringLiteral("workload:Deployment:default/productpage-v1")}));
        QCOMPARE(nodeIds(scene, Emphasis::Dimmed).size(), std::size_t{9});
        int highlighted = 0;
        for (const auto* e : scene.edgeItems()) {
            highlighted += e->emphasis() == Emphasis::Highlighted;
            QVERIFY(e->emphasis() != Emphasis::Normal);
        }
        QCOMPARE(highlighted, 4);

        // A request no rule takes restores the plain graph.
        panel.setUrl(QStringLiteral("http://bookinfo.example.com/nothing-here"));
        QVERIFY(panel.trace());
        QCOMPARE(nodeIds(scene, Emphasis::Normal).size(), std::size_t{14});
    }

    void selectionBothWays() {
        FlowView view;
        show(view, m_bookinfo);
        QSignalSpy spy(&view, &FlowView::sourceRequested);
        auto& scene = view.flowScene();
        scene.selectNode(*scene.graph()->find("rule:default/bookinfo/http/0"));
        QCOMPARE(spy.count(), 1);
        QVERIFY(spy.at(0).at(0).toString().endsWith(QStringLiteral("samples/bookinfo/virtualservice.yaml")));
        QCOMPARE(spy.at(0).at(1).toInt(), 14);

        const QString vs = QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo/virtualservice.yaml");
        view.selectSource(vs, 25); // destination.host: productpage
        QCOMPARE(selectedId(scene),
                 QStringLiteral("dest:outbound|9080||productpage.default.svc.cluster.local"));
        view.selectSource(QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo/platform.yaml"), 150);
        QCOMPARE(selectedId(scene), QStringLiteral("workload:Deployment:default/reviews-v2"));
        QCOMPARE(spy.count(), 1);   // following the editor does not send it back to the editor
        view.selectSource(vs, 500); // past the end of the file: the selection stays
        QCOMPARE(selectedId(scene), QStringLiteral("workload:Deployment:default/reviews-v2"));

        // Clicking a node (a real mouse press on the viewport) selects it and asks for its YAML.
        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const auto* server =
            scene.nodeItems()[*scene.graph()->find("server:istio-system/bookinfo-gateway#0")];
        view.centerOn(server);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                          view.mapFromScene(server->sceneBoundingRect().center()));
        QCOMPARE(selectedId(scene), QStringLiteral("server:istio-system/bookinfo-gateway#0"));
        QCOMPARE(spy.count(), 2);
        QVERIFY(spy.at(1).at(0).toString().endsWith(QStringLiteral("gateway.yaml")));
        QCOMPARE(spy.at(1).at(1).toInt(), 12);
    }

    void findByName() {
        FlowView view;
        show(view, m_bookinfo);
        QVERIFY(view.findNode(QStringLiteral("REVIEWS-V2")));
        QCOMPARE(selectedId(view.flowScene()), QStringLiteral("workload:Deployment:default/reviews-v2"));
        // Repeating the search moves on to the next match, and wraps around.
        QVERIFY(view.findNode(QStringLiteral("productpage")));
        const QString first = selectedId(view.flowScene());
        QVERIFY(view.findNode(QStringLiteral("productpage")));
        QVERIFY(selectedId(view.flowScene()) != first);
        QVERIFY(!view.findNode(QStringLiteral("no-such-node")));
        // The search box drives it.
        view.searchBox().setText(QStringLiteral("ratings-v1"));
        QTest::keyClick(&view.searchBox(), Qt::Key_Return);
        QCOMPARE(selectedId(view.flowScene()), QStringLiteral("workload:Deployment:default/ratings-v1"));
    }

    void zoomIsBounded() {
        FlowView view;
        show(view, m_bookinfo);
        view.zoomBy(1000);
        QCOMPARE(view.zoom(), 4.0);
        view.zoomBy(1e-6);
        QCOMPARE(view.zoom(), 0.05);
    }

    void exportsPngAndSvg() {
        FlowView view;
        show(view, m_bookinfo);
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("flow.png")),
                      svg = dir.filePath(QStringLiteral("flow.svg"));
        QVERIFY(view.exportPng(png));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 400 && image.height() > 100);
        QVERIFY(view.exportSvg(svg));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QVERIFY(renderer.defaultSize().width() > 200);
        QVERIFY(!view.exportPng(dir.filePath(QStringLiteral("missing/folder/flow.png"))));
    }

    void emptyAndBroken() {
        FlowView view;
        show(view, nullptr);
        QVERIFY(view.flowScene().nodeItems().empty());
        const auto broken = ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml"});
        show(view, broken);
        const auto& scene = view.flowScene();
        const auto subset = scene.graph()->find("subset:shop.default.svc.cluster.local/v2");
        QVERIFY(subset);
        QVERIFY(scene.nodeItems()[*subset]->greyed());
        QVERIFY(scene.nodeItems()[*subset]->toolTip().contains(QStringLiteral("IST0101")));
    }

    // Selecting a weighted rule's node, or a destination it splits to, picks that rule in the
    // What-if dock; other nodes leave the dock alone.
    void selectingARulePicksItForWhatIf() {
        QStandardPaths::setTestModeEnabled(true);
        ui::CoreBridge bridge;
        ui::ColorTheme theme(*qApp);
        ui::MainWindow window(bridge, theme);
        auto* view = window.findChild<FlowView*>();
        auto* whatIf = window.findChild<ui::WhatIfPanel*>();
        QVERIFY(view && whatIf);
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/header-routing")});
        QTRY_VERIFY_WITH_TIMEOUT(!view->flowScene().nodeItems().empty() && whatIf->ruleBox().count() > 1,
                                 20000);
        QSignalSpy spy(view, &FlowView::ruleSelected);
        auto& scene = view->flowScene();
        const auto& g = *scene.graph();
        std::optional<std::size_t> rule, other;
        for (std::size_t i = 0; i < g.nodes().size(); ++i) {
            const auto& n = g.nodes()[i];
            if (n.kind == flow::NodeKind::VirtualServiceRule && n.id.ends_with("/http/1") && !rule)
                rule = i;
            if (n.kind == flow::NodeKind::Service && !other)
                other = i;
        }
        QVERIFY(rule && other);
        const int before = whatIf->ruleBox().currentIndex();
        scene.selectNode(*rule);
        QCOMPARE(spy.count(), 1);
        QVERIFY(whatIf->ruleBox().currentIndex() != before);
        QVERIFY(whatIf->ruleBox().currentText().contains(QStringLiteral(" rule 1")));
        const int picked = whatIf->ruleBox().currentIndex();
        scene.selectNode(*other);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(whatIf->ruleBox().currentIndex(), picked);
    }

    // Clicking on a weighted edge (a real mouse press on its line) picks the rule it belongs to.
    void clickingAnEdgePicksItsRule() {
        QStandardPaths::setTestModeEnabled(true);
        ui::CoreBridge bridge;
        ui::ColorTheme theme(*qApp);
        ui::MainWindow window(bridge, theme);
        auto* view = window.findChild<FlowView*>();
        auto* whatIf = window.findChild<ui::WhatIfPanel*>();
        QVERIFY(view && whatIf);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/canary")});
        QTRY_VERIFY_WITH_TIMEOUT(!view->flowScene().nodeItems().empty() && whatIf->ruleBox().count() > 0,
                                 20000);
        auto& scene = view->flowScene();
        const auto& g = *scene.graph();
        const auto edge =
            g.edgeBetween(*g.find("rule:canary/frontend/http/0"),
                          *g.find("dest:outbound|8080|canary|frontend.canary.svc.cluster.local"));
        QVERIFY(edge);
        const ui::FlowEdgeItem* item = scene.edgeItems()[*edge];
        view->setTransform(QTransform()); // 1:1, so the line is where the click lands
        const QPointF onLine = item->mapToScene(item->pointOnLine(0.6));
        view->centerOn(onLine);
        whatIf->ruleBox().setCurrentIndex(-1);
        QSignalSpy spy(view, &FlowView::ruleSelected);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(onLine));
        QCOMPARE(scene.selectedEdge(), edge);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("canary/frontend"));
        QCOMPARE(spy.at(0).at(1).toInt(), 0);
        QVERIFY(whatIf->ruleBox().currentText().contains(QStringLiteral("frontend")));
        // Empty canvas well away from every line selects nothing and picks nothing more.
        scene.clearSelection();
        QVERIFY(!scene.selectedEdge());
        QCOMPARE(spy.count(), 1);
    }

    void flowIsTheFirstTabOfTheWindow() {
        QStandardPaths::setTestModeEnabled(true); // keep the user's settings alone
        ui::CoreBridge bridge;
        ui::ColorTheme theme(*qApp);
        ui::MainWindow window(bridge, theme);
        auto* tabs = qobject_cast<QTabWidget*>(window.centralWidget());
        QVERIFY(tabs);
        QCOMPARE(tabs->tabText(0), QStringLiteral("Flow"));
        auto* view = qobject_cast<FlowView*>(tabs->widget(0));
        QVERIFY(view);
        QCOMPARE(tabs->currentIndex(), 0);
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QTRY_VERIFY_WITH_TIMEOUT(!view->flowScene().nodeItems().empty(), 20000);
        QCOMPARE(tabs->tabText(0), QStringLiteral("Flow")); // showing a file renames the YAML tab only
        auto* panel = window.findChild<ui::RequestPanel*>();
        panel->setUrl(QStringLiteral("http://bookinfo.example.com/productpage"));
        QVERIFY(panel->trace());
        QCOMPARE(nodeIds(view->flowScene(), Emphasis::Highlighted).size(), std::size_t{5});
    }

private:
    ui::ConfigSnapshotPtr m_bookinfo;
};

QTEST_MAIN(FlowViewTest)
#include "flow_view_test.moc"
