// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow/flow_graph.h"
#include "flow/flow_layout.h"
#include "flow/flow_path.h"
#include "live/flow_overlay.h"

#include <optional>
#include <vector>

#include <QGraphicsScene>

namespace sluice::routing {
struct Decision;
}

namespace sluice::ui {

class FlowEdgeItem;
class FlowNodeItem;

/// The flow graph as graphics items, from a graph and its layout (both computed off the GUI thread).
/// Knows which item is which node; highlights a traced path; renders itself to PNG and SVG.
/// Thread affinity: GUI thread.
class FlowScene : public QGraphicsScene {
    Q_OBJECT

public:
    explicit FlowScene(QObject* parent = nullptr);

    /// Replaces the items. `layout` must be the layout of `graph` (else nothing is shown).
    void setGraph(flow::FlowGraphPtr graph, flow::FlowLayoutPtr layout);
    [[nodiscard]] const flow::FlowGraphPtr& graph() const { return m_graph; }
    [[nodiscard]] const std::vector<FlowNodeItem*>& nodeItems() const { return m_nodes; }
    [[nodiscard]] const std::vector<FlowEdgeItem*>& edgeItems() const { return m_edges; }

    /// Draws the path `decision` took in full and dims the rest; returns the path (empty: nothing to
    /// show, and the graph is drawn normally).
    flow::FlowPath highlight(const routing::Decision& decision);
    void clearHighlight();

    /// Draws the traffic of `overlay` (computed for `graph`) on the edges: width by rate, Kiali's
    /// colour by error ratio, "rps · share" labels. Kept for `graph`: applied again when its layout
    /// arrives later. A null overlay draws the graph plainly.
    void setTraffic(const flow::FlowGraphPtr& graph, const std::shared_ptr<const live::FlowOverlay>& overlay);

    /// The selected node, if exactly one is.
    [[nodiscard]] std::optional<std::size_t> selectedNode() const;
    void selectNode(std::size_t index);
    /// The selected edge, if exactly one item is selected and it is an edge.
    [[nodiscard]] std::optional<std::size_t> selectedEdge() const;
    void selectEdge(std::size_t index);
    /// Moves the traffic dots of every edge with traffic to the animation's time `seconds`;
    /// negative clears them.
    void setDotsTime(double seconds);
    /// Nodes whose label, secondary text or id contains `text` (any case), in graph order.
    [[nodiscard]] std::vector<std::size_t> findNodes(const QString& text) const;

    /// Renders everything at `scale` onto a white PNG; false when the file cannot be written.
    bool exportPng(const QString& path, qreal scale = 2.0);
    bool exportSvg(const QString& path);

private:
    flow::FlowGraphPtr m_graph;
    flow::FlowLayoutPtr m_layout;
    std::vector<FlowNodeItem*> m_nodes;
    std::vector<FlowEdgeItem*> m_edges;
    flow::FlowGraphPtr m_trafficGraph;
    std::shared_ptr<const live::FlowOverlay> m_traffic;

    void applyTraffic();
};

} // namespace sluice::ui
