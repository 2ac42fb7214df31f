// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"
#include "inspect/outline_builder.h"

#include <memory>
#include <optional>
#include <vector>

#include <QAbstractItemModel>

namespace sluice::ui {

/// The item of the config at a place in its YAML, in full: one row per field written for it (in
/// schema order, nested fields as children) and the derived sections (destinations and weights,
/// endpoints, selected by), each with the file and line it came from. Columns: Property, Value,
/// Line. Thread affinity: GUI thread.
class InspectorModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column { PropertyColumn, ValueColumn, LineColumn, ColumnCount };
    enum Role { FileRole = Qt::UserRole + 1, LineRole, DerivedRole };

    explicit InspectorModel(QObject* parent = nullptr);
    ~InspectorModel() override;

    /// A new config: the item shown is looked up again at the same place (or cleared).
    void setSnapshot(ConfigSnapshotPtr snapshot);
    /// Shows the innermost item whose lines contain `line` of `file`; false (and empty) when none.
    bool inspectAt(const QString& file, int line);
    void clear();

    [[nodiscard]] const std::optional<inspect::Outline>& outline() const { return m_outline; }
    /// "Gateway server · Gateway istio-system/bookinfo-gateway · servers[0]", "" when empty.
    [[nodiscard]] QString title() const;
    /// The file and first line of the item shown.
    [[nodiscard]] QString file() const;
    [[nodiscard]] int line() const;

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex& child) const override;
    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    /// A node of the outline with its place in the tree (indices into m_rows).
    struct Row {
        const inspect::OutlineNode* node = nullptr;
        int parent = -1;
        int row = 0;
        std::vector<int> children;
    };
    void flatten(const std::vector<inspect::OutlineNode>& nodes, int parent);
    [[nodiscard]] const std::vector<int>& childrenOf(const QModelIndex& parent) const;
    [[nodiscard]] QString fileName(const model::SourceSpan& span) const;

    ConfigSnapshotPtr m_snapshot;
    std::unique_ptr<const inspect::OutlineBuilder> m_builder;
    std::optional<inspect::Outline> m_outline;
    std::vector<Row> m_rows;
    std::vector<int> m_top;
    QString m_file; ///< where the current item was asked for
    int m_line = 0;
};

} // namespace sluice::ui
