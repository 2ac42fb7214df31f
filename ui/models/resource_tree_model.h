// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"

#include <vector>

#include <QAbstractItemModel>

namespace sluice::ui {

/// Resources by kind: top-level rows are the kinds present (Gateway, VirtualService, ...), their
/// children the resources as "namespace/name" with their error and warning counts and source line.
class ResourceTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Role { FileRole = Qt::UserRole + 1, LineRole, ErrorCountRole, WarningCountRole, ResourceRole };

    explicit ResourceTreeModel(QObject* parent = nullptr);

    void setSnapshot(const ConfigSnapshotPtr& snapshot);

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex& child) const override;
    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    struct Item {
        QString name;     ///< "namespace/name"
        QString resource; ///< "Kind namespace/name", as diagnostics name it
        QString file;
        int line = 0;
        int errors = 0;
        int warnings = 0;
    };
    struct Kind {
        QString name;
        std::vector<Item> items;
    };

    std::vector<Kind> m_kinds;
};

} // namespace sluice::ui
