// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "access_log_entry.h"

#include <deque>

#include <QAbstractTableModel>

namespace sluice::ui {

/// The live access log: the last `capacity` requests the proxy served, oldest first, appended in
/// batches (ProxyController::requestsLogged). Older rows leave from the top as new ones arrive.
/// Thread affinity: GUI thread.
class AccessLogModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Time, Method, Host, Path, Status, Flags, Route, Destination, Duration, ColumnCount };
    enum Role {
        /// The status code as a number (sorting, colouring).
        StatusRole = Qt::UserRole + 1,
        /// The row's AccessLogEntry.
        EntryRole,
    };
    static constexpr int kDefaultCapacity = 10'000;

    explicit AccessLogModel(QObject* parent = nullptr, int capacity = kDefaultCapacity);

    /// Appends `batch` (oldest first); rows beyond the capacity leave from the top. `unlisted`:
    /// requests served before the batch's that the proxy's log ring had no room for (it keeps the
    /// newest 2,048 per 100 ms), counted so the panel can say the list is a sample.
    void append(const AccessLogBatch& batch, qint64 unlisted = 0);
    void clear();
    /// Requests the proxy served that never became rows (see append()), since the last clear().
    [[nodiscard]] qint64 unlisted() const { return m_unlisted; }
    [[nodiscard]] const AccessLogEntry& entry(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
    [[nodiscard]] int capacity() const { return m_capacity; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QVariant display(const AccessLogEntry& e, int column) const;

    const int m_capacity;
    std::deque<AccessLogEntry> m_rows;
    qint64 m_unlisted = 0;
};

} // namespace sluice::ui
