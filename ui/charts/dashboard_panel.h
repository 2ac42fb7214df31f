// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live/live_view.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;
class QToolBar;

namespace sluice::ui {

class DashboardCharts;
class LiveTraffic;
class RuleTableModel;

/// The Dashboard tab: the live charts and the per-rule table over LiveTraffic's view, with a
/// window selector (1, 5, 15 minutes), Pause, Reset and exports (PNG of the charts, CSV of every
/// table shown). It draws what LiveTraffic computes; the controls only tell LiveTraffic.
/// Thread affinity: GUI thread.
class DashboardPanel : public QWidget {
    Q_OBJECT

public:
    DashboardPanel(LiveTraffic& traffic, QWidget* parent = nullptr);

    /// Shows `view` (connected to LiveTraffic::viewChanged).
    void showView(const sluice::live::LiveViewPtr& view);

    /// Writes the charts as a PNG; false when the file cannot be written.
    bool exportPng(const QString& path);
    /// Writes every table as CSV: `path` (the time series) and `<base>-destinations.csv`,
    /// `-splits`, `-errors`, `-rules` beside it. False when a file cannot be written.
    bool exportCsv(const QString& path);

    [[nodiscard]] DashboardCharts& charts() const { return *m_charts; }
    [[nodiscard]] RuleTableModel& rules() const { return *m_rules; }
    [[nodiscard]] QComboBox& windowBox() const { return *m_window; }
    [[nodiscard]] QToolBar& toolBar() const { return *m_bar; }

private:
    void askAndExport(bool png);

    LiveTraffic& m_traffic;
    QToolBar* m_bar = nullptr;
    QComboBox* m_window = nullptr;
    QLabel* m_summary = nullptr;
    DashboardCharts* m_charts = nullptr;
    RuleTableModel* m_rules = nullptr;
    QTableView* m_table = nullptr;
};

} // namespace sluice::ui
