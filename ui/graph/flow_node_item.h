// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow/flow_graph.h"
#include "flow/flow_layout.h"

#include <QGraphicsItem>

namespace sluice::ui {

/// How strongly an item is drawn while a traced path is shown.
enum class Emphasis : std::uint8_t { Normal, Highlighted, Dimmed };

/// One node of the flow graph: its kind's glyph on the left, label and secondary text beside it.
/// Selectable; the tooltip holds the grey reason or the findings about its YAML.
class FlowNodeItem : public QGraphicsItem {
public:
    FlowNodeItem(const flow::FlowNode& node, std::size_t index, const flow::FlowRect& box);

    [[nodiscard]] std::size_t index() const { return m_index; }
    [[nodiscard]] flow::NodeKind kind() const { return m_kind; }
    [[nodiscard]] bool greyed() const { return m_greyed; }
    [[nodiscard]] Emphasis emphasis() const { return m_emphasis; }
    void setEmphasis(Emphasis emphasis);

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    std::size_t m_index;
    flow::NodeKind m_kind;
    QString m_label;
    QString m_secondary;
    QSizeF m_size;
    bool m_greyed;
    int m_problem = 0; ///< 0 none, 1 warning, 2 error
    Emphasis m_emphasis = Emphasis::Normal;
};

} // namespace sluice::ui
