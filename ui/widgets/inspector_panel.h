// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"

#include <QWidget>

class QLabel;
class QTreeView;

namespace sluice::ui {

class InspectorModel;

/// The Inspector dock: the selected item of the config in full (kind, namespace/name, the line it
/// starts on) and a tree of its fields with their values and source lines. Any view selects by
/// place: inspectAt(file, line). Activating a row, or the title's line, asks for that source.
class InspectorPanel : public QWidget {
    Q_OBJECT

public:
    explicit InspectorPanel(QWidget* parent = nullptr);

    void setSnapshot(ConfigSnapshotPtr snapshot);
    /// Shows the innermost item at `line` of `file` (as the snapshot names its files).
    void inspectAt(const QString& file, int line);

    [[nodiscard]] const InspectorModel& model() const { return *m_model; }
    [[nodiscard]] QString title() const;

signals:
    /// The user asked to see where a value was written.
    void sourceRequested(const QString& file, int line);

private:
    void showOutline();
    void requestSource(const QModelIndex& index);

    InspectorModel* m_model = nullptr;
    QLabel* m_title = nullptr;
    QTreeView* m_tree = nullptr;
};

} // namespace sluice::ui
