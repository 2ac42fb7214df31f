// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live/live_view.h"

#include <vector>

#include <QWidget>

class QAreaSeries;
class QBarCategoryAxis;
class QBarSeries;
class QBarSet;
class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace sluice::ui {

/// The dashboard's four charts over a LiveView: requests/s per destination (stacked areas),
/// latency p50/p90/p99 (lines), observed vs configured split per weighted rule (bars) and
/// failures by status code and response flag (bars). Time runs on x as seconds before the newest
/// (-59 .. 0 for a minute). Updating reuses every series: one replace() per line series, one
/// append per bar set; series are only rebuilt when the destinations change.
/// Thread affinity: GUI thread.
class DashboardCharts : public QWidget {
    Q_OBJECT

public:
    explicit DashboardCharts(QWidget* parent = nullptr);

    void showView(const live::LiveView& view);

    // For tests and exports.
    [[nodiscard]] const std::vector<QAreaSeries*>& destinationAreas() const { return m_areas; }
    [[nodiscard]] QLineSeries* latency(int index) const { return m_latency[index]; } ///< 0 p50, 1 p90, 2 p99
    [[nodiscard]] QBarSet* configuredSplit() const { return m_configured; }
    [[nodiscard]] QBarSet* observedSplit() const { return m_observed; }
    [[nodiscard]] QBarCategoryAxis* splitAxis() const { return m_splitAxis; }
    [[nodiscard]] QBarSet* failures() const { return m_failures; }
    [[nodiscard]] QBarCategoryAxis* failureAxis() const { return m_failureAxis; }
    [[nodiscard]] QValueAxis* timeAxis() const { return m_rpsTime; }
    [[nodiscard]] QValueAxis* rateAxis() const { return m_rpsValue; }
    [[nodiscard]] QValueAxis* failureCountAxis() const { return m_failureValue; }

private:
    void showRates(const live::LiveView& view);
    void showLatency(const live::LiveView& view);
    void showSplits(const live::LiveView& view);
    void showFailures(const live::LiveView& view);
    void rebuildAreas(const std::vector<live::DestinationId>& destinations);

    QChart* m_rpsChart = nullptr;
    QValueAxis* m_rpsTime = nullptr;
    QValueAxis* m_rpsValue = nullptr;
    std::vector<live::DestinationId> m_destinations;
    std::vector<QAreaSeries*> m_areas;
    std::vector<QLineSeries*> m_uppers;

    QValueAxis* m_latencyTime = nullptr;
    QValueAxis* m_latencyValue = nullptr;
    QLineSeries* m_latency[3] = {};

    QBarSet* m_configured = nullptr;
    QBarSet* m_observed = nullptr;
    QBarCategoryAxis* m_splitAxis = nullptr;
    QBarSet* m_failures = nullptr;
    QBarCategoryAxis* m_failureAxis = nullptr;
    QValueAxis* m_failureValue = nullptr;
};

} // namespace sluice::ui
