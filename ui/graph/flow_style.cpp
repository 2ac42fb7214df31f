// SPDX-License-Identifier: Apache-2.0
#include "flow_style.h"

#include <cmath>
#include <numbers>

#include <QPolygonF>

namespace sluice::ui::flowstyle {
namespace {

QPolygonF regular(const QRectF& box, int corners, double startDegrees) {
    QPolygonF polygon;
    const QPointF c = box.center();
    const double rx = box.width() / 2, ry = box.height() / 2;
    for (int i = 0; i < corners; ++i) {
        const double a = (startDegrees + 360.0 * i / corners) * std::numbers::pi / 180.0;
        polygon << QPointF(c.x() + rx * std::cos(a), c.y() + ry * std::sin(a));
    }
    return polygon;
}

} // namespace

QPainterPath glyph(flow::NodeKind kind, const QRectF& box) {
    QPainterPath path;
    switch (kind) {
    case flow::NodeKind::GatewayServer: { // a house: the way in
        const QRectF b = box.adjusted(1, 1, -1, -1);
        path.addPolygon(QPolygonF{{b.left(), b.top() + b.height() * 0.4},
                                  {b.center().x(), b.top()},
                                  {b.right(), b.top() + b.height() * 0.4},
                                  {b.right(), b.bottom()},
                                  {b.left(), b.bottom()}});
        break;
    }
    case flow::NodeKind::VirtualServiceRule:
        path.addPolygon(regular(box, 5, -90));
        break;
    case flow::NodeKind::Destination:
        path.addRect(box.adjusted(2, 4, -2, -4));
        break;
    case flow::NodeKind::Subset:
        path.addRoundedRect(box.adjusted(0, 4, 0, -4), 5, 5);
        break;
    case flow::NodeKind::Service:
        path.addPolygon(QPolygonF{{box.center().x(), box.top()}, box.bottomRight(), box.bottomLeft()});
        break;
    case flow::NodeKind::ServiceEntry:
        path.addPolygon(regular(box, 4, -90));
        break;
    case flow::NodeKind::Workload:
        path.addEllipse(box.adjusted(1, 1, -1, -1));
        break;
    }
    path.closeSubpath();
    return path;
}

QColor fill(flow::NodeKind kind) {
    switch (kind) {
    case flow::NodeKind::GatewayServer:
        return {0xe7, 0xf1, 0xfa};
    case flow::NodeKind::VirtualServiceRule:
        return {0xf3, 0xfa, 0xf2};
    case flow::NodeKind::Destination:
        return {0xff, 0xf6, 0xe6};
    case flow::NodeKind::Subset:
        return {0xf2, 0xf0, 0xfc};
    case flow::NodeKind::Service:
    case flow::NodeKind::ServiceEntry:
        return {0xe8, 0xf7, 0xfb};
    case flow::NodeKind::Workload:
        return {0xff, 0xff, 0xff};
    }
    return Qt::white;
}

QColor health(live::EdgeHealth health) {
    switch (health) {
    case live::EdgeHealth::Healthy:
        return {0x3e, 0x86, 0x35};
    case live::EdgeHealth::Degraded:
        return {0xec, 0x7a, 0x08};
    case live::EdgeHealth::Failure:
        return {0xc9, 0x19, 0x0b};
    case live::EdgeHealth::Idle:
        break;
    }
    return kEdge;
}

} // namespace sluice::ui::flowstyle
