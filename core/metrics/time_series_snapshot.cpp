// SPDX-License-Identifier: Apache-2.0
#include "time_series_snapshot.h"

#include <algorithm>

namespace sluice::metrics {

TimeSeriesSnapshot::TimeSeriesSnapshot(std::shared_ptr<const std::vector<TimeSeriesKey>> keys,
                                       std::vector<SecondBucketPtr> seconds, std::int64_t firstSecond,
                                       bool lastIsPartial, Clock::time_point start,
                                       HistogramPrecision precision)
    : m_keys(keys ? std::move(keys) : std::make_shared<const std::vector<TimeSeriesKey>>())
    , m_seconds(std::move(seconds))
    , m_firstSecond(firstSecond)
    , m_lastIsPartial(lastIsPartial && !m_seconds.empty())
    , m_start(start)
    , m_precision(precision) {}

const SecondBucket* TimeSeriesSnapshot::bucket(std::int64_t second) const {
    if (second < m_firstSecond || second > lastSecond())
        return nullptr;
    return m_seconds[static_cast<std::size_t>(second - m_firstSecond)].get();
}

std::vector<bool> TimeSeriesSnapshot::select(const TimeSeriesFilter& filter) const {
    std::vector<bool> selected(m_keys->size());
    for (std::size_t i = 0; i < selected.size(); ++i)
        selected[i] = filter.matches((*m_keys)[i]);
    return selected;
}

void TimeSeriesSnapshot::sum(const SecondBucket& b, const std::vector<bool>& selected,
                             StatusClassCounts& classes, LatencyHistogram& latency) const {
    for (const SecondBucket::Entry& e : b.entries()) {
        if (e.key >= selected.size() || !selected[e.key])
            continue;
        for (std::size_t i = 0; i < kStatusClasses; ++i)
            classes[i] += e.classes[i];
        static_cast<void>(b.mergeLatency(e, latency)); // `latency` has the series' precision
    }
}

std::vector<TimeSeriesPoint> TimeSeriesSnapshot::points(std::size_t lastSeconds,
                                                        const TimeSeriesFilter& filter) const {
    const std::size_t n = std::min(lastSeconds, m_seconds.size());
    const std::vector<bool> selected = select(filter);
    std::vector<TimeSeriesPoint> out;
    out.reserve(n);
    LatencyHistogram latency(m_precision);
    for (std::size_t i = m_seconds.size() - n; i < m_seconds.size(); ++i) {
        TimeSeriesPoint& p = out.emplace_back();
        p.second = m_firstSecond + static_cast<std::int64_t>(i);
        p.partial = m_lastIsPartial && i + 1 == m_seconds.size();
        if (!m_seconds[i])
            continue;
        latency.clear();
        sum(*m_seconds[i], selected, p.classes, latency);
        p.requests = requestsOf(p.classes);
        p.errors = errorsOf(p.classes);
        p.setLatency(latency);
    }
    return out;
}

void TimeSeriesPoint::setLatency(const LatencyHistogram& latency) {
    p50 = latency.quantile(0.5);
    p90 = latency.quantile(0.9);
    p99 = latency.quantile(0.99);
    p999 = latency.quantile(0.999);
    max = latency.max();
    mean = latency.mean();
}

TimeSeriesWindow TimeSeriesSnapshot::window(std::size_t lastSeconds, const TimeSeriesFilter& filter) const {
    const std::size_t complete = m_seconds.size() - (m_lastIsPartial ? 1 : 0);
    const std::size_t n = std::min(lastSeconds, complete);
    TimeSeriesWindow w;
    w.latency = LatencyHistogram(m_precision);
    w.lastSecond = m_firstSecond + static_cast<std::int64_t>(complete) - 1;
    w.firstSecond = w.lastSecond - static_cast<std::int64_t>(n) + 1;
    const std::vector<bool> selected = select(filter);
    for (std::size_t i = complete - n; i < complete; ++i)
        if (m_seconds[i])
            sum(*m_seconds[i], selected, w.classes, w.latency);
    w.requests = requestsOf(w.classes);
    w.errors = errorsOf(w.classes);
    return w;
}

std::vector<std::pair<const TimeSeriesKey*, std::uint64_t>>
TimeSeriesSnapshot::keyTotals(std::size_t lastSeconds) const {
    const std::size_t complete = m_seconds.size() - (m_lastIsPartial ? 1 : 0);
    const std::size_t n = std::min(lastSeconds, complete);
    std::vector<std::uint64_t> requests(m_keys->size());
    for (std::size_t i = complete - n; i < complete; ++i)
        if (m_seconds[i])
            for (const SecondBucket::Entry& e : m_seconds[i]->entries())
                if (e.key < requests.size())
                    requests[e.key] += e.requests();
    std::vector<std::pair<const TimeSeriesKey*, std::uint64_t>> out;
    out.reserve(requests.size());
    for (std::size_t k = 0; k < requests.size(); ++k)
        out.emplace_back(&(*m_keys)[k], requests[k]);
    return out;
}

} // namespace sluice::metrics
