// SPDX-License-Identifier: Apache-2.0
#include "rolling_time_series.h"

#include <algorithm>

namespace sluice::metrics {

RollingTimeSeries::RollingTimeSeries(Clock::time_point start)
    : RollingTimeSeries(start, Options{}) {}

RollingTimeSeries::RollingTimeSeries(Clock::time_point start, Options options)
    : m_start(start)
    , m_options{std::max<std::size_t>(options.seconds, 1), options.precision,
                std::max<std::size_t>(options.maxKeys, 1)} {}

std::int64_t RollingTimeSeries::secondOf(Clock::time_point t) const {
    return std::chrono::floor<std::chrono::seconds>(t - m_start).count();
}

void RollingTimeSeries::ingest(const MetricsSnapshot& snapshot) {
    const Clock::time_point midpoint =
        snapshot.at - std::chrono::duration_cast<Clock::duration>(snapshot.interval / 2);
    advanceTo(midpoint);
    for (const SeriesStats& s : snapshot.series) {
        if (s.intervalRequests == 0 || !s.key->ingress())
            continue; // the gateway's requests only: calls between workloads are not its traffic
        StatusClassCounts classes{};
        classes[static_cast<std::size_t>(statusClassOf(s.key->responseCode))] = s.intervalRequests;
        add(midpoint, timeSeriesKeyOf(*s.key), classes, s.intervalDuration.get());
    }
}

void RollingTimeSeries::add(Clock::time_point at, const TimeSeriesKeyView& key,
                            const StatusClassCounts& classes, const LatencyHistogram* latency) {
    const std::int64_t second = secondOf(at);
    if (second < m_openSecond || second < 0) {
        m_late += requestsOf(classes);
        return;
    }
    advanceTo(at);
    const std::uint32_t id = keyId(key);
    if (m_openSlot[id] < 0) {
        m_openSlot[id] = static_cast<std::int32_t>(m_open.size());
        Open& open = m_open.emplace_back();
        open.key = id;
        if (!m_spare.empty()) {
            open.latency = std::move(m_spare.back());
            m_spare.pop_back();
        } else {
            open.latency = LatencyHistogram(m_options.precision);
        }
    }
    Open& open = m_open[static_cast<std::size_t>(m_openSlot[id])];
    for (std::size_t i = 0; i < kStatusClasses; ++i)
        open.classes[i] += classes[i];
    if (latency)
        static_cast<void>(open.latency.merge(*latency)); // a coarser histogram is left out (documented)
}

void RollingTimeSeries::advanceTo(Clock::time_point now) {
    const std::int64_t target = secondOf(now);
    if (target <= m_openSecond)
        return;
    closeOpenSecond();
    // Idle seconds in between: no bucket (at most as many as are kept).
    const std::int64_t gap =
        std::min<std::int64_t>(target - m_openSecond - 1, static_cast<std::int64_t>(m_options.seconds));
    for (std::int64_t i = 0; i < gap; ++i)
        m_closed.push_back(nullptr);
    while (m_closed.size() > m_options.seconds - 1)
        m_closed.pop_front();
    m_openSecond = target;
}

void RollingTimeSeries::closeOpenSecond() {
    m_closed.push_back(m_open.empty() ? nullptr : build());
    // Recycle the histograms for the next second, keeping no more than this second used.
    const std::size_t used = m_open.size();
    for (Open& open : m_open) {
        m_openSlot[open.key] = -1;
        open.latency.clear();
        m_spare.push_back(std::move(open.latency));
    }
    m_open.clear();
    if (m_spare.size() > used)
        m_spare.resize(used, LatencyHistogram(m_options.precision));
}

SecondBucketPtr RollingTimeSeries::build() const {
    auto bucket = std::make_shared<SecondBucket>(m_options.precision);
    std::vector<const Open*> byKey;
    byKey.reserve(m_open.size());
    for (const Open& open : m_open)
        byKey.push_back(&open);
    std::sort(byKey.begin(), byKey.end(), [](const Open* a, const Open* b) { return a->key < b->key; });
    for (const Open* open : byKey)
        bucket->add(open->key, open->classes, open->latency);
    bucket->shrink();
    return bucket;
}

TimeSeriesSnapshotPtr RollingTimeSeries::snapshot() const {
    if (!m_publishedKeys || m_publishedKeys->size() != m_keys.size())
        m_publishedKeys = std::make_shared<const std::vector<TimeSeriesKey>>(m_keys);
    std::vector<SecondBucketPtr> seconds(m_closed.begin(), m_closed.end());
    seconds.push_back(m_open.empty() ? nullptr : build());
    const std::int64_t first = m_openSecond - static_cast<std::int64_t>(m_closed.size());
    return std::make_shared<const TimeSeriesSnapshot>(m_publishedKeys, std::move(seconds), first, true,
                                                      m_start, m_options.precision);
}

std::uint32_t RollingTimeSeries::keyId(const TimeSeriesKeyView& key) {
    if (const auto it = m_keyIndex.find(key); it != m_keyIndex.end())
        return it->second;
    TimeSeriesKey owned = TimeSeriesKey::of(key);
    if (m_keys.size() >= m_options.maxKeys) {
        if (m_overflowKey != UINT32_MAX)
            return m_overflowKey;
        owned = TimeSeriesKey{};
        owned.virtualService = "(series limit)";
    }
    const auto id = static_cast<std::uint32_t>(m_keys.size());
    m_keys.push_back(owned);
    m_keyIndex.emplace(std::move(owned), id);
    m_openSlot.push_back(-1);
    if (m_keys.size() > m_options.maxKeys)
        m_overflowKey = id;
    return id;
}

std::size_t RollingTimeSeries::memoryBytes() const {
    std::size_t bytes = sizeof(*this);
    for (const SecondBucketPtr& b : m_closed)
        bytes += sizeof(SecondBucketPtr) + (b ? b->memoryBytes() : 0);
    for (const Open& open : m_open)
        bytes += sizeof(Open) + open.latency.memoryBytes() - sizeof(LatencyHistogram);
    for (const LatencyHistogram& h : m_spare)
        bytes += h.memoryBytes();
    for (const TimeSeriesKey& k : m_keys)
        bytes += 2 * sizeof(TimeSeriesKey) + k.virtualService.capacity() + k.ruleName.capacity() +
                 k.service.capacity() + k.subset.capacity();
    return bytes;
}

} // namespace sluice::metrics
