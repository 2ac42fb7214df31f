// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live/live_view.h"

#include <QAbstractTableModel>

namespace sluice::ui {

/// The dashboard's per-rule table: one row per VirtualService rule that took requests in the
/// window (requests, requests/s, p50, p99, error %). A new view with the same rules updates the
/// cells in place (one dataChanged over the table); other views reset the model.
/// Thread affinity: GUI thread.
class RuleTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Rule, Requests, Rps, P50, P99, ErrorPercent, ColumnCount };
    /// Sorting value of a cell (numbers as numbers).
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit RuleTableModel(QObject* parent = nullptr);

    void setView(const live::LiveViewPtr& view);
    [[nodiscard]] const live::LiveViewPtr& view() const { return m_view; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    live::LiveViewPtr m_view;
};

} // namespace sluice::ui
