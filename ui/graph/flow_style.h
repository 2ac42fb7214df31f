// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow/flow_graph.h"
#include "live/flow_overlay.h"

#include <QColor>
#include <QPainterPath>
#include <QRectF>

namespace sluice::ui {

/// How the flow graph looks, after Kiali's graph where users already know it: one shape per kind
/// (workload circle, versioned app (here: subset) rounded rectangle, service triangle, service entry
/// diamond; rules take Kiali's operation pentagon, gateway servers a house, destinations a plain
/// box), dark outlines, orange/red for warnings/errors, grey for what receives no traffic.
namespace flowstyle {

/// Below this scale (view pixels per scene unit) texts are not drawn: 9 pt becomes ~3 px.
inline constexpr qreal kTextLevelOfDetail = 0.35;
inline const QColor kOutline{0x4f, 0x52, 0x55};
inline const QColor kText{0x15, 0x15, 0x15};
inline const QColor kSecondaryText{0x6a, 0x6e, 0x73};
inline const QColor kGrey{0xb8, 0xbb, 0xbe};
inline const QColor kGreyText{0x8a, 0x8d, 0x90};
inline const QColor kGreyFill{0xf5, 0xf5, 0xf5};
inline const QColor kWarning{0xf0, 0xab, 0x00};
inline const QColor kError{0xc9, 0x19, 0x0b};
inline const QColor kHighlight{0x00, 0x66, 0xcc};
inline const QColor kEdge{0x6a, 0x6e, 0x73};

/// Kiali's edge colours by health: green healthy, orange degraded (4xx >= 10 %), red failure
/// (5xx >= 10 %); the plain edge colour when idle.
[[nodiscard]] QColor health(live::EdgeHealth health);

/// The glyph of a kind, drawn inside `box`.
[[nodiscard]] QPainterPath glyph(flow::NodeKind kind, const QRectF& box);
/// The fill of a kind's glyph (light tints that tell the columns apart).
[[nodiscard]] QColor fill(flow::NodeKind kind);

} // namespace flowstyle
} // namespace sluice::ui
