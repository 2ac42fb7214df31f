// SPDX-License-Identifier: Apache-2.0
#include "problems_model.h"

namespace sluice::ui {

ProblemsModel::ProblemsModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void ProblemsModel::setSnapshot(ConfigSnapshotPtr snapshot) {
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

int ProblemsModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_snapshot)
        return 0;
    return static_cast<int>(m_snapshot->diagnostics.size());
}

int ProblemsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_snapshot)
        return {};
    const model::Diagnostic& d = m_snapshot->diagnostics[static_cast<std::size_t>(index.row())];
    const QString file =
        QString::fromStdString(std::string(m_snapshot->loaded.resources.fileName(d.span.file)));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LevelColumn:
            return QString::fromStdString(std::string(model::levelName(d.level)));
        case CodeColumn:
            return QString::fromStdString(d.code);
        case LocationColumn:
            return QStringLiteral("%1:%2:%3").arg(file).arg(d.span.line).arg(d.span.column);
        case MessageColumn:
            return QString::fromStdString(d.message);
        case ResourceColumn:
            return QString::fromStdString(d.resource);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return QString::fromStdString(d.message);
    case FileRole:
        return file;
    case LineRole:
        return static_cast<int>(d.span.line);
    case ColumnRole:
        return static_cast<int>(d.span.column);
    case LevelRole:
        return static_cast<int>(d.level);
    default:
        return {};
    }
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LevelColumn:
        return tr("Level");
    case CodeColumn:
        return tr("Code");
    case LocationColumn:
        return tr("Location");
    case MessageColumn:
        return tr("Message");
    case ResourceColumn:
        return tr("Resource");
    default:
        return {};
    }
}

} // namespace sluice::ui
