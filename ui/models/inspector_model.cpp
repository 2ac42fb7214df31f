// SPDX-License-Identifier: Apache-2.0
#include "inspector_model.h"

#include <QFont>

namespace sluice::ui {

InspectorModel::InspectorModel(QObject* parent)
    : QAbstractItemModel(parent) {}

InspectorModel::~InspectorModel() = default;

void InspectorModel::setSnapshot(ConfigSnapshotPtr snapshot) {
    const QString file = m_file;
    const int line = m_line;
    clear();
    m_builder.reset();
    m_snapshot = std::move(snapshot);
    if (m_snapshot)
        m_builder = std::make_unique<const inspect::OutlineBuilder>(m_snapshot->loaded.resources);
    if (!file.isEmpty())
        inspectAt(file, line);
}

bool InspectorModel::inspectAt(const QString& file, int line) {
    beginResetModel();
    m_rows.clear();
    m_top.clear();
    m_outline.reset();
    m_file = file;
    m_line = line;
    if (m_builder && line > 0)
        m_outline = m_builder->inspectAt(file.toStdString(), static_cast<std::uint32_t>(line));
    if (m_outline)
        flatten(m_outline->nodes, -1);
    endResetModel();
    return m_outline.has_value();
}

void InspectorModel::clear() {
    beginResetModel();
    m_rows.clear();
    m_top.clear();
    m_outline.reset();
    m_file.clear();
    m_line = 0;
    endResetModel();
}

void InspectorModel::flatten(const std::vector<inspect::OutlineNode>& nodes, int parent) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const int id = static_cast<int>(m_rows.size());
        m_rows.push_back({&nodes[i], parent, static_cast<int>(i), {}});
        (parent < 0 ? m_top : m_rows[static_cast<std::size_t>(parent)].children).push_back(id);
        flatten(nodes[i].children, id);
    }
}

QString InspectorModel::title() const {
    if (!m_outline)
        return {};
    QString out = QString::fromStdString(m_outline->kind) + QStringLiteral(" · ") +
                  QString::fromStdString(m_outline->resource);
    if (!m_outline->item.empty())
        out += QStringLiteral(" · ") + QString::fromStdString(m_outline->item);
    return out;
}

QString InspectorModel::file() const {
    return m_outline ? fileName(m_outline->span) : QString();
}

int InspectorModel::line() const {
    return m_outline ? static_cast<int>(m_outline->span.line) : 0;
}

QString InspectorModel::fileName(const model::SourceSpan& span) const {
    if (!m_snapshot || !span.known())
        return {};
    return QString::fromStdString(std::string(m_snapshot->loaded.resources.fileName(span.file)));
}

const std::vector<int>& InspectorModel::childrenOf(const QModelIndex& parent) const {
    if (!parent.isValid())
        return m_top;
    return m_rows[static_cast<std::size_t>(parent.internalId())].children;
}

QModelIndex InspectorModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent))
        return {};
    const int id = childrenOf(parent)[static_cast<std::size_t>(row)];
    return createIndex(row, column, static_cast<quintptr>(id));
}

QModelIndex InspectorModel::parent(const QModelIndex& child) const {
    if (!child.isValid())
        return {};
    const int parent = m_rows[static_cast<std::size_t>(child.internalId())].parent;
    if (parent < 0)
        return {};
    return createIndex(m_rows[static_cast<std::size_t>(parent)].row, 0, static_cast<quintptr>(parent));
}

int InspectorModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return static_cast<int>(childrenOf(parent).size());
}

int InspectorModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant InspectorModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const inspect::OutlineNode& node = *m_rows[static_cast<std::size_t>(index.internalId())].node;
    const bool derived = !node.span.known();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PropertyColumn:
            return QString::fromStdString(node.label);
        case ValueColumn:
            return QString::fromStdString(node.value);
        case LineColumn:
            return derived ? QVariant() : QVariant(static_cast<int>(node.span.line));
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        const QString where = derived ? tr("derived from the config, not written in one place")
                                      : QStringLiteral("%1:%2").arg(fileName(node.span)).arg(node.span.line);
        if (index.column() == ValueColumn && !node.value.empty())
            return QString(QString::fromStdString(node.value) + QLatin1Char('\n') + where);
        return where;
    }
    case Qt::FontRole:
        if (derived) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case FileRole:
        return fileName(node.span);
    case LineRole:
        return static_cast<int>(node.span.line);
    case DerivedRole:
        return derived;
    default:
        return {};
    }
}

QVariant InspectorModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PropertyColumn:
        return tr("Property");
    case ValueColumn:
        return tr("Value");
    case LineColumn:
        return tr("Line");
    default:
        return {};
    }
}

} // namespace sluice::ui
