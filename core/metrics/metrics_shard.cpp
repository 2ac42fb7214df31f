// SPDX-License-Identifier: Apache-2.0
#include "metrics_shard.h"

#include <algorithm>
#include <cstring>
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

namespace {

/// Up to the last 8 bytes of `s` as a number (where label values that share a prefix differ).
std::uint64_t tail(std::string_view s) {
    std::uint64_t v = 0;
    const std::size_t n = std::min<std::size_t>(8, s.size());
    if (n != 0) // an empty view may have no data pointer, which memcpy must not get
        std::memcpy(&v, s.data() + s.size() - n, n);
    return v;
}

std::size_t memoIndex(std::uint64_t h) {
    h *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(h >> 59); // 32 entries
}

std::size_t memoIndex(const SeriesIdentity& i) {
    return memoIndex((i.virtualService.size() | i.ruleName.size() << 12 | i.cluster.size() << 24 |
                      i.replica.size() << 36 | i.responseFlags.size() << 48) ^
                     (static_cast<std::uint64_t>(static_cast<std::uint32_t>(i.ruleIndex)) << 20) ^
                     static_cast<std::uint64_t>(i.responseCode) << 40 ^ tail(i.replica) * 31 ^
                     tail(i.ruleName) ^ tail(i.sourceWorkload) * 7);
}

std::size_t memoIndex(const EndpointIdentity& i) {
    return memoIndex((i.cluster.size() | i.replica.size() << 16 | i.address.size() << 32) ^
                     static_cast<std::uint64_t>(i.port) << 48 ^ tail(i.replica) * 31 ^ tail(i.address));
}

} // namespace

std::uint32_t MetricsShard::seriesSlot(const RequestSample& sample, Buffer& b) {
    const SeriesIdentity identity = identityOf(sample);
    std::uint32_t& memo = m_seriesMemo[memoIndex(identity)];
    if (memo != UINT32_MAX && m_seriesBySlot[memo]->identity() == identity)
        return memo;
    if (const auto it = m_series.find(identity); it != m_series.end())
        return memo = it->second;
    if (m_series.size() < kMaxSeries) {
        const auto slot = static_cast<std::uint32_t>(m_series.size());
        SeriesKey key = SeriesKey::of(sample);
        b.newSeries.emplace_back(slot, key);
        m_seriesBySlot.push_back(&m_series.emplace(std::move(key), slot).first->first);
        return memo = slot;
    }
    if (m_overflow == UINT32_MAX) { // never memoized: its key matches no sample
        m_overflow = static_cast<std::uint32_t>(m_series.size());
        SeriesKey key;
        key.virtualService = "(series limit)";
        b.newSeries.emplace_back(m_overflow, key);
        m_seriesBySlot.push_back(&m_series.emplace(std::move(key), m_overflow).first->first);
    }
    return m_overflow;
}

void MetricsShard::record(const RequestSample& sample) {
    Buffer& b = beginWrite();
    const std::uint32_t slot = seriesSlot(sample, b);
    if (slot >= b.series.size())
        b.series.resize(slot + 1);
    b.series[slot].add(sample);
    endWrite();
}

std::uint32_t MetricsShard::endpointSlot(const EndpointIdentity& endpoint, Buffer& b) {
    std::uint32_t& memo = m_endpointMemo[memoIndex(endpoint)];
    if (memo != UINT32_MAX && m_endpointBySlot[memo]->identity() == endpoint)
        return memo;
    if (const auto it = m_endpoints.find(endpoint); it != m_endpoints.end())
        return memo = it->second;
    if (m_endpoints.size() >= kMaxEndpoints)
        return UINT32_MAX; // not counted
    const auto slot = static_cast<std::uint32_t>(m_endpoints.size());
    EndpointKey key{std::string(endpoint.cluster), std::string(endpoint.replica),
                    std::string(endpoint.address), endpoint.port};
    b.newEndpoints.emplace_back(slot, key);
    m_endpointBySlot.push_back(&m_endpoints.emplace(std::move(key), slot).first->first);
    return memo = slot;
}

std::uint32_t MetricsShard::attemptStarted(const EndpointIdentity& endpoint) {
    Buffer& b = beginWrite();
    const std::uint32_t slot = endpointSlot(endpoint, b);
    if (slot != UINT32_MAX) {
        if (slot >= b.endpoints.size())
            b.endpoints.resize(slot + 1);
        ++b.endpoints[slot].started;
    }
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
