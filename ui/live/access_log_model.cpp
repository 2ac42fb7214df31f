// SPDX-License-Identifier: Apache-2.0
#include "access_log_model.h"

#include <QDateTime>

namespace sluice::ui {

AccessLogModel::AccessLogModel(QObject* parent, int capacity)
    : QAbstractTableModel(parent)
    , m_capacity(capacity > 0 ? capacity : 1) {}

void AccessLogModel::append(const AccessLogBatch& batch, qint64 unlisted) {
    m_unlisted += unlisted;
    if (batch.isEmpty())
        return;
    // Only the newest `capacity` of the batch can stay.
    const qsizetype skip = batch.size() > m_capacity ? batch.size() - m_capacity : 0;
    m_unlisted += skip;
    const int incoming = static_cast<int>(batch.size() - skip);
    const int overflow = static_cast<int>(m_rows.size()) + incoming - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + overflow);
        endRemoveRows();
    }
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + incoming - 1);
    for (qsizetype i = skip; i < batch.size(); ++i)
        m_rows.push_back(batch[i]);
    endInsertRows();
}

void AccessLogModel::clear() {
    if (m_rows.empty() && m_unlisted == 0)
        return;
    beginResetModel();
    m_rows.clear();
    m_unlisted = 0;
    endResetModel();
}

int AccessLogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AccessLogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccessLogModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AccessLogEntry& e = entry(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(e, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Destination && !e.upstreamHost.isEmpty())
            return tr("Answered by %1").arg(e.upstreamHost);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Status || index.column() == Duration)
            return static_cast<int>(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case StatusRole:
        return e.status;
    case EntryRole:
        return QVariant::fromValue(e);
    default:
        return {};
    }
}

QVariant AccessLogModel::display(const AccessLogEntry& e, int column) const {
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.startMillis)
            .toLocalTime()
            .toString(QStringLiteral("HH:mm:ss.zzz"));
    case Method:
        return e.method;
    case Host:
        return e.authority;
    case Path:
        return e.path;
    case Status:
        return e.status;
    case Flags:
        return e.flags.isEmpty() ? QStringLiteral("-") : e.flags;
    case Route:
        return e.route;
    case Destination:
        return e.destination;
    case Duration:
        return tr("%1 ms").arg(e.durationMillis);
    default:
        return {};
    }
}

QVariant AccessLogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Method:
        return tr("Method");
    case Host:
        return tr("Host");
    case Path:
        return tr("Path");
    case Status:
        return tr("Status");
    case Flags:
        return tr("Flags");
    case Route:
        return tr("Route");
    case Destination:
        return tr("Destination");
    case Duration:
        return tr("Duration");
    default:
        return {};
    }
}

} // namespace sluice::ui
