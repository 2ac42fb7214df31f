// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/core_bridge.h"

#include <QMainWindow>

class QLabel;
class QMenu;
class QPlainTextEdit;
class QTabWidget;
class QTableView;
class QTreeView;

namespace sluice::ui {

class FlowView;
class ProblemsModel;
class RequestPanel;
class ResourceTreeModel;

/// The Studio window. It only wires: docks and views around the models, fed by the CoreBridge it is
/// given. Everything it shows comes from a ConfigSnapshot.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(CoreBridge& bridge, QWidget* parent = nullptr);

    /// Opens files or folders (replaces what is open).
    void openPaths(const QStringList& paths);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void rememberRecent(const QStringList& paths);
    void showSnapshot(const ConfigSnapshotPtr& snapshot);
    void showSource(const QString& file, int line);

    CoreBridge& m_bridge;
    ResourceTreeModel* m_resources = nullptr;
    ProblemsModel* m_problems = nullptr;
    QTreeView* m_resourceView = nullptr;
    QTableView* m_problemView = nullptr;
    QTabWidget* m_centre = nullptr;
    QPlainTextEdit* m_source = nullptr;
    QLabel* m_status = nullptr;
    RequestPanel* m_request = nullptr;
    FlowView* m_flow = nullptr;
    QString m_sourceFile;
    QMenu* m_recent = nullptr;
};

} // namespace sluice::ui
