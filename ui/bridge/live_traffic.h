// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config_snapshot.h"
#include "live/flow_overlay.h"
#include "live/live_history.h"
#include "live/series_window.h"
#include "metrics/metrics_snapshot.h"

#include <QObject>

namespace sluice::ui {

/// What the Studio watches while the proxy serves: the proxy's metrics snapshots folded into a
/// LiveHistory (the dashboard) and a SeriesWindow (the flow graph's overlay). Snapshots come in at
/// 10 Hz; the view and the overlay are rebuilt only when a second closes (or the window, pause or
/// config changes), so charts redraw once a second whatever the proxy's load.
/// Thread affinity: GUI thread. The ProxyController delivers snapshots here already on it.
class LiveTraffic : public QObject {
    Q_OBJECT

public:
    explicit LiveTraffic(QObject* parent = nullptr);

    /// A snapshot of the running proxy (connect ProxyController::metricsUpdated here).
    void addSnapshot(const sluice::metrics::MetricsSnapshotPtr& snapshot);
    /// The config being served or edited: its weighted rules are the configured splits, its flow
    /// graph carries the overlay.
    void setConfig(const sluice::ui::ConfigSnapshotPtr& config);

    void setWindow(std::size_t seconds);
    [[nodiscard]] std::size_t window() const { return m_window; }
    void setPaused(bool paused);
    [[nodiscard]] bool paused() const { return m_history.paused(); }
    /// Forgets every second seen (a new run starts from nothing).
    void reset();

    [[nodiscard]] const live::LiveViewPtr& view() const { return m_view; }
    [[nodiscard]] const std::shared_ptr<const live::FlowOverlay>& overlay() const { return m_overlay; }
    [[nodiscard]] const live::LiveHistory& history() const { return m_history; }

signals:
    void viewChanged(const sluice::live::LiveViewPtr& view);
    void overlayChanged(const sluice::flow::FlowGraphPtr& graph,
                        const std::shared_ptr<const sluice::live::FlowOverlay>& overlay);

private:
    void refreshView();
    void refreshOverlay();

    live::LiveHistory m_history;
    live::SeriesWindow m_series;
    ConfigSnapshotPtr m_config;
    std::size_t m_window = 60;
    std::int64_t m_shownSecond = -1;
    live::LiveViewPtr m_view;
    std::shared_ptr<const live::FlowOverlay> m_overlay;
};

} // namespace sluice::ui
