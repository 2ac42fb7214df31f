// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "access_log_entry.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace sluice::ui {

class AccessLogModel;

/// The Access log dock: the live table of requests, a filter (any column, case-insensitive) and a
/// count. Activating a row (double-click, Enter) asks for its trace.
class AccessLogPanel : public QWidget {
    Q_OBJECT

public:
    explicit AccessLogPanel(QWidget* parent = nullptr);

    [[nodiscard]] AccessLogModel* model() const { return m_model; }
    [[nodiscard]] QTableView* view() const { return m_view; }
    /// Appends a batch, keeping the newest row in view when the view was at the bottom.
    void append(const AccessLogBatch& batch, qint64 unlisted = 0);
    void setFilter(const QString& text);

signals:
    /// The row of `entry` was activated: trace this request.
    void traceRequested(const sluice::ui::AccessLogEntry& entry);

private:
    void activated(const QModelIndex& index);
    void updateCount();

    AccessLogModel* m_model = nullptr;
    QSortFilterProxyModel* m_filter = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_count = nullptr;
};

} // namespace sluice::ui
