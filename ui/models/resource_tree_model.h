// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"

#include <vector>

#include <QAbstractItemModel>

namespace sluice::ui {

/// Resources by kind and namespace: Gateway > istio-system > bookinfo-gateway. Every row carries
/// the error and warning counts of what is under it (a collapsed kind still shows its badge) and
/// resources their source file and line.
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
    /// One row: a kind, a namespace under it, or a resource. Nodes live in one vector; a node's
    /// internal id is its position + 1 (0 is the invisible root).
    struct Node {
        QString text{};     ///< "Gateway", "istio-system" or "bookinfo-gateway"
        QString resource{}; ///< resources: "Kind namespace/name", as diagnostics name it
        QString file{};
        int line = 0;
        int errors = 0;
        int warnings = 0;
        int resources = 0; ///< kinds and namespaces: how many resources are under them
        int row = 0;
        std::size_t parent = 0;
        std::vector<std::size_t> children{};
    };

    std::size_t addNode(std::size_t parent, Node node);
    [[nodiscard]] const Node& node(const QModelIndex& index) const;

    std::vector<Node> m_nodes; ///< [0] is the root
};

} // namespace sluice::ui
