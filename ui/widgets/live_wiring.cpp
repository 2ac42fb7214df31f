// SPDX-License-Identifier: Apache-2.0
#include "live_wiring.h"

#include "bridge/core_bridge.h"
#include "live/access_log_panel.h"
#include "live/live_session.h"
#include "live/traffic_panel.h"
#include "main_window.h"
#include "workload/gateway_session.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QStringList>
#include <QStyle>
#include <QToolBar>

namespace sluice::ui {

ServableConfig servableConfig(const ConfigSnapshotPtr& snapshot) {
    ServableConfig c;
    if (!snapshot)
        return c;
    // Aliasing: the resources live as long as the snapshot that holds them.
    c.resources = std::shared_ptr<const model::ResourceSet>(snapshot, &snapshot->loaded.resources);
    c.table = snapshot->table;
    c.errors = workload::GatewaySession::blockingErrors(snapshot->diagnostics, false);
    c.unreadable = snapshot->loaded.unreadable;
    return c;
}

LiveWiring::LiveWiring(MainWindow& window, CoreBridge& bridge)
    : QObject(&window)
    , m_window(window)
    , m_session(new LiveSession(ProxyController::defaultOptions(), this)) {
    createDocks();
    createActions();
    connectTraffic();
    m_address = new QLabel(m_session->proxy().statusText(), &window);
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_address->setToolTip(tr("Where the proxy listens, and the Host to send (select to copy)"));
    window.statusBar()->addPermanentWidget(m_address);

    ProxyController& proxy = m_session->proxy();
    connect(&proxy, &ProxyController::stateChanged, this, &LiveWiring::showProxyState);
    connect(&proxy, &ProxyController::reloaded, window.statusBar(),
            [&window](bool, const QString& message) { window.statusBar()->showMessage(message, 8000); });
    connect(&proxy, &ProxyController::requestsLogged, m_accessLog, &AccessLogPanel::append);
    connect(m_accessLog, &AccessLogPanel::traceRequested, this, &LiveWiring::trace);
    connect(m_session, &LiveSession::demoChanged, this, &LiveWiring::showDemoState);
    connect(&bridge, &CoreBridge::snapshotReady, m_session,
            [this](const ConfigSnapshotPtr& snapshot) { m_session->setConfig(servableConfig(snapshot)); });
    if (bridge.current())
        m_session->setConfig(servableConfig(bridge.current()));
}

void LiveWiring::createDocks() {
    m_accessLog = new AccessLogPanel(&m_window);
    auto* logDock = new QDockWidget(tr("Access log"), &m_window);
    logDock->setObjectName(QStringLiteral("accessLog"));
    logDock->setWidget(m_accessLog);
    m_traffic = new TrafficPanel(&m_window);
    auto* trafficDock = new QDockWidget(tr("Traffic"), &m_window);
    trafficDock->setObjectName(QStringLiteral("traffic"));
    trafficDock->setWidget(m_traffic);
    m_window.addDockWidget(Qt::BottomDockWidgetArea, logDock);
    m_window.addDockWidget(Qt::BottomDockWidgetArea, trafficDock);
    if (auto* problems = m_window.findChild<QDockWidget*>(QStringLiteral("problems"))) {
        m_window.tabifyDockWidget(problems, logDock);
        m_window.tabifyDockWidget(logDock, trafficDock);
        problems->raise();
    }
}

void LiveWiring::createActions() {
    QStyle* style = m_window.style();
    m_proxyAction = new QAction(style->standardIcon(QStyle::SP_MediaPlay), tr("Start &proxy"), this);
    m_proxyAction->setShortcut(Qt::Key_F6);
    m_proxyAction->setToolTip(tr("Serve the config in view on a local proxy (F6)"));
    connect(m_proxyAction, &QAction::triggered, &m_session->proxy(), &ProxyController::toggle);
    m_demoAction = new QAction(style->standardIcon(QStyle::SP_MediaSeekForward), tr("Run &demo"), this);
    m_demoAction->setToolTip(
        tr("Start the proxy and a gentle mixed load through it; click again to stop both"));
    connect(m_demoAction, &QAction::triggered, m_session, &LiveSession::toggleDemo);
    m_copyAction = new QAction(tr("&Copy proxy address"), this);
    m_copyAction->setEnabled(false);
    connect(m_copyAction, &QAction::triggered, this, &LiveWiring::copyAddress);
}

void LiveWiring::connectTraffic() {
    TrafficController& traffic = m_session->traffic();
    connect(m_traffic, &TrafficPanel::loadRequested, m_session, &LiveSession::runLoad);
    connect(m_traffic, &TrafficPanel::replayRequested, m_session, &LiveSession::runReplay);
    connect(m_traffic, &TrafficPanel::simulationRequested, m_session, &LiveSession::runSimulation);
    connect(m_traffic, &TrafficPanel::stopRequested, m_session, &LiveSession::stopTraffic);
    connect(&traffic, &TrafficController::started, m_traffic, &TrafficPanel::showStarted);
    connect(&traffic, &TrafficController::progress, m_traffic, &TrafficPanel::showProgress);
    connect(&traffic, &TrafficController::finished, m_traffic, &TrafficPanel::showFinished);
}

void LiveWiring::addMenus(QMenuBar* bar) {
    QMenu* menu = bar->addMenu(tr("&Proxy"));
    menu->addAction(m_proxyAction);
    menu->addAction(m_demoAction);
    menu->addSeparator();
    menu->addAction(m_copyAction);
}

void LiveWiring::addToolBarActions(QToolBar* bar) {
    bar->addSeparator();
    bar->addAction(m_proxyAction);
    bar->addAction(m_demoAction);
}

void LiveWiring::showProxyState() {
    const ProxyController& proxy = m_session->proxy();
    const auto state = proxy.state();
    const bool busy = state == ProxyController::State::Starting || state == ProxyController::State::Stopping;
    const bool up = state == ProxyController::State::Running || busy;
    m_proxyAction->setEnabled(!busy);
    m_proxyAction->setText(up ? tr("Stop &proxy") : tr("Start &proxy"));
    m_proxyAction->setIcon(m_window.style()->standardIcon(up ? QStyle::SP_MediaStop : QStyle::SP_MediaPlay));
    m_copyAction->setEnabled(state == ProxyController::State::Running);
    m_address->setText(proxy.statusText());
    if (state == ProxyController::State::Failed)
        m_window.statusBar()->showMessage(proxy.statusText(), 10000);
}

void LiveWiring::showDemoState(bool running) {
    m_demoAction->setText(running ? tr("Stop &demo") : tr("Run &demo"));
    m_demoAction->setIcon(
        m_window.style()->standardIcon(running ? QStyle::SP_MediaStop : QStyle::SP_MediaSeekForward));
}

void LiveWiring::copyAddress() {
    QStringList lines;
    for (const auto& l : m_session->proxy().listeners())
        lines << QString::fromStdString(l.text());
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

void LiveWiring::trace(const AccessLogEntry& entry) {
    m_window.traceRequest(entry.traceUrl(m_session->proxy().listeners()));
}

} // namespace sluice::ui
