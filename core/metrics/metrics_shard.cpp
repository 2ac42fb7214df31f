// SPDX-License-Identifier: Apache-2.0
#include "metrics_shard.h"

#include <thread>

namespace sluice::metrics {

MetricsShard::Buffer& MetricsShard::beginWrite() {
    m_sequence.store(++m_written, std::memory_order_release); // odd: writing
    // Pairs with the fence in drain(): either this write sees the collector's new active buffer,
    // or the collector sees the odd sequence number and waits for the write to end.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    return m_buffers[m_active.load(std::memory_order_relaxed)];
}

void MetricsShard::endWrite() {
    m_sequence.store(++m_written, std::memory_order_release); // even: done
}

void MetricsShard::record(const RequestSample& sample) {
    Buffer& b = beginWrite();
    std::uint32_t slot = 0;
    if (const auto it = m_series.find(identityOf(sample)); it != m_series.end()) {
        slot = it->second;
    } else if (m_series.size() < kMaxSeries) {
        slot = static_cast<std::uint32_t>(m_series.size());
        SeriesKey key = SeriesKey::of(sample);
        b.newSeries.emplace_back(slot, key);
        m_series.emplace(std::move(key), slot);
    } else {
        if (m_overflow == UINT32_MAX) {
            m_overflow = static_cast<std::uint32_t>(m_series.size());
            SeriesKey key;
            key.virtualService = "(series limit)";
            b.newSeries.emplace_back(m_overflow, key);
            m_series.emplace(std::move(key), m_overflow);
        }
        slot = m_overflow;
    }
    if (slot >= b.series.size())
        b.series.resize(slot + 1);
    b.series[slot].add(sample);
    endWrite();
}

std::uint32_t MetricsShard::attemptStarted(const EndpointIdentity& endpoint) {
    Buffer& b = beginWrite();
    std::uint32_t slot = 0;
    if (const auto it = m_endpoints.find(endpoint); it != m_endpoints.end()) {
        slot = it->second;
    } else if (m_endpoints.size() < kMaxEndpoints) {
        slot = static_cast<std::uint32_t>(m_endpoints.size());
        EndpointKey key{std::string(endpoint.cluster), std::string(endpoint.replica),
                        std::string(endpoint.address), endpoint.port};
        b.newEndpoints.emplace_back(slot, key);
        m_endpoints.emplace(std::move(key), slot);
    } else {
        endWrite();
        return UINT32_MAX; // not counted
    }
    if (slot >= b.endpoints.size())
        b.endpoints.resize(slot + 1);
    ++b.endpoints[slot].started;
    endWrite();
    return slot;
}

void MetricsShard::attemptEnded(std::uint32_t slot, bool success) {
    if (slot == UINT32_MAX)
        return;
    Buffer& b = beginWrite();
    if (slot >= b.endpoints.size())
        b.endpoints.resize(slot + 1);
    ++(success ? b.endpoints[slot].success : b.endpoints[slot].error);
    endWrite();
}

ShardDelta MetricsShard::drain() {
    const unsigned retiring = m_active.load(std::memory_order_relaxed);
    m_active.store(1 - retiring, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    // A write in progress may still be using the retired buffer: wait for it to end (a few
    // hundred nanoseconds). Writes that start from now on see the new active buffer.
    const std::uint64_t seen = m_sequence.load(std::memory_order_acquire);
    if (seen & 1)
        while (m_sequence.load(std::memory_order_acquire) == seen)
            std::this_thread::yield();
    m_retired = retiring;
    const Buffer& b = m_buffers[retiring];
    return {&b.newSeries, &b.newEndpoints, &b.series, &b.endpoints};
}

void MetricsShard::finishDrain() {
    Buffer& b = m_buffers[m_retired];
    for (SeriesCounters& c : b.series)
        c.clear();
    for (EndpointCounters& c : b.endpoints)
        c.clear();
    b.newSeries.clear();
    b.newEndpoints.clear();
}

} // namespace sluice::metrics
