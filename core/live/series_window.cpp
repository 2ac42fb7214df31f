// SPDX-License-Identifier: Apache-2.0
#include "series_window.h"

namespace sluice::live {

SeriesWindow::SeriesWindow(std::chrono::seconds span)
    : m_span(span.count() > 0 ? span : std::chrono::seconds(1)) {}

std::vector<std::uint64_t> SeriesWindow::row(const metrics::MetricsSnapshot& snapshot) {
    std::vector<std::uint64_t> out(m_keys.size());
    for (const metrics::SeriesStats& s : snapshot.series) {
        auto it = m_ids.find(*s.key);
        if (it == m_ids.end()) {
            it = m_ids.emplace(*s.key, static_cast<std::uint32_t>(m_keys.size())).first;
            m_keys.push_back(*s.key);
            out.resize(m_keys.size());
        }
        out[it->second] = s.requests;
    }
    return out;
}

void SeriesWindow::ingest(const metrics::MetricsSnapshot& snapshot) {
    m_latest = {snapshot.at, row(snapshot)};
    m_haveLatest = true;
    if (m_samples.empty() || snapshot.at - m_samples.back().at >= std::chrono::seconds(1))
        m_samples.push_back(m_latest);
    while (m_samples.size() > 1 && snapshot.at - m_samples[1].at >= m_span)
        m_samples.pop_front();
}

void SeriesWindow::reset() {
    m_samples.clear();
    m_latest = {};
    m_haveLatest = false;
}

std::vector<SeriesCount> SeriesWindow::counts() const {
    std::vector<SeriesCount> out;
    if (!m_haveLatest || m_samples.empty())
        return out;
    const std::vector<std::uint64_t>& base = m_samples.front().requests;
    for (std::size_t id = 0; id < m_latest.requests.size(); ++id) {
        const std::uint64_t before = id < base.size() ? base[id] : 0;
        if (m_latest.requests[id] > before)
            out.push_back({&m_keys[id], m_latest.requests[id] - before});
    }
    return out;
}

double SeriesWindow::seconds() const {
    if (!m_haveLatest || m_samples.empty())
        return 0.0;
    return std::chrono::duration<double>(m_latest.at - m_samples.front().at).count();
}

} // namespace sluice::live
