// SPDX-License-Identifier: Apache-2.0
#include "live_traffic.h"

#include "live/weighted_rules.h"

namespace sluice::ui {

LiveTraffic::LiveTraffic(QObject* parent)
    : QObject(parent)
    , m_view(m_history.view(m_window)) {}

void LiveTraffic::addSnapshot(const metrics::MetricsSnapshotPtr& snapshot) {
    if (!snapshot)
        return;
    m_history.ingest(*snapshot);
    m_series.ingest(*snapshot);
    if (m_history.lastSecond() == m_shownSecond)
        return;
    m_shownSecond = m_history.lastSecond();
    if (!m_history.paused())
        refreshView();
    refreshOverlay();
}

void LiveTraffic::setConfig(const ConfigSnapshotPtr& config) {
    m_config = config;
    m_history.setRules(config && config->table ? live::weightedRules(*config->table)
                                               : std::vector<live::WeightedRule>{});
    refreshView();
    refreshOverlay();
}

void LiveTraffic::setWindow(std::size_t seconds) {
    if (seconds == m_window)
        return;
    m_window = seconds;
    refreshView();
}

void LiveTraffic::setPaused(bool paused) {
    if (paused == m_history.paused())
        return;
    if (paused)
        m_history.pause();
    else
        m_history.resume();
    refreshView();
}

void LiveTraffic::reset() {
    m_history.reset();
    m_series.reset();
    m_shownSecond = -1;
    refreshView();
    refreshOverlay();
}

void LiveTraffic::refreshView() {
    m_view = m_history.view(m_window);
    emit viewChanged(m_view);
}

void LiveTraffic::refreshOverlay() {
    if (!m_config || !m_config->flow) {
        m_overlay.reset();
        return;
    }
    const std::vector<live::SeriesCount> counts = m_series.counts();
    m_overlay = std::make_shared<const live::FlowOverlay>(
        live::flowOverlay(*m_config->flow, counts, m_series.seconds()));
    emit overlayChanged(m_config->flow, m_overlay);
}

} // namespace sluice::ui
