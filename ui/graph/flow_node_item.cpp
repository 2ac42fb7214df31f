// SPDX-License-Identifier: Apache-2.0
#include "flow_node_item.h"

#include "flow_style.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace sluice::ui {
namespace {

constexpr qreal kGlyph = 26;
constexpr qreal kTextLeft = 38;

QString tooltipOf(const flow::FlowNode& node) {
    QString text = QStringLiteral("<b>%1</b><br>%2")
                       .arg(QString::fromStdString(node.label).toHtmlEscaped(),
                            QString::fromStdString(node.secondary).toHtmlEscaped());
    if (node.greyed)
        text += QStringLiteral("<br><i>%1</i>")
                    .arg(QString::fromStdString(node.reason)
                             .toHtmlEscaped()
                             .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    for (const auto& d : node.diagnostics)
        text += QStringLiteral("<br>%1 %2 line %3: %4")
                    .arg(QString::fromStdString(d.code), QString::fromUtf8(model::levelName(d.level).data()))
                    .arg(d.span.line)
                    .arg(QString::fromStdString(d.message).toHtmlEscaped());
    return text;
}

} // namespace

FlowNodeItem::FlowNodeItem(const flow::FlowNode& node, std::size_t index, const flow::FlowRect& box)
    : m_index(index)
    , m_kind(node.kind)
    , m_label(QString::fromStdString(node.label))
    , m_secondary(QString::fromStdString(node.secondary))
    , m_size(box.width, box.height)
    , m_greyed(node.greyed) {
    setPos(box.x, box.y);
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(true);
    setZValue(1);
    setToolTip(tooltipOf(node));
    if (!node.diagnostics.empty())
        m_problem = node.diagnostics.front().level == model::Level::Error ? 2 : 1;
}

void FlowNodeItem::setEmphasis(Emphasis emphasis) {
    m_emphasis = emphasis;
    setOpacity(emphasis == Emphasis::Dimmed ? 0.25 : 1.0);
    update();
}

QRectF FlowNodeItem::boundingRect() const {
    return QRectF(QPointF(0, 0), m_size).adjusted(-3, -3, 3, 3);
}

void FlowNodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) {
    Q_UNUSED(widget);
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF card(QPointF(0, 0), m_size);
    const bool selected = option->state & QStyle::State_Selected;

    // The card: emphasis and selection show as its outline.
    QPen cardPen(QColor(0xd2, 0xd2, 0xd2), 1);
    if (selected)
        cardPen = QPen(flowstyle::kHighlight, 2, Qt::SolidLine);
    else if (m_emphasis == Emphasis::Highlighted)
        cardPen = QPen(flowstyle::kHighlight, 1.5, Qt::SolidLine);
    painter->setPen(cardPen);
    painter->setBrush(m_emphasis == Emphasis::Highlighted || selected ? QColor(0xe7, 0xf1, 0xfa)
                                                                      : QColor(255, 255, 255, 220));
    painter->drawRoundedRect(card, 6, 6);

    // The glyph: the kind's shape, outlined by state.
    const QRectF glyphBox(6, (m_size.height() - kGlyph) / 2, kGlyph, kGlyph);
    QColor outline = m_greyed ? flowstyle::kGrey : flowstyle::kOutline;
    if (m_problem == 2)
        outline = flowstyle::kError;
    else if (m_problem == 1)
        outline = flowstyle::kWarning;
    QPen glyphPen(outline, m_problem ? 2.2 : 1.4);
    if (m_greyed)
        glyphPen.setStyle(Qt::DashLine);
    if (m_emphasis == Emphasis::Highlighted)
        glyphPen = QPen(flowstyle::kHighlight, 2.4);
    painter->setPen(glyphPen);
    painter->setBrush(m_greyed ? flowstyle::kGreyFill : flowstyle::fill(m_kind));
    painter->drawPath(flowstyle::glyph(m_kind, glyphBox));

    // Text under ~3 px is unreadable and the costliest part of a frame: a zoomed-out graph of
    // hundreds of nodes draws shapes only.
    if (option->levelOfDetailFromTransform(painter->worldTransform()) < flowstyle::kTextLevelOfDetail)
        return;

    // The texts, elided to the card.
    const qreal textWidth = m_size.width() - kTextLeft - 4;
    QFont labelFont = painter->font();
    labelFont.setPointSizeF(9);
    labelFont.setBold(true);
    QFont secondaryFont = labelFont;
    secondaryFont.setBold(false);
    secondaryFont.setPointSizeF(7.5);
    const QFontMetricsF labelMetrics(labelFont), secondaryMetrics(secondaryFont);
    painter->setFont(labelFont);
    painter->setPen(m_greyed ? flowstyle::kGreyText : flowstyle::kText);
    painter->drawText(QRectF(kTextLeft, 3, textWidth, m_size.height() / 2), Qt::AlignLeft | Qt::AlignBottom,
                      labelMetrics.elidedText(m_label, Qt::ElideMiddle, textWidth));
    painter->setFont(secondaryFont);
    painter->setPen(m_greyed ? flowstyle::kGreyText : flowstyle::kSecondaryText);
    painter->drawText(QRectF(kTextLeft, m_size.height() / 2 + 1, textWidth, m_size.height() / 2 - 3),
                      Qt::AlignLeft | Qt::AlignTop,
                      secondaryMetrics.elidedText(m_secondary, Qt::ElideRight, textWidth));
}

} // namespace sluice::ui
