// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/core_bridge.h"

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTreeView;

namespace sluice::ui {

class ColorTheme;
class DashboardPanel;
class LiveTraffic;
class WhatIfPanel;
class EditorTabs;
class InspectorPanel;
class FlowView;
class LiveWiring;
class ProblemsModel;
class RequestPanel;
class ResourceTreeModel;

/// The Studio window. It only wires: docks and views around the models, fed by the CoreBridge it is
/// given. Everything it shows comes from a ConfigSnapshot.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    MainWindow(CoreBridge& bridge, ColorTheme& theme, QWidget* parent = nullptr);

    /// Opens files or folders (replaces what is open).
    void openPaths(const QStringList& paths);
    /// Reopens what was open last time, if it still exists; false when there is nothing to reopen.
    bool reopenLast();
    /// Puts `url` in the Request dock and traces it (as the user pressing Trace would).
    void traceRequest(const QString& url);
    /// The live parts: the proxy, traffic, the access log (LiveWiring::session().proxy() publishes
    /// the metrics snapshots).
    [[nodiscard]] LiveWiring* live() const { return m_live; }
    /// Where the running proxy's metrics go: connect ProxyController::metricsUpdated to
    /// LiveTraffic::addSnapshot (the Dashboard tab and the flow graph's overlay follow).
    [[nodiscard]] LiveTraffic& liveTraffic() const { return *m_liveTraffic; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createResourcesDock();
    QMenu* createThemeMenu();
    void chooseFiles();
    void chooseFolder();
    void revalidate();
    void showAbout();
    [[nodiscard]] QString lastFolder() const;
    void rememberRecent(const QStringList& paths);
    void showSnapshot(const ConfigSnapshotPtr& snapshot);
    void showSource(const QString& file, int line);
    void createInspector(QDockWidget* requestDock);
    void exportConfig();

    CoreBridge& m_bridge;
    ColorTheme& m_theme;
    ResourceTreeModel* m_resources = nullptr;
    QSortFilterProxyModel* m_resourceFilter = nullptr;
    QLineEdit* m_resourceFilterEdit = nullptr;
    ProblemsModel* m_problems = nullptr;
    QTreeView* m_resourceView = nullptr;
    QTableView* m_problemView = nullptr;
    QTabWidget* m_centre = nullptr;
    EditorTabs* m_editor = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_openedPaths = nullptr;
    QMenu* m_viewMenu = nullptr;
    RequestPanel* m_request = nullptr;
    InspectorPanel* m_inspector = nullptr;
    FlowView* m_flow = nullptr;
    QMenu* m_recent = nullptr;
    LiveWiring* m_live = nullptr;
    LiveTraffic* m_liveTraffic = nullptr;
    DashboardPanel* m_dashboard = nullptr;
    WhatIfPanel* m_whatIf = nullptr;
};

} // namespace sluice::ui
