// SPDX-License-Identifier: Apache-2.0
#include "flow_scene.h"

#include "flow_edge_item.h"
#include "flow_node_item.h"

#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

namespace sluice::ui {
namespace {

constexpr qreal kMargin = 16;

} // namespace

FlowScene::FlowScene(QObject* parent)
    : QGraphicsScene(parent) {
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
}

void FlowScene::setGraph(flow::FlowGraphPtr graph, flow::FlowLayoutPtr layout) {
    clear();
    m_nodes.clear();
    m_edges.clear();
    m_graph = std::move(graph);
    m_layout = std::move(layout);
    if (!m_graph || !m_layout || m_layout->nodes.size() != m_graph->nodes().size() ||
        m_layout->edges.size() != m_graph->edges().size()) {
        setSceneRect(QRectF());
        return;
    }
    for (std::size_t i = 0; i < m_graph->edges().size(); ++i) {
        auto* item = new FlowEdgeItem(m_graph->edges()[i], i, m_layout->edges[i]);
        addItem(item);
        m_edges.push_back(item);
    }
    for (std::size_t i = 0; i < m_graph->nodes().size(); ++i) {
        auto* item = new FlowNodeItem(m_graph->nodes()[i], i, m_layout->nodes[i]);
        addItem(item);
        m_nodes.push_back(item);
    }
    setSceneRect(
        QRectF(0, 0, m_layout->width, m_layout->height).adjusted(-kMargin, -kMargin, kMargin, kMargin));
    applyTraffic();
}

void FlowScene::setTraffic(const flow::FlowGraphPtr& graph,
                           const std::shared_ptr<const live::FlowOverlay>& overlay) {
    m_trafficGraph = graph;
    m_traffic = overlay;
    applyTraffic();
}

void FlowScene::applyTraffic() {
    const bool applies =
        m_traffic && m_graph && m_trafficGraph == m_graph && m_traffic->edges.size() == m_edges.size();
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        const live::EdgeTraffic traffic = applies ? m_traffic->edges[i] : live::EdgeTraffic{};
        m_edges[i]->setTraffic(traffic, applies ? m_traffic->widthFor(traffic.rps) : 0);
    }
}

flow::FlowPath FlowScene::highlight(const routing::Decision& decision) {
    if (!m_graph)
        return {};
    flow::FlowPath path = flow::pathOf(*m_graph, decision);
    if (path.empty()) {
        clearHighlight();
        return path;
    }
    for (auto* n : m_nodes)
        n->setEmphasis(Emphasis::Dimmed);
    for (auto* e : m_edges)
        e->setEmphasis(Emphasis::Dimmed);
    for (std::size_t n : path.nodes)
        m_nodes[n]->setEmphasis(Emphasis::Highlighted);
    for (std::size_t e : path.edges)
        m_edges[e]->setEmphasis(Emphasis::Highlighted);
    return path;
}

void FlowScene::clearHighlight() {
    for (auto* n : m_nodes)
        n->setEmphasis(Emphasis::Normal);
    for (auto* e : m_edges)
        e->setEmphasis(Emphasis::Normal);
}

std::optional<std::size_t> FlowScene::selectedNode() const {
    const auto items = selectedItems();
    if (items.size() != 1)
        return std::nullopt;
    const auto* node = dynamic_cast<const FlowNodeItem*>(items.front());
    return node ? std::optional<std::size_t>(node->index()) : std::nullopt;
}

void FlowScene::selectNode(std::size_t index) {
    if (index >= m_nodes.size())
        return;
    if (selectedNode() == index)
        return;
    clearSelection();
    m_nodes[index]->setSelected(true);
}

void FlowScene::setDotsTime(double seconds) {
    for (auto* e : m_edges)
        e->setDotsTime(seconds);
}

std::optional<std::size_t> FlowScene::selectedEdge() const {
    const auto items = selectedItems();
    if (items.size() != 1)
        return std::nullopt;
    const auto* edge = dynamic_cast<const FlowEdgeItem*>(items.front());
    return edge ? std::optional<std::size_t>(edge->index()) : std::nullopt;
}

void FlowScene::selectEdge(std::size_t index) {
    if (index >= m_edges.size() || selectedEdge() == index)
        return;
    clearSelection();
    m_edges[index]->setSelected(true);
}

std::vector<std::size_t> FlowScene::findNodes(const QString& text) const {
    std::vector<std::size_t> out;
    if (!m_graph || text.trimmed().isEmpty())
        return out;
    const QString needle = text.trimmed();
    for (std::size_t i = 0; i < m_graph->nodes().size(); ++i) {
        const auto& n = m_graph->nodes()[i];
        for (const std::string* s : {&n.label, &n.secondary, &n.id})
            if (QString::fromStdString(*s).contains(needle, Qt::CaseInsensitive)) {
                out.push_back(i);
                break;
            }
    }
    return out;
}

bool FlowScene::exportPng(const QString& path, qreal scale) {
    const QRectF source = sceneRect();
    QImage image((source.size() * scale).toSize().expandedTo(QSize(1, 1)), QImage::Format_ARGB32);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        render(&painter, QRectF(QPointF(0, 0), image.size()), source);
    }
    return image.save(path, "PNG");
}

bool FlowScene::exportSvg(const QString& path) {
    const QRectF source = sceneRect();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(source.size().toSize().expandedTo(QSize(1, 1)));
    svg.setViewBox(QRectF(QPointF(0, 0), source.size()));
    svg.setTitle(QStringLiteral("Sluice flow graph"));
    QPainter painter;
    if (!painter.begin(&svg))
        return false;
    painter.fillRect(QRectF(QPointF(0, 0), source.size()), Qt::white);
    render(&painter, QRectF(QPointF(0, 0), source.size()), source);
    return painter.end();
}

} // namespace sluice::ui
