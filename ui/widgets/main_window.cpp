// SPDX-License-Identifier: Apache-2.0
#include "main_window.h"

#include "bridge/live_traffic.h"
#include "charts/dashboard_panel.h"
#include "color_theme.h"
#include "editor/editor_actions.h"
#include "editor/editor_tabs.h"
#include "export_dialog.h"
#include "graph/flow_view.h"
#include "inspector_panel.h"
#include "live/live_session.h"
#include "live/proxy_controller.h"
#include "live_wiring.h"
#include "models/problems_model.h"
#include "models/resource_tree_model.h"
#include "request_panel.h"
#include "what_if_panel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace sluice::ui {

MainWindow::MainWindow(CoreBridge& bridge, ColorTheme& theme, QWidget* parent)
    : QMainWindow(parent)
    , m_bridge(bridge)
    , m_theme(theme)
    , m_resources(new ResourceTreeModel(this))
    , m_problems(new ProblemsModel(this)) {
    setWindowTitle(tr("Sluice Studio"));
    resize(1280, 800);

    m_editor = new EditorTabs(m_bridge, this);
    m_centre = new QTabWidget(this);
    m_centre->addTab(m_editor, tr("YAML"));
    connect(m_editor, &EditorTabs::sourceShown, this, [this] { m_centre->setCurrentWidget(m_editor); });
    connect(m_editor, &EditorTabs::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 5000); });
    setCentralWidget(m_centre);

    createResourcesDock();

    m_problemView = new QTableView(this);
    m_problemView->setModel(m_problems);
    m_problemView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_problemView->horizontalHeader()->setStretchLastSection(true);
    m_problemView->verticalHeader()->hide();
    auto* problemsDock = new QDockWidget(tr("Problems"), this);
    problemsDock->setObjectName(QStringLiteral("problems"));
    problemsDock->setWidget(m_problemView);
    addDockWidget(Qt::BottomDockWidgetArea, problemsDock);

    m_request = new RequestPanel(this);
    auto* requestDock = new QDockWidget(tr("Request"), this);
    requestDock->setObjectName(QStringLiteral("request"));
    requestDock->setWidget(m_request);
    addDockWidget(Qt::RightDockWidgetArea, requestDock);
    connect(m_request, &RequestPanel::sourceRequested, this, &MainWindow::showSource);
    createInspector(requestDock);

    // The Flow tab comes first: the graph is what the Studio opens on.
    m_flow = new FlowView(this);
    m_centre->insertTab(0, m_flow, tr("Flow"));
    m_centre->setCurrentWidget(m_flow);
    // Selection follows the place in the YAML both ways: a node selects its lines (the graph stays
    // in view) and the editor's cursor selects the node; the Inspector shows either.
    connect(m_flow, &FlowView::sourceRequested, m_editor,
            [this](const QString& file, int line) { m_editor->showSource(file, line, 1, false); });
    connect(m_flow, &FlowView::sourceRequested, m_inspector, &InspectorPanel::inspectAt);
    connect(m_editor, &EditorTabs::cursorMoved, m_flow, &FlowView::selectSource);
    connect(m_editor, &EditorTabs::cursorMoved, m_inspector, &InspectorPanel::inspectAt);
    connect(m_request, &RequestPanel::traced, m_flow, &FlowView::highlight);
    connect(&m_bridge, &CoreBridge::flowLaidOut, m_flow, &FlowView::setLayout);

    // Live: the Dashboard tab and the What-if dock over LiveTraffic (fed with the proxy's metrics).
    m_liveTraffic = new LiveTraffic(this);
    m_dashboard = new DashboardPanel(*m_liveTraffic, this);
    m_centre->addTab(m_dashboard, tr("Dashboard"));
    m_whatIf = new WhatIfPanel(*m_editor, this);
    auto* whatIfDock = new QDockWidget(tr("What-if"), this);
    whatIfDock->setObjectName(QStringLiteral("whatif"));
    whatIfDock->setWidget(m_whatIf);
    addDockWidget(Qt::RightDockWidgetArea, whatIfDock);
    tabifyDockWidget(requestDock, whatIfDock);
    requestDock->raise();
    connect(&m_bridge, &CoreBridge::snapshotReady, m_liveTraffic, &LiveTraffic::setConfig);
    connect(&m_bridge, &CoreBridge::snapshotReady, m_whatIf, &WhatIfPanel::setSnapshot);
    connect(m_liveTraffic, &LiveTraffic::overlayChanged, m_flow, &FlowView::setTraffic);
    connect(m_flow, &FlowView::ruleSelected, m_whatIf, &WhatIfPanel::selectRule);

    m_status = new QLabel(tr("No config open"), this);
    statusBar()->addWidget(m_status, 1);
    m_openedPaths = new QLabel(this);
    statusBar()->addPermanentWidget(m_openedPaths);
    m_live = new LiveWiring(*this, m_bridge); // proxy, traffic, access log: before the View menu lists docks
    ProxyController& proxy = m_live->session().proxy();
    connect(&proxy, &ProxyController::metricsUpdated, m_liveTraffic, &LiveTraffic::addSnapshot);
    // Each start counts from zero again (a new collector): the history starts over with it.
    connect(&proxy, &ProxyController::stateChanged, m_liveTraffic, [this](ProxyController::State state) {
        if (state == ProxyController::State::Starting)
            m_liveTraffic->reset();
    });
    createActions();

    setAcceptDrops(true);
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray())) {
        // First start: the centre (the graph) gets the room; docks keep what their content needs.
        resizeDocks({findChild<QDockWidget*>(QStringLiteral("problems"))}, {150}, Qt::Vertical);
        resizeDocks({findChild<QDockWidget*>(QStringLiteral("resources")),
                     findChild<QDockWidget*>(QStringLiteral("inspector"))},
                    {230, 340}, Qt::Horizontal);
    }

    connect(&m_bridge, &CoreBridge::snapshotReady, this, &MainWindow::showSnapshot);
    connect(m_problemView, &QTableView::activated, this, [this](const QModelIndex& i) {
        m_editor->showSource(i.data(ProblemsModel::FileRole).toString(),
                             i.data(ProblemsModel::LineRole).toInt(),
                             i.data(ProblemsModel::ColumnRole).toInt());
    });
}

void MainWindow::createResourcesDock() {
    m_resourceFilter = new QSortFilterProxyModel(this);
    m_resourceFilter->setSourceModel(m_resources);
    m_resourceFilter->setRecursiveFilteringEnabled(true);
    m_resourceFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_resourceFilterEdit = new QLineEdit(this);
    m_resourceFilterEdit->setPlaceholderText(tr("Filter resources"));
    m_resourceFilterEdit->setClearButtonEnabled(true);
    m_resourceView = new QTreeView(this);
    m_resourceView->setModel(m_resourceFilter);
    m_resourceView->setHeaderHidden(true);
    connect(m_resourceFilterEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_resourceFilter->setFilterFixedString(text);
        m_resourceView->expandAll();
    });
    connect(m_resourceView, &QTreeView::activated, this, [this](const QModelIndex& i) {
        showSource(i.data(ResourceTreeModel::FileRole).toString(),
                   i.data(ResourceTreeModel::LineRole).toInt());
    });

    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_resourceFilterEdit);
    layout->addWidget(m_resourceView);
    auto* dock = new QDockWidget(tr("Resources"), this);
    dock->setObjectName(QStringLiteral("resources"));
    dock->setWidget(panel);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
}

void MainWindow::createActions() {
    auto* open = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open..."), this);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open YAML files (Ctrl+O)"));
    connect(open, &QAction::triggered, this, &MainWindow::chooseFiles);
    auto* openFolder =
        new QAction(style()->standardIcon(QStyle::SP_DirOpenIcon), tr("Open &Folder..."), this);
    openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(openFolder, &QAction::triggered, this, &MainWindow::chooseFolder);
    auto* validate = new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("&Validate"), this);
    validate->setShortcut(Qt::Key_F5);
    validate->setToolTip(tr("Load, validate and compile again (F5)"));
    connect(validate, &QAction::triggered, this, &MainWindow::revalidate);
    auto* quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(open);
    file->addAction(openFolder);
    m_recent = file->addMenu(tr("Open &Recent"));
    connect(m_recent, &QMenu::aboutToShow, this, [this] {
        m_recent->clear();
        for (const QString& entry : QSettings().value(QStringLiteral("recent")).toStringList())
            m_recent->addAction(entry, this, [this, entry] { openPaths(entry.split(QLatin1Char('\n'))); });
        m_recent->setEnabled(!m_recent->isEmpty());
    });
    file->addActions(m_editor->actions().fileActions());
    auto* exportAction = file->addAction(tr("&Export..."), this, &MainWindow::exportConfig);
    exportAction->setShortcut(Qt::CTRL | Qt::Key_E);
    exportAction->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    exportAction->setToolTip(tr("Export the configs that passed validation (Ctrl+E)"));
    file->addSeparator();
    file->addAction(quit);
    menuBar()->addMenu(tr("&Edit"))->addActions(m_editor->actions().editActions());

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        m_viewMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addMenu(createThemeMenu());

    QMenu* config = menuBar()->addMenu(tr("&Config"));
    config->addAction(validate);

    m_live->addMenus(menuBar());
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Sluice Studio"), this, &MainWindow::showAbout);

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("main"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(open);
    bar->addAction(validate);
    bar->addAction(exportAction);
    m_live->addToolBarActions(bar);
}

QMenu* MainWindow::createThemeMenu() {
    auto* menu = new QMenu(tr("&Theme"), this);
    auto* group = new QActionGroup(menu);
    const ColorTheme::Mode current =
        ColorTheme::fromName(QSettings().value(QStringLiteral("theme")).toString());
    m_theme.apply(current);
    for (const auto& [mode, label] :
         {std::pair{ColorTheme::Mode::System, tr("&System")},
          std::pair{ColorTheme::Mode::Light, tr("&Light")}, std::pair{ColorTheme::Mode::Dark, tr("&Dark")}}) {
        QAction* action = menu->addAction(label);
        action->setCheckable(true);
        action->setChecked(mode == current);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, mode = mode] {
            m_theme.apply(mode);
            QSettings().setValue(QStringLiteral("theme"), ColorTheme::name(mode));
        });
    }
    return menu;
}

void MainWindow::chooseFiles() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Open Istio YAML"), lastFolder(),
                                      tr("Kubernetes YAML (*.yaml *.yml *.json);;All files (*)"));
    if (!files.isEmpty())
        openPaths(files);
}

void MainWindow::chooseFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Open a folder of Istio YAML"), lastFolder());
    if (!dir.isEmpty())
        openPaths({dir});
}

void MainWindow::revalidate() {
    if (!m_bridge.current())
        return;
    QStringList paths;
    for (const auto& p : m_bridge.current()->paths)
        paths << QString::fromStdString(p);
    openPaths(paths);
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About Sluice Studio"),
        tr("<h3>Sluice Studio %1</h3><p>See how traffic enters your Istio mesh, and why: "
           "validation as istioctl analyze does it, routing as the ingress gateway does it.</p>"
           "<p>Apache License 2.0</p>")
            .arg(QApplication::applicationVersion()));
}

QString MainWindow::lastFolder() const {
    return QSettings().value(QStringLiteral("lastFolder"), QDir::homePath()).toString();
}

void MainWindow::openPaths(const QStringList& paths) {
    if (paths.isEmpty())
        return;
    rememberRecent(paths);
    const QFileInfo first(paths.front());
    QSettings().setValue(QStringLiteral("lastFolder"),
                         first.isDir() ? first.absoluteFilePath() : first.absolutePath());
    m_status->setText(tr("Loading %1...").arg(paths.join(QStringLiteral(", "))));
    m_openedPaths->setText(paths.size() == 1 ? paths.front() : tr("%1 paths").arg(paths.size()));
    m_openedPaths->setToolTip(paths.join(QLatin1Char('\n')));
    m_bridge.open(paths);
}

void MainWindow::traceRequest(const QString& url) {
    m_request->setUrl(url);
    m_request->trace();
}

bool MainWindow::reopenLast() {
    const QStringList recent = QSettings().value(QStringLiteral("recent")).toStringList();
    if (recent.isEmpty())
        return false;
    QStringList paths = recent.front().split(QLatin1Char('\n'));
    paths.removeIf([](const QString& p) { return !QFileInfo::exists(p); });
    openPaths(paths);
    return !paths.isEmpty();
}

void MainWindow::rememberRecent(const QStringList& paths) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recent")).toStringList();
    const QString entry = paths.join(QLatin1Char('\n'));
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > 8)
        recent.removeLast();
    settings.setValue(QStringLiteral("recent"), recent);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty())
        openPaths(paths);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!m_editor->confirmClose()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::showSnapshot(const ConfigSnapshotPtr& snapshot) {
    m_resources->setSnapshot(snapshot);
    m_problems->setSnapshot(snapshot);
    m_request->setSnapshot(snapshot);
    m_inspector->setSnapshot(snapshot);
    m_flow->setSnapshot(snapshot);
    m_resourceView->expandAll();
    m_problemView->resizeColumnsToContents();
    std::size_t errors = 0, warnings = 0;
    for (const auto& d : snapshot->diagnostics) {
        errors += d.level == model::Level::Error;
        warnings += d.level == model::Level::Warning;
    }
    const std::size_t resources = snapshot->loaded.resources.resourceCount();
    m_status->setText(
        errors || warnings
            ? tr("%1 resources · %2 errors · %3 warnings").arg(resources).arg(errors).arg(warnings)
            : tr("%1 resources · config valid").arg(resources));
}

void MainWindow::showSource(const QString& file, int line) {
    m_editor->showSource(file, line);
}

// Inspector (right, above Request) and Export: selection by place (file, line) from the resource
// tree and the problems table; the dialog does the exporting.
void MainWindow::createInspector(QDockWidget* requestDock) {
    m_inspector = new InspectorPanel(this);
    auto* dock = new QDockWidget(tr("Inspector"), this);
    dock->setObjectName(QStringLiteral("inspector"));
    dock->setWidget(m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    splitDockWidget(dock, requestDock, Qt::Vertical);
    connect(m_inspector, &InspectorPanel::sourceRequested, this, &MainWindow::showSource);
    connect(m_resourceView->selectionModel(), &QItemSelectionModel::currentChanged, m_inspector,
            [this](const QModelIndex& i) {
                m_inspector->inspectAt(i.data(ResourceTreeModel::FileRole).toString(),
                                       i.data(ResourceTreeModel::LineRole).toInt());
            });
    connect(m_problemView->selectionModel(), &QItemSelectionModel::currentChanged, m_inspector,
            [this](const QModelIndex& i) {
                m_inspector->inspectAt(i.data(ProblemsModel::FileRole).toString(),
                                       i.data(ProblemsModel::LineRole).toInt());
            });
}

void MainWindow::exportConfig() {
    if (!m_bridge.current())
        return;
    auto* dialog = new ExportDialog(m_bridge.current(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

} // namespace sluice::ui
