// SPDX-License-Identifier: Apache-2.0
#include "dashboard_panel.h"

#include "bridge/live_traffic.h"
#include "dashboard_charts.h"
#include "live/live_view_csv.h"
#include "models/rule_table_model.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace sluice::ui {

DashboardPanel::DashboardPanel(LiveTraffic& traffic, QWidget* parent)
    : QWidget(parent)
    , m_traffic(traffic)
    , m_rules(new RuleTableModel(this)) {
    m_bar = new QToolBar(this);
    m_bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_window = new QComboBox(this);
    for (const auto& [label, seconds] :
         {std::pair{tr("Last minute"), 60}, std::pair{tr("Last 5 minutes"), 300},
          std::pair{tr("Last 15 minutes"), 900}})
        m_window->addItem(label, seconds);
    m_bar->addWidget(m_window);
    QAction* pause = m_bar->addAction(tr("Pause"));
    pause->setObjectName(QStringLiteral("pause"));
    pause->setCheckable(true);
    QAction* reset = m_bar->addAction(tr("Reset"));
    reset->setObjectName(QStringLiteral("reset"));
    m_bar->addSeparator();
    m_bar->addAction(tr("Export PNG..."), this, [this] { askAndExport(true); });
    m_bar->addAction(tr("Export CSV..."), this, [this] { askAndExport(false); });
    m_summary = new QLabel(this);
    m_bar->addSeparator();
    m_bar->addWidget(m_summary);

    m_charts = new DashboardCharts(this);
    auto* sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(m_rules);
    sorted->setSortRole(RuleTableModel::SortRole);
    m_table = new QTableView(this);
    m_table->setModel(sorted);
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(RuleTableModel::Rule, QHeaderView::Stretch);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_charts);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_bar);
    layout->addWidget(split);

    connect(m_window, &QComboBox::currentIndexChanged, &m_traffic,
            [this] { m_traffic.setWindow(m_window->currentData().toUInt()); });
    connect(pause, &QAction::toggled, &m_traffic, &LiveTraffic::setPaused);
    connect(reset, &QAction::triggered, &m_traffic, &LiveTraffic::reset);
    connect(&m_traffic, &LiveTraffic::viewChanged, this, &DashboardPanel::showView);
    m_traffic.setWindow(m_window->currentData().toUInt());
    showView(m_traffic.view());
}

void DashboardPanel::showView(const live::LiveViewPtr& view) {
    if (!view)
        return;
    m_charts->showView(*view);
    m_rules->setView(view);
    const double seconds = static_cast<double>(view->seconds());
    m_summary->setText(view->seconds() == 0
                           ? tr("waiting for traffic")
                           : tr("%1 requests · %2 rps%3")
                                 .arg(view->requests())
                                 .arg(static_cast<double>(view->requests()) / seconds, 0, 'f', 1)
                                 .arg(view->paused ? tr(" · paused") : QString()));
}

bool DashboardPanel::exportPng(const QString& path) {
    return m_charts->grab().save(path, "PNG");
}

bool DashboardPanel::exportCsv(const QString& path) {
    const live::LiveViewPtr& view = m_traffic.view();
    if (!view)
        return false;
    const QFileInfo info(path);
    const QString base = info.dir().filePath(info.completeBaseName());
    for (const auto& file : live::LiveViewCsv::all(*view)) {
        QFile out(file.suffix.empty() ? path
                                      : base + QString::fromStdString(file.suffix) + QStringLiteral(".csv"));
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        const QByteArray bytes = QByteArray::fromStdString(file.text);
        if (out.write(bytes) != bytes.size())
            return false;
    }
    return true;
}

void DashboardPanel::askAndExport(bool png) {
    const QString path =
        QFileDialog::getSaveFileName(this, png ? tr("Export the charts") : tr("Export the dashboard as CSV"),
                                     png ? QStringLiteral("dashboard.png") : QStringLiteral("dashboard.csv"),
                                     png ? tr("PNG images (*.png)") : tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (!(png ? exportPng(path) : exportCsv(path)))
        m_summary->setText(tr("could not write %1").arg(path));
}

} // namespace sluice::ui
