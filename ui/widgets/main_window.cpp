// SPDX-License-Identifier: Apache-2.0
#include "main_window.h"

#include "graph/flow_view.h"
#include "models/problems_model.h"
#include "models/resource_tree_model.h"
#include "request_panel.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTextBlock>
#include <QToolBar>
#include <QTreeView>

namespace sluice::ui {

MainWindow::MainWindow(CoreBridge& bridge, QWidget* parent)
    : QMainWindow(parent)
    , m_bridge(bridge)
    , m_resources(new ResourceTreeModel(this))
    , m_problems(new ProblemsModel(this)) {
    setWindowTitle(tr("Sluice Studio"));
    resize(1280, 800);

    m_source = new QPlainTextEdit(this);
    m_source->setReadOnly(true);
    m_source->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_source->setFont(QFont(QStringLiteral("monospace")));
    m_centre = new QTabWidget(this);
    m_centre->addTab(m_source, tr("YAML"));
    setCentralWidget(m_centre);

    m_resourceView = new QTreeView(this);
    m_resourceView->setModel(m_resources);
    m_resourceView->setHeaderHidden(true);
    auto* resourcesDock = new QDockWidget(tr("Resources"), this);
    resourcesDock->setObjectName(QStringLiteral("resources"));
    resourcesDock->setWidget(m_resourceView);
    addDockWidget(Qt::LeftDockWidgetArea, resourcesDock);

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

    // The Flow tab comes first: the graph is what the Studio opens on.
    m_flow = new FlowView(this);
    m_centre->insertTab(0, m_flow, tr("Flow"));
    m_centre->setCurrentWidget(m_flow);
    connect(m_flow, &FlowView::sourceRequested, this, &MainWindow::showSource);
    connect(m_request, &RequestPanel::traced, m_flow, &FlowView::highlight);
    connect(&m_bridge, &CoreBridge::flowLaidOut, m_flow, &FlowView::setLayout);

    m_status = new QLabel(tr("No config open"), this);
    statusBar()->addWidget(m_status, 1);
    createActions();

    setAcceptDrops(true);
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());

    connect(&m_bridge, &CoreBridge::snapshotReady, this, &MainWindow::showSnapshot);
    connect(m_resourceView, &QTreeView::activated, this, [this](const QModelIndex& i) {
        showSource(i.data(ResourceTreeModel::FileRole).toString(),
                   i.data(ResourceTreeModel::LineRole).toInt());
    });
    connect(m_problemView, &QTableView::activated, this, [this](const QModelIndex& i) {
        showSource(i.data(ProblemsModel::FileRole).toString(), i.data(ProblemsModel::LineRole).toInt());
    });
}

void MainWindow::createActions() {
    auto* open = new QAction(tr("&Open Folder..."), this);
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a folder of Istio YAML"));
        if (!dir.isEmpty())
            openPaths({dir});
    });
    auto* validate = new QAction(tr("&Validate"), this);
    validate->setShortcut(Qt::Key_F5);
    connect(validate, &QAction::triggered, this, [this] {
        if (m_bridge.current()) {
            QStringList paths;
            for (const auto& p : m_bridge.current()->paths)
                paths << QString::fromStdString(p);
            openPaths(paths);
        }
    });
    auto* quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(open);
    m_recent = file->addMenu(tr("Open &Recent"));
    connect(m_recent, &QMenu::aboutToShow, this, [this] {
        m_recent->clear();
        for (const QString& entry : QSettings().value(QStringLiteral("recent")).toStringList())
            m_recent->addAction(entry, this, [this, entry] { openPaths(entry.split(QLatin1Char('\n'))); });
        m_recent->setEnabled(!m_recent->isEmpty());
    });
    file->addAction(validate);
    file->addSeparator();
    file->addAction(quit);
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("main"));
    bar->addAction(open);
    bar->addAction(validate);
}

void MainWindow::openPaths(const QStringList& paths) {
    rememberRecent(paths);
    m_status->setText(tr("Loading %1...").arg(paths.join(QStringLiteral(", "))));
    m_bridge.open(paths);
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
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::showSnapshot(const ConfigSnapshotPtr& snapshot) {
    m_resources->setSnapshot(snapshot);
    m_problems->setSnapshot(snapshot);
    m_request->setSnapshot(snapshot);
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
    if (!snapshot->loaded.resources.files.empty())
        showSource(QString::fromStdString(snapshot->loaded.resources.files.front().path), 1);
}

void MainWindow::showSource(const QString& file, int line) {
    if (file.isEmpty())
        return;
    if (file != m_sourceFile) {
        // The text comes from the snapshot, as loaded: what the diagnostics' lines refer to.
        const auto& snapshot = m_bridge.current();
        for (const auto& f : snapshot ? snapshot->loaded.resources.files : std::vector<model::SourceFile>{})
            if (QString::fromStdString(f.path) == file)
                m_source->setPlainText(QString::fromStdString(f.text));
        m_sourceFile = file;
        m_centre->setTabText(m_centre->indexOf(m_source), file.section(QLatin1Char('/'), -1));
    }
    const QTextBlock block = m_source->document()->findBlockByLineNumber(std::max(0, line - 1));
    QTextCursor cursor(block);
    m_source->setTextCursor(cursor);
    m_source->centerCursor();
}

} // namespace sluice::ui
