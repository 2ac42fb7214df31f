// SPDX-License-Identifier: Apache-2.0
#include "resource_tree_model.h"

#include <map>

namespace sluice::ui {
namespace {

// Children carry their kind's row + 1 as internal id; kinds carry 0.
constexpr quintptr kKindId = 0;

} // namespace

ResourceTreeModel::ResourceTreeModel(QObject* parent)
    : QAbstractItemModel(parent) {}

void ResourceTreeModel::setSnapshot(const ConfigSnapshotPtr& snapshot) {
    beginResetModel();
    m_kinds.clear();
    if (snapshot) {
        std::map<std::string, std::pair<int, int>> counts; // resource -> errors, warnings
        for (const auto& d : snapshot->diagnostics) {
            if (d.level == model::Level::Error)
                ++counts[d.resource].first;
            else if (d.level == model::Level::Warning)
                ++counts[d.resource].second;
        }
        const auto& set = snapshot->loaded.resources;
        set.forEachResource([&](const auto& r) {
            using R = std::decay_t<decltype(r)>;
            const QString kind = QString::fromUtf8(R::kKind.data(), static_cast<qsizetype>(R::kKind.size()));
            if (m_kinds.empty() || m_kinds.back().name != kind)
                m_kinds.push_back({kind, {}});
            const std::string resource = model::resourceName(r);
            const auto c = counts.find(resource);
            m_kinds.back().items.push_back(
                {QString::fromStdString(r.header.ns() + "/" + r.header.name()),
                 QString::fromStdString(resource),
                 QString::fromStdString(std::string(set.fileName(r.header.doc.file))),
                 static_cast<int>(r.header.doc.firstLine), c == counts.end() ? 0 : c->second.first,
                 c == counts.end() ? 0 : c->second.second});
        });
    }
    endResetModel();
}

QModelIndex ResourceTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kKindId);
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex ResourceTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kKindId)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kKindId);
}

int ResourceTreeModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid())
        return static_cast<int>(m_kinds.size());
    if (parent.internalId() != kKindId || parent.column() != 0)
        return 0;
    return static_cast<int>(m_kinds[static_cast<std::size_t>(parent.row())].items.size());
}

int ResourceTreeModel::columnCount(const QModelIndex&) const {
    return 1;
}

QVariant ResourceTreeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == kKindId) {
        const Kind& kind = m_kinds[static_cast<std::size_t>(index.row())];
        if (role == Qt::DisplayRole)
            return QStringLiteral("%1 (%2)").arg(kind.name).arg(kind.items.size());
        return {};
    }
    const Item& item = m_kinds[index.internalId() - 1].items[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        if (item.errors || item.warnings)
            return QStringLiteral("%1  (%2 errors, %3 warnings)")
                .arg(item.name)
                .arg(item.errors)
                .arg(item.warnings);
        return item.name;
    case Qt::ToolTipRole:
        return QStringLiteral("%1\n%2:%3").arg(item.resource, item.file).arg(item.line);
    case FileRole:
        return item.file;
    case LineRole:
        return item.line;
    case ErrorCountRole:
        return item.errors;
    case WarningCountRole:
        return item.warnings;
    case ResourceRole:
        return item.resource;
    default:
        return {};
    }
}

} // namespace sluice::ui
