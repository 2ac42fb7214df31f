// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"

#include <QAbstractTableModel>

namespace sluice::ui {

/// Every diagnostic of a snapshot, one row each, in file/line order: level, code, location,
/// message, resource. Views jump to the source through FileRole/LineRole/ColumnRole.
class ProblemsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { LevelColumn, CodeColumn, LocationColumn, MessageColumn, ResourceColumn, ColumnCount };
    enum Role { FileRole = Qt::UserRole + 1, LineRole, ColumnRole, LevelRole };

    explicit ProblemsModel(QObject* parent = nullptr);

    void setSnapshot(ConfigSnapshotPtr snapshot);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    ConfigSnapshotPtr m_snapshot;
};

} // namespace sluice::ui
