// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"
#include "flow/flow_layout.h"
#include "live/flow_overlay.h"

#include <QElapsedTimer>
#include <QGraphicsView>

class QAction;
class QLabel;
class QTimer;
class QLineEdit;
class QToolBar;

namespace sluice::routing {
struct Decision;
}

namespace sluice::ui {

class FlowScene;

/// The Flow tab: the flow graph of the current snapshot in a view with a small toolbar (find a node
/// by name, fit, zoom, export PNG/SVG). Wheel zooms around the cursor, dragging the background pans.
/// Selecting a node asks for its YAML (sourceRequested); selectSource() does the reverse. With
/// live traffic, "Moving dots" animates it (live::TrafficDots) at 25 frames a second.
/// The graph and its layout arrive computed on workers (ConfigSnapshot::build, then CoreBridge's
/// layout phase): nothing here is slow. Until a new snapshot's layout arrives the previous graph stays.
/// Thread affinity: GUI thread.
class FlowView : public QGraphicsView {
    Q_OBJECT

public:
    explicit FlowView(QWidget* parent = nullptr);

    /// A new snapshot: its graph is shown once setLayout() brings the layout for it.
    void setSnapshot(const ConfigSnapshotPtr& snapshot);
    /// Shows `snapshot`'s flow graph laid out by `layout`; ignored unless `snapshot` is the latest one.
    void setLayout(const sluice::ui::ConfigSnapshotPtr& snapshot, const sluice::flow::FlowLayoutPtr& layout);
    [[nodiscard]] FlowScene& flowScene() const { return *m_scene; }
    [[nodiscard]] QLineEdit& searchBox() const { return *m_search; }
    /// The toolbar's "Moving dots" toggle: Kiali's traffic animation on edges with live traffic.
    [[nodiscard]] QAction& dotsAction() const { return *m_dotsAction; }

    /// Selects and centres the next node (after the selected one) whose name contains `text`.
    bool findNode(const QString& text);
    void fitAll();
    void zoomBy(qreal factor);
    [[nodiscard]] qreal zoom() const;
    bool exportPng(const QString& path);
    bool exportSvg(const QString& path);

    /// Draws the path `decision` took (server -> rule -> destination -> subset -> service -> workload)
    /// and dims the rest; a decision without a route restores the plain graph.
    void highlight(const sluice::routing::Decision& decision);
    /// Draws live traffic on the edges (FlowScene::setTraffic()).
    void setTraffic(const sluice::flow::FlowGraphPtr& graph,
                    const std::shared_ptr<const sluice::live::FlowOverlay>& overlay);
    /// Selects the node whose YAML best contains `line` of `file` (for the editor's cursor), without
    /// emitting sourceRequested. Does nothing when no node comes from there.
    void selectSource(const QString& file, int line);

signals:
    /// The user selected a node: its YAML starts at `line` of `file`.
    void sourceRequested(const QString& file, int line);
    /// The user selected a VirtualService http rule's node, a destination it routes to
    /// (flow::httpRuleAt) or one of its edges (flow::httpRuleOfEdge): `virtualService`
    /// ("ns/name") rule `rule`, for the What-if panel.
    void ruleSelected(const QString& virtualService, int rule);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void selectionChanged();
    void animateDots(bool on);
    void askAndExport(bool svg);

    ConfigSnapshotPtr m_snapshot;
    FlowScene* m_scene = nullptr;
    QToolBar* m_bar = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_info = nullptr;
    QAction* m_dotsAction = nullptr;
    QTimer* m_dotsTimer = nullptr;
    QElapsedTimer m_dotsClock;
    bool m_selectingSource = false;
    bool m_fitted = false;
};

} // namespace sluice::ui
