// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"
#include "live/access_log_entry.h"
#include "live/servable_config.h"

#include <QObject>

class QAction;
class QLabel;
class QMenuBar;
class QToolBar;

namespace sluice::ui {

class AccessLogPanel;
class CoreBridge;
class LiveSession;
class MainWindow;
class TrafficPanel;

/// What a ConfigSnapshot gives the proxy: its resources and table (shared with the snapshot) and
/// whether Istio's webhook would take it.
[[nodiscard]] ServableConfig servableConfig(const ConfigSnapshotPtr& snapshot);

/// The Studio's live parts in the window: the proxy's Start/Stop action (F6) and its address in
/// the status bar, "Run demo", the Access log and Traffic docks, and the config in view fed to the
/// LiveSession. MainWindow constructs it and asks it for its menus and toolbar actions.
/// Thread affinity: GUI thread.
class LiveWiring : public QObject {
    Q_OBJECT

public:
    /// Adds the docks (bottom, beside Problems) and the status-bar address to `window`.
    LiveWiring(MainWindow& window, CoreBridge& bridge);

    [[nodiscard]] LiveSession& session() { return *m_session; }
    [[nodiscard]] QAction* proxyAction() const { return m_proxyAction; }
    [[nodiscard]] QAction* demoAction() const { return m_demoAction; }
    [[nodiscard]] AccessLogPanel* accessLog() const { return m_accessLog; }
    [[nodiscard]] TrafficPanel* trafficPanel() const { return m_traffic; }

    /// The Proxy menu (before the menus added after it: call it before Help is added).
    void addMenus(QMenuBar* bar);
    void addToolBarActions(QToolBar* bar);

private:
    void createDocks();
    void createActions();
    void connectTraffic();
    void showProxyState();
    void showDemoState(bool running);
    void copyAddress();
    void trace(const AccessLogEntry& entry);

    MainWindow& m_window;
    LiveSession* m_session = nullptr;
    AccessLogPanel* m_accessLog = nullptr;
    TrafficPanel* m_traffic = nullptr;
    QLabel* m_address = nullptr;
    QAction* m_proxyAction = nullptr;
    QAction* m_demoAction = nullptr;
    QAction* m_copyAction = nullptr;
};

} // namespace sluice::ui
