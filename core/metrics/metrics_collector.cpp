// SPDX-License-Identifier: Apache-2.0
#include "metrics_collector.h"

#include <cassert>

namespace sluice::metrics {
namespace {

HistogramPtr copyOf(const LatencyHistogram& h) {
    return std::make_shared<const LatencyHistogram>(h);
}

} // namespace

MetricsCollector::MetricsCollector(std::chrono::milliseconds interval)
    : m_interval(interval.count() > 0 ? interval : std::chrono::milliseconds(100))
    , m_last(Clock::now())
    , m_latest(std::make_shared<const MetricsSnapshot>()) {}

MetricsCollector::~MetricsCollector() {
    stop();
}

MetricsShard& MetricsCollector::addShard() {
    const std::lock_guard lock(m_collectMutex);
    m_shards.push_back(std::make_unique<MetricsShard>());
    m_seriesSlots.emplace_back();
    m_endpointSlots.emplace_back();
    return *m_shards.back();
}

void MetricsCollector::start() {
    if (m_thread.joinable())
        return;
    {
        const std::lock_guard lock(m_runMutex);
        m_stopping = false;
    }
    m_thread = std::thread([this] { run(); });
}

void MetricsCollector::stop() {
    {
        const std::lock_guard lock(m_runMutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void MetricsCollector::run() {
    std::unique_lock lock(m_runMutex);
    while (!m_stopping) {
        if (m_wake.wait_for(lock, m_interval, [this] { return m_stopping; }))
            break;
        lock.unlock();
        collect();
        lock.lock();
    }
}

void MetricsCollector::mergeShard(std::size_t index) {
    MetricsShard& shard = *m_shards[index];
    const ShardDelta delta = shard.drain();
    std::vector<std::uint32_t>& seriesSlots = m_seriesSlots[index];
    for (const auto& [slot, key] : *delta.newSeries) {
        auto it = m_seriesIndex.find(key.identity());
        if (it == m_seriesIndex.end()) {
            m_series.push_back(Series{std::make_shared<const SeriesKey>(key), {}, {}, 0, {}});
            it =
                m_seriesIndex
                    .emplace(m_series.back().key->identity(), static_cast<std::uint32_t>(m_series.size() - 1))
                    .first;
        }
        if (slot >= seriesSlots.size())
            seriesSlots.resize(slot + 1, UINT32_MAX);
        seriesSlots[slot] = it->second;
    }
    for (std::size_t slot = 0; slot < delta.series->size(); ++slot) {
        const SeriesCounters& counters = (*delta.series)[slot];
        if (counters.requests == 0 || slot >= seriesSlots.size() || seriesSlots[slot] == UINT32_MAX)
            continue;
        Series& s = m_series[seriesSlots[slot]];
        s.totals.merge(counters);
        [[maybe_unused]] const bool merged = s.interval.merge(counters.duration); // both compact
        assert(merged);
        s.intervalRequests += counters.requests;
    }
    std::vector<std::uint32_t>& endpointSlots = m_endpointSlots[index];
    for (const auto& [slot, key] : *delta.newEndpoints) {
        auto [it, added] = m_endpointIndex.try_emplace(key, static_cast<std::uint32_t>(m_endpoints.size()));
        if (added)
            m_endpoints.push_back(Endpoint{key, {}});
        if (slot >= endpointSlots.size())
            endpointSlots.resize(slot + 1, UINT32_MAX);
        endpointSlots[slot] = it->second;
    }
    for (std::size_t slot = 0; slot < delta.endpoints->size(); ++slot) {
        const EndpointCounters& counters = (*delta.endpoints)[slot];
        if (!counters.empty() && slot < endpointSlots.size() && endpointSlots[slot] != UINT32_MAX)
            m_endpoints[endpointSlots[slot]].totals.merge(counters);
    }
    shard.finishDrain();
}

MetricsSnapshotPtr MetricsCollector::collect(Clock::time_point now) {
    auto snapshot = std::make_shared<MetricsSnapshot>();
    {
        const std::lock_guard lock(m_collectMutex);
        for (std::size_t i = 0; i < m_shards.size(); ++i)
            mergeShard(i);
        snapshot->sequence = ++m_sequence;
        snapshot->at = now;
        snapshot->interval = now > m_last ? now - m_last : Clock::duration::zero();
        m_last = now;
        snapshot->series.reserve(m_series.size());
        for (Series& s : m_series) {
            const bool changed = s.intervalRequests > 0 || !s.published[0];
            if (changed) {
                s.published[0] = copyOf(s.totals.duration);
                s.published[1] = copyOf(s.totals.upstream);
            }
            SeriesStats& out = snapshot->series.emplace_back();
            out.key = s.key;
            out.requests = s.totals.requests;
            out.bytesReceived = s.totals.bytesReceived;
            out.bytesSent = s.totals.bytesSent;
            out.duration = s.published[0];
            out.upstream = s.published[1];
            out.requestBytes = s.totals.requestBytes;
            out.responseBytes = s.totals.responseBytes;
            out.intervalRequests = s.intervalRequests;
            if (s.intervalRequests > 0)
                out.intervalDuration = copyOf(s.interval);
            if (s.intervalRequests > 0)
                s.interval.clear();
            else
                s.interval = LatencyHistogram(); // idle: give the memory back
            s.intervalRequests = 0;
        }
        snapshot->endpoints.reserve(m_endpoints.size());
        for (const Endpoint& e : m_endpoints) {
            const std::uint64_t finished = e.totals.success + e.totals.error;
            snapshot->endpoints.push_back({e.key,
                                           e.totals.started > finished ? e.totals.started - finished : 0,
                                           e.totals.success, e.totals.error});
        }
    }
    MetricsSnapshotPtr published = std::move(snapshot);
    std::vector<Subscriber> subscribers;
    {
        const std::lock_guard lock(m_publishMutex);
        m_latest = published;
        for (const auto& [id, subscriber] : m_subscribers)
            subscribers.push_back(subscriber);
    }
    for (const Subscriber& subscriber : subscribers)
        subscriber(published);
    return published;
}

MetricsSnapshotPtr MetricsCollector::snapshot() const {
    const std::lock_guard lock(m_publishMutex);
    return m_latest;
}

std::uint64_t MetricsCollector::subscribe(Subscriber subscriber) {
    const std::lock_guard lock(m_publishMutex);
    const std::uint64_t id = m_nextSubscriber++;
    m_subscribers.emplace_back(id, std::move(subscriber));
    return id;
}

void MetricsCollector::unsubscribe(std::uint64_t id) {
    const std::lock_guard lock(m_publishMutex);
    std::erase_if(m_subscribers, [id](const auto& entry) { return entry.first == id; });
}

} // namespace sluice::metrics
