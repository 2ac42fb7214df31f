// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow/flow_graph.h"
#include "flow/flow_layout.h"
#include "flow_node_item.h"
#include "live/flow_overlay.h"

#include <QGraphicsItem>
#include <QPainterPath>

namespace sluice::ui {

/// One edge: Graphviz's spline with an arrow head, and its label (matches or weight) on a light
/// background. Grey edges are dashed; mesh edges (calls between workloads) are dash-dotted, with
/// or without traffic.
class FlowEdgeItem : public QGraphicsItem {
public:
    FlowEdgeItem(const flow::FlowEdge& edge, std::size_t index, const flow::EdgeRoute& route);

    [[nodiscard]] std::size_t index() const { return m_index; }
    [[nodiscard]] QString label() const { return m_label; }
    [[nodiscard]] bool greyed() const { return m_greyed; }
    [[nodiscard]] bool mesh() const { return m_mesh; }
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

    [[nodiscard]] QRectF boundingRect() const override;
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
};

} // namespace sluice::ui
