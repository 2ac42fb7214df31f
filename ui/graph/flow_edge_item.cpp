// SPDX-License-Identifier: Apache-2.0
#include "flow_edge_item.h"

#include "flow_style.h"

#include <algorithm>

#include <QFontMetricsF>
#include <QLineF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

namespace sluice::ui {
namespace {

QFont labelFont() {
    QFont font;
    font.setPointSizeF(7.5);
    return font;
}

QPointF toQt(const flow::FlowPoint& p) {
    return {p.x, p.y};
}

} // namespace

FlowEdgeItem::FlowEdgeItem(const flow::FlowEdge& edge, std::size_t index, const flow::EdgeRoute& route)
    : m_index(index)
    , m_label(QString::fromStdString(edge.label))
    , m_greyed(edge.greyed)
    , m_mesh(edge.kind == flow::EdgeKind::Mesh) {
    setZValue(0);
    setFlag(ItemIsSelectable);
    if (!route.points.empty()) {
        m_path.moveTo(toQt(route.points.front()));
        for (std::size_t i = 1; i + 2 < route.points.size(); i += 3)
            m_path.cubicTo(toQt(route.points[i]), toQt(route.points[i + 1]), toQt(route.points[i + 2]));
        // The arrow head: from the spline's end to the tip Graphviz left room for.
        const QPointF end = m_path.currentPosition(), tip = toQt(route.tip);
        QLineF shaft(tip, end);
        if (shaft.length() < 1)
            shaft = QLineF(tip, m_path.pointAtPercent(0.95));
        if (shaft.length() >= 0.5) {
            shaft.setLength(9);
            QLineF side = shaft.normalVector();
            side.setLength(3.5);
            const QPointF base = shaft.p2();
            m_arrow << tip << base + (side.p2() - side.p1()) << base - (side.p2() - side.p1());
            m_path.lineTo(base);
        }
    }
    if (route.hasLabel && !m_label.isEmpty()) {
        const QFontMetricsF metrics(labelFont());
        const QSizeF size = metrics.size(0, m_label) + QSizeF(6, 2);
        m_labelBox = QRectF(
            QPointF(route.labelCentre.x - size.width() / 2, route.labelCentre.y - size.height() / 2), size);
    }
    m_bounds = m_path.boundingRect().united(m_arrow.boundingRect()).united(m_labelBox).adjusted(-3, -3, 3, 3);
    m_plainBounds = m_bounds;
    setToolTip(m_label);
}

void FlowEdgeItem::setTraffic(const live::EdgeTraffic& traffic, qreal width) {
    prepareGeometryChange();
    m_traffic = traffic;
    m_trafficWidth = traffic.health == live::EdgeHealth::Idle ? 0 : width;
    m_trafficLabel = QString::fromStdString(traffic.label());
    m_trafficBox = QRectF();
    if (!m_trafficLabel.isEmpty() && !m_path.isEmpty()) {
        const QSizeF size = QFontMetricsF(labelFont()).size(0, m_trafficLabel) + QSizeF(6, 2);
        // Beside the match label when there is one, else on the middle of the curve.
        const QPointF at = m_labelBox.isEmpty()
                               ? m_path.pointAtPercent(0.5)
                               : QPointF(m_labelBox.center().x(), m_labelBox.bottom() + size.height() / 2);
        m_trafficBox = QRectF(at - QPointF(size.width() / 2, size.height() / 2), size);
    }
    m_bounds =
        m_plainBounds.united(m_trafficBox)
            .adjusted(-m_trafficWidth / 2, -m_trafficWidth / 2, m_trafficWidth / 2, m_trafficWidth / 2);
    setToolTip(m_trafficLabel.isEmpty() ? m_label : m_label + QLatin1Char('\n') + m_trafficLabel);
    update();
}

void FlowEdgeItem::setDotsTime(double seconds) {
    const bool had = !m_dots.empty();
    m_dots.clear();
    if (seconds >= 0 && m_trafficWidth > 0 && !m_path.isEmpty()) {
        const double failing = m_traffic.requests ? static_cast<double>(m_traffic.serverErrors) /
                                                        static_cast<double>(m_traffic.requests)
                                                  : 0.0;
        m_dots = live::TrafficDots::at(m_traffic.rps, failing, m_path.length(), seconds);
    }
    if (had || !m_dots.empty())
        update();
}

QColor FlowEdgeItem::colour() const {
    if (m_emphasis == Emphasis::Highlighted)
        return flowstyle::kHighlight;
    if (m_trafficWidth > 0)
        return flowstyle::health(m_traffic.health);
    return m_greyed ? flowstyle::kGrey : flowstyle::kEdge;
}

void FlowEdgeItem::setEmphasis(Emphasis emphasis) {
    m_emphasis = emphasis;
    setOpacity(emphasis == Emphasis::Dimmed ? 0.2 : 1.0);
    setZValue(emphasis == Emphasis::Highlighted ? 0.5 : 0);
    update();
}

Qt::PenStyle FlowEdgeItem::penStyle() const {
    if (m_mesh)
        return Qt::DashDotLine;
    if (m_greyed && m_emphasis != Emphasis::Highlighted && m_trafficWidth == 0)
        return Qt::DashLine;
    return Qt::SolidLine;
}

QRectF FlowEdgeItem::boundingRect() const {
    return m_bounds;
}

QPainterPath FlowEdgeItem::shape() const {
    QPainterPathStroker stroker;
    stroker.setWidth(std::max<qreal>(8, m_trafficWidth + 4));
    QPainterPath hit = stroker.createStroke(m_path);
    hit.addPolygon(m_arrow);
    if (!m_labelBox.isEmpty())
        hit.addRect(m_labelBox);
    if (!m_trafficBox.isEmpty())
        hit.addRect(m_trafficBox);
    return hit;
}

void FlowEdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) {
    Q_UNUSED(widget);
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor colour = this->colour();
    qreal width = m_trafficWidth > 0 ? m_trafficWidth : 1.2;
    if (option->state & QStyle::State_Selected) { // a halo under the line, whatever its colour
        QPen halo(QColor(0x00, 0x66, 0xcc, 70), width + 6);
        halo.setCapStyle(Qt::RoundCap);
        painter->setPen(halo);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(m_path);
    }
    if (m_emphasis == Emphasis::Highlighted)
        width = std::max<qreal>(width, 2.6);
    QPen pen(colour, width);
    pen.setStyle(penStyle());
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    painter->setPen(Qt::NoPen);
    painter->setBrush(colour);
    painter->drawPolygon(m_arrow);
    if (!m_dots.empty()) {
        const qreal radius = std::clamp<qreal>(width * 0.45, 1.8, 3.2);
        painter->setPen(QPen(Qt::white, 0.8));
        for (const live::TrafficDot& dot : m_dots) {
            painter->setBrush(dot.error ? flowstyle::health(live::EdgeHealth::Failure) : colour.darker(150));
            painter->drawEllipse(m_path.pointAtPercent(dot.at), radius, radius);
        }
        painter->setPen(Qt::NoPen);
    }
    if (option->levelOfDetailFromTransform(painter->worldTransform()) < flowstyle::kTextLevelOfDetail)
        return; // no unreadable labels on a zoomed-out graph (see FlowNodeItem::paint)
    if (!m_trafficBox.isEmpty()) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(255, 255, 255, 215));
        painter->drawRoundedRect(m_trafficBox, 3, 3);
        painter->setFont(labelFont());
        painter->setPen(colour.darker(130));
        painter->drawText(m_trafficBox, Qt::AlignCenter, m_trafficLabel);
        painter->setPen(Qt::NoPen);
    }
    if (m_labelBox.isEmpty())
        return;
    painter->setBrush(QColor(255, 255, 255, 215));
    painter->drawRoundedRect(m_labelBox, 3, 3);
    painter->setFont(labelFont());
    painter->setPen(m_greyed ? flowstyle::kGreyText : flowstyle::kText);
    painter->drawText(m_labelBox, Qt::AlignCenter, m_label);
}

} // namespace sluice::ui
