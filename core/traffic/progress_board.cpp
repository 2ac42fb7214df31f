// SPDX-License-Identifier: Apache-2.0
#include "progress_board.h"

#include <algorithm>

namespace sluice::traffic {
namespace {

metrics::RollingTimeSeries::Options seriesOptions(std::chrono::seconds keep) {
    metrics::RollingTimeSeries::Options o;
    o.seconds = static_cast<std::size_t>(std::max<std::int64_t>(keep.count(), 2));
    o.precision = metrics::HistogramPrecision::threeDigits();
    o.maxKeys = 4;
    return o;
}

} // namespace

ProgressBoard::ProgressBoard(unsigned workers, Clock::time_point start, std::chrono::seconds keep)
    : m_start(start)
    , m_closedThrough(workers, -1)
    , m_series(start, seriesOptions(keep)) {}

void ProgressBoard::publish(unsigned worker, SecondSample* sample, std::int64_t closedThrough) {
    const std::lock_guard lock(m_mutex);
    if (sample)
        m_pending.push_back(std::move(*sample));
    if (worker < m_closedThrough.size())
        m_closedThrough[worker] = std::max(m_closedThrough[worker], closedThrough);
}

std::vector<SecondSummary> ProgressBoard::collect() {
    std::vector<SecondSample> pending;
    std::int64_t through = kDone;
    {
        const std::lock_guard lock(m_mutex);
        pending.swap(m_pending);
        for (const std::int64_t c : m_closedThrough)
            through = std::min(through, c);
    }
    for (SecondSample& s : pending) {
        Accumulated& a = m_seconds[s.second];
        for (std::size_t i = 0; i < a.classes.size(); ++i)
            a.classes[i] += s.classes[i];
        (void)a.latency.merge(s.latency); // same precision: always merges
    }
    return mergeThrough(through);
}

std::vector<SecondSummary> ProgressBoard::mergeThrough(std::int64_t through) {
    std::vector<SecondSummary> out;
    while (!m_seconds.empty() && m_seconds.begin()->first <= through) {
        auto node = m_seconds.extract(m_seconds.begin());
        const std::int64_t second = node.key();
        const Accumulated& a = node.mapped();
        // Seconds without requests in between are zero points in the series already.
        m_series.add(m_start + std::chrono::seconds(second) + std::chrono::milliseconds(500),
                     metrics::TimeSeriesKeyView{}, a.classes, &a.latency);
        SecondSummary s;
        s.second = second;
        s.requests = metrics::requestsOf(a.classes);
        s.errors = metrics::errorsOf(a.classes);
        s.p50 = a.latency.valueAtPercentile(50);
        s.p99 = a.latency.valueAtPercentile(99);
        m_collected += s.requests;
        m_lastMerged = second;
        out.push_back(s);
    }
    return out;
}

metrics::TimeSeriesSnapshotPtr ProgressBoard::finish() {
    (void)collect();
    (void)mergeThrough(kDone);
    m_series.advanceTo(m_start + std::chrono::seconds(m_lastMerged + 1));
    return m_series.snapshot();
}

void SecondWindow::advance(std::int64_t second) {
    if (m_has) {
        m_board.publish(m_worker, &m_open, second - 1);
        m_open = SecondSample{};
        m_has = false;
    } else {
        m_board.publish(m_worker, nullptr, second - 1);
    }
    m_open.second = second;
}

void SecondWindow::tick(Clock::time_point now) {
    const std::int64_t s = secondOf(now);
    if (s > m_open.second)
        advance(s);
}

void SecondWindow::close() {
    if (m_has) {
        m_board.publish(m_worker, &m_open, m_open.second);
        m_has = false;
    }
    m_board.markDone(m_worker);
}

} // namespace sluice::traffic
