// SPDX-License-Identifier: Apache-2.0
#include "flow_view.h"

#include "flow/flow_rule_ref.h"
#include "flow_node_item.h"
#include "flow_scene.h"
#include "routing/decision.h"

#include <cmath>

#include <QAction>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTimer>
#include <QToolBar>
#include <QWheelEvent>

namespace sluice::ui {
namespace {

constexpr qreal kMinZoom = 0.05;
constexpr qreal kMaxZoom = 4.0;
constexpr qreal kMinReadableZoom = 0.55;

} // namespace

FlowView::FlowView(QWidget* parent)
    : QGraphicsView(parent)
    , m_scene(new FlowScene(this)) {
    setScene(m_scene);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
    setBackgroundBrush(QColor(0xfa, 0xfa, 0xfa));

    // The toolbar sits in a margin above the viewport, so it never covers the graph.
    m_bar = new QToolBar(this);
    m_bar->setIconSize(QSize(16, 16));
    m_search = new QLineEdit(m_bar);
    m_search->setPlaceholderText(tr("Find node by name"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(260);
    m_bar->addWidget(m_search);
    m_bar->addAction(tr("Fit"), this, &FlowView::fitAll)->setToolTip(tr("Fit the graph in the view"));
    m_bar->addAction(tr("Zoom In"), this, [this] { zoomBy(1.25); });
    m_bar->addAction(tr("Zoom Out"), this, [this] { zoomBy(0.8); });
    m_bar->addSeparator();
    m_bar->addAction(tr("Export PNG..."), this, [this] { askAndExport(false); });
    m_bar->addAction(tr("Export SVG..."), this, [this] { askAndExport(true); });
    m_bar->addSeparator();
    m_dotsAction = m_bar->addAction(tr("Moving dots"));
    m_dotsAction->setCheckable(true);
    m_dotsAction->setToolTip(tr("Animate live traffic as dots travelling along the edges (red: failing)"));
    m_dotsTimer = new QTimer(this);
    m_dotsTimer->setInterval(40); // 25 frames a second: smooth, and light on the GUI thread
    connect(m_dotsAction, &QAction::toggled, this, &FlowView::animateDots);
    connect(m_dotsTimer, &QTimer::timeout, this,
            [this] { m_scene->setDotsTime(static_cast<double>(m_dotsClock.elapsed()) / 1000.0); });
    m_info = new QLabel(m_bar);
    m_info->setContentsMargins(8, 0, 0, 0);
    m_bar->addWidget(m_info);
    setViewportMargins(0, m_bar->sizeHint().height(), 0, 0);

    connect(m_search, &QLineEdit::returnPressed, this, [this] { findNode(m_search->text()); });
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &FlowView::selectionChanged);
}

void FlowView::setSnapshot(const ConfigSnapshotPtr& snapshot) {
    m_snapshot = snapshot;
    if (!snapshot || !snapshot->flow) {
        m_scene->setGraph(nullptr, nullptr);
        m_info->setText(tr("No config open"));
        return;
    }
    m_info->setText(tr("Laying out %1 nodes...").arg(snapshot->flow->nodes().size()));
}

void FlowView::setLayout(const ConfigSnapshotPtr& snapshot, const flow::FlowLayoutPtr& layout) {
    if (!snapshot || snapshot != m_snapshot || !layout)
        return;
    const bool first = !m_scene->graph();
    m_scene->setGraph(snapshot->flow, layout);
    if (!layout->error.empty())
        m_info->setText(QString::fromStdString(layout->error));
    else
        m_info->setText(tr("%1 nodes · %2 edges")
                            .arg(snapshot->flow->nodes().size())
                            .arg(snapshot->flow->edges().size()));
    // The first graph is fitted; later ones (edits) keep the user's zoom and position.
    if (first || !m_fitted)
        fitAll();
}

bool FlowView::findNode(const QString& text) {
    const auto matches = m_scene->findNodes(text);
    if (matches.empty())
        return false;
    std::size_t next = matches.front();
    if (const auto selected = m_scene->selectedNode())
        for (std::size_t m : matches)
            if (m > *selected) {
                next = m;
                break;
            }
    m_scene->selectNode(next);
    centerOn(m_scene->nodeItems()[next]);
    return true;
}

void FlowView::fitAll() {
    if (m_scene->nodeItems().empty())
        return;
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    if (zoom() > 1.25) {
        zoomBy(1.25 / zoom());
    } else if (zoom() < kMinReadableZoom) {
        // A big graph fitted whole is unreadable: keep labels legible and start at the gateways.
        zoomBy(kMinReadableZoom / zoom());
        const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
        centerOn(m_scene->sceneRect().left() + visible.width() / 2,
                 m_scene->sceneRect().top() + visible.height() / 2);
    }
    m_fitted = viewport()->width() > 0 && isVisible();
}

void FlowView::zoomBy(qreal factor) {
    const qreal target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const qreal applied = target / zoom();
    scale(applied, applied);
}

qreal FlowView::zoom() const {
    return transform().m11();
}

bool FlowView::exportPng(const QString& path) {
    return m_scene->exportPng(path);
}

bool FlowView::exportSvg(const QString& path) {
    return m_scene->exportSvg(path);
}

void FlowView::setTraffic(const flow::FlowGraphPtr& graph,
                          const std::shared_ptr<const live::FlowOverlay>& overlay) {
    m_scene->setTraffic(graph, overlay);
}

void FlowView::highlight(const routing::Decision& decision) {
    const auto path = m_scene->highlight(decision);
    if (!path.empty())
        ensureVisible(m_scene->nodeItems()[path.nodes.front()], 40, 40);
}

void FlowView::selectSource(const QString& file, int line) {
    const auto& graph = m_scene->graph();
    if (!graph || line <= 0)
        return;
    const auto node = graph->nodeAtSource(file.toStdString(), static_cast<std::uint32_t>(line));
    if (!node)
        return;
    m_selectingSource = true;
    m_scene->selectNode(*node);
    ensureVisible(m_scene->nodeItems()[*node], 40, 40);
    m_selectingSource = false;
}

void FlowView::selectionChanged() {
    if (m_selectingSource || !m_scene->graph())
        return;
    const auto& graph = *m_scene->graph();
    if (const auto edge = m_scene->selectedEdge()) {
        if (const auto rule = flow::httpRuleOfEdge(graph, *edge))
            emit ruleSelected(QString::fromStdString(rule->virtualService), rule->index);
        return;
    }
    const auto node = m_scene->selectedNode();
    if (!node)
        return;
    const auto file = graph.fileOf(*node);
    if (!file.empty())
        emit sourceRequested(QString::fromUtf8(file.data(), static_cast<qsizetype>(file.size())),
                             static_cast<int>(graph.nodes()[*node].span.line));
    if (const auto rule = flow::httpRuleAt(graph, *node))
        emit ruleSelected(QString::fromStdString(rule->virtualService), rule->index);
}

void FlowView::animateDots(bool on) {
    if (on) {
        m_dotsClock.start();
        m_dotsTimer->start();
    } else {
        m_dotsTimer->stop();
        m_scene->setDotsTime(-1);
    }
}

void FlowView::askAndExport(bool svg) {
    const QString filter = svg ? tr("SVG image (*.svg)") : tr("PNG image (*.png)");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the flow graph"),
                                     svg ? QStringLiteral("flow.svg") : QStringLiteral("flow.png"), filter);
    if (!path.isEmpty() && !(svg ? exportSvg(path) : exportPng(path)))
        m_info->setText(tr("Could not write %1").arg(path));
}

void FlowView::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(std::pow(1.15, delta / 120.0));
    event->accept();
}

void FlowView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    const QRect area = contentsRect();
    m_bar->setGeometry(area.left(), area.top(), area.width(), m_bar->sizeHint().height());
    if (!m_fitted && isVisible())
        fitAll();
}

} // namespace sluice::ui
