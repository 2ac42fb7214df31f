// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow/flow_graph.h"
#include "flow/flow_layout.h"
#include "flow_node_item.h"
#include "live/flow_overlay.h"
#include "live/traffic_dots.h"

#include <vector>

#include <QGraphicsItem>
#include <QPainterPath>

namespace sluice::ui {

/// One edge: Graphviz's spline with an arrow head, and its label (matches or weight) on a light
/// background. Grey edges are dashed; mesh edges (calls between workloads) are dash-dotted, with
/// or without traffic. Selectable by clicking on or near its line, arrow or labels (shape()).
class FlowEdgeItem : public QGraphicsItem {
public:
    FlowEdgeItem(const flow::FlowEdge& edge, std::size_t index, const flow::EdgeRoute& route);

    [[nodiscard]] std::size_t index() const { return m_index; }
    [[nodiscard]] QString label() const { return m_label; }
    [[nodiscard]] bool greyed() const { return m_greyed; }
    [[nodiscard]] bool mesh() const { return m_mesh; }
    /// The point at `fraction` (0..1) of the curve's length, in item coordinates.
    [[nodiscard]] QPointF pointOnLine(qreal fraction) const { return m_path.pointAtPercent(fraction); }
    /// How the edge's line is drawn now (dashes for grey and mesh edges).
    [[nodiscard]] Qt::PenStyle penStyle() const;
    [[nodiscard]] Emphasis emphasis() const { return m_emphasis; }
    void setEmphasis(Emphasis emphasis);
    /// Draws the edge as traffic crosses it (width, Kiali's health colour, "rps · share" label);
    /// an idle edge is drawn plainly.
    void setTraffic(const live::EdgeTraffic& traffic, qreal width);
    [[nodiscard]] const live::EdgeTraffic& traffic() const { return m_traffic; }
    [[nodiscard]] qreal trafficWidth() const { return m_trafficWidth; }
    [[nodiscard]] QColor colour() const;
    /// Moving dots (live::TrafficDots) for the animation's time `seconds`; negative: none.
    void setDotsTime(double seconds);
    [[nodiscard]] std::size_t dotCount() const { return m_dots.size(); }

    [[nodiscard]] QRectF boundingRect() const override;
    /// The curve widened to an easy click, the arrow head and the labels.
    [[nodiscard]] QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    std::size_t m_index;
    QPainterPath m_path;
    QPolygonF m_arrow;
    QString m_label;
    QRectF m_labelBox;
    QRectF m_bounds;
    bool m_greyed;
    bool m_mesh;
    Emphasis m_emphasis = Emphasis::Normal;
    live::EdgeTraffic m_traffic;
    qreal m_trafficWidth = 0;
    QString m_trafficLabel;
    QRectF m_trafficBox;
    QRectF m_plainBounds;
    std::vector<live::TrafficDot> m_dots;
};

} // namespace sluice::ui
