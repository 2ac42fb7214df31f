// SPDX-License-Identifier: Apache-2.0
#include "resource_tree_model.h"

#include <map>

#include <QApplication>
#include <QIcon>
#include <QStyle>

namespace sluice::ui {

ResourceTreeModel::ResourceTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
    , m_nodes(1) {}

std::size_t ResourceTreeModel::addNode(std::size_t parent, Node node) {
    node.parent = parent;
    node.row = static_cast<int>(m_nodes[parent].children.size());
    m_nodes.push_back(std::move(node));
    const std::size_t id = m_nodes.size() - 1;
    m_nodes[parent].children.push_back(id);
    return id;
}

void ResourceTreeModel::setSnapshot(const ConfigSnapshotPtr& snapshot) {
    beginResetModel();
    m_nodes.assign(1, Node{});
    if (snapshot) {
        std::map<std::string, std::pair<int, int>> counts; // resource -> errors, warnings
        for (const auto& d : snapshot->diagnostics) {
            if (d.level == model::Level::Error)
                ++counts[d.resource].first;
            else if (d.level == model::Level::Warning)
                ++counts[d.resource].second;
        }
        const auto& set = snapshot->loaded.resources;
        // Resources come grouped by kind; namespaces are sorted within a kind.
        std::map<QString, std::size_t> namespaces;
        std::size_t kind = 0;
        set.forEachResource([&](const auto& r) {
            using R = std::decay_t<decltype(r)>;
            const QString kindName =
                QString::fromUtf8(R::kKind.data(), static_cast<qsizetype>(R::kKind.size()));
            if (kind == 0 || m_nodes[kind].text != kindName) {
                kind = addNode(0, {.text = kindName});
                namespaces.clear();
            }
            const QString ns = QString::fromStdString(r.header.ns());
            auto [it, added] = namespaces.try_emplace(ns, 0);
            if (added)
                it->second = addNode(kind, {.text = ns});
            const std::string resource = model::resourceName(r);
            const auto c = counts.find(resource);
            const int errors = c == counts.end() ? 0 : c->second.first;
            const int warnings = c == counts.end() ? 0 : c->second.second;
            addNode(it->second, {.text = QString::fromStdString(r.header.name()),
                                 .resource = QString::fromStdString(resource),
                                 .file = QString::fromStdString(std::string(set.fileName(r.header.doc.file))),
                                 .line = static_cast<int>(r.header.doc.firstLine),
                                 .errors = errors,
                                 .warnings = warnings});
            for (std::size_t up : {it->second, kind}) {
                m_nodes[up].errors += errors;
                m_nodes[up].warnings += warnings;
                ++m_nodes[up].resources;
            }
        });
        // Namespaces were added in order of appearance; show them sorted.
        for (std::size_t k : m_nodes[0].children) {
            auto& list = m_nodes[k].children;
            std::stable_sort(list.begin(), list.end(), [this](std::size_t a, std::size_t b) {
                return m_nodes[a].text < m_nodes[b].text;
            });
            for (std::size_t i = 0; i < list.size(); ++i)
                m_nodes[list[i]].row = static_cast<int>(i);
        }
    }
    endResetModel();
}

const ResourceTreeModel::Node& ResourceTreeModel::node(const QModelIndex& index) const {
    return index.isValid() ? m_nodes[index.internalId() - 1] : m_nodes[0];
}

QModelIndex ResourceTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, node(parent).children[static_cast<std::size_t>(row)] + 1);
}

QModelIndex ResourceTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid())
        return {};
    const std::size_t up = node(child).parent;
    if (up == 0)
        return {};
    return createIndex(m_nodes[up].row, 0, up + 1);
}

int ResourceTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.column() > 0)
        return 0;
    return static_cast<int>(node(parent).children.size());
}

int ResourceTreeModel::columnCount(const QModelIndex&) const {
    return 1;
}

QVariant ResourceTreeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node& n = node(index);
    const bool isResource = !n.resource.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        if (!isResource)
            return QStringLiteral("%1 (%2)").arg(n.text).arg(n.resources);
        return n.text;
    case Qt::DecorationRole:
        // The badge: the worst finding under this row.
        if (n.errors)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
        if (n.warnings)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::ToolTipRole: {
        QString tip = isResource ? QStringLiteral("%1\n%2:%3").arg(n.resource, n.file).arg(n.line) : n.text;
        if (n.errors || n.warnings)
            tip += tr("\n%1 errors, %2 warnings").arg(n.errors).arg(n.warnings);
        return tip;
    }
    case FileRole:
        return isResource ? QVariant(n.file) : QVariant();
    case LineRole:
        return isResource ? QVariant(n.line) : QVariant();
    case ErrorCountRole:
        return n.errors;
    case WarningCountRole:
        return n.warnings;
    case ResourceRole:
        return isResource ? QVariant(n.resource) : QVariant();
    default:
        return {};
    }
}

} // namespace sluice::ui
