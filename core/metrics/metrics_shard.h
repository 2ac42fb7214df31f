// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "series_counters.h"
#include "series_key.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sluice::metrics {

/// What a shard handed over since the previous drain: counts per series and per endpoint, by the
/// shard's own slot numbers, with the keys of the slots that are new since then.
/// Everything points into the shard's retired buffer: valid until finishDrain().
struct ShardDelta {
    const std::vector<std::pair<std::uint32_t, SeriesKey>>* newSeries = nullptr;
    const std::vector<std::pair<std::uint32_t, EndpointKey>>* newEndpoints = nullptr;
    const std::vector<SeriesCounters>* series = nullptr;      ///< indexed by slot
    const std::vector<EndpointCounters>* endpoints = nullptr; ///< indexed by slot
};

/// One proxy worker's metrics. The worker records into it without locks or atomic
/// read-modify-writes: a request is a map lookup by views (no allocation once the series exists),
/// a few increments and histogram inserts. Two buffers alternate: the worker writes the active
/// one while the collector drains the other, and a sequence number (odd while the worker writes)
/// tells the collector when the worker has left the buffer it just retired.
///
/// Threads: record() / attemptStarted() / attemptEnded() on the owning worker only; drain() and
/// finishDrain() on the collector only.
class MetricsShard {
public:
    /// Past this many series, new label sets are counted under one overflow series (the route
    /// "(series limit)") so hostile traffic cannot grow memory without bound.
    static constexpr std::size_t kMaxSeries = 4096;
    static constexpr std::size_t kMaxEndpoints = 4096;

    MetricsShard() = default;
    MetricsShard(const MetricsShard&) = delete;
    MetricsShard& operator=(const MetricsShard&) = delete;

    /// Counts one finished request.
    void record(const RequestSample& sample);
    /// An upstream attempt to `endpoint` begins; returns the slot to pass to attemptEnded().
    std::uint32_t attemptStarted(const EndpointIdentity& endpoint);
    /// The attempt ended: `success` when it got an answer below 500.
    void attemptEnded(std::uint32_t slot, bool success);

    /// Collector: retires the active buffer (the worker moves to the other one) and returns what
    /// the retired one holds. Call finishDrain() when done reading it.
    [[nodiscard]] ShardDelta drain();
    /// Collector: zeroes the retired buffer for its next turn.
    void finishDrain();

private:
    struct Buffer {
        std::vector<SeriesCounters> series;
        std::vector<EndpointCounters> endpoints;
        std::vector<std::pair<std::uint32_t, SeriesKey>> newSeries;
        std::vector<std::pair<std::uint32_t, EndpointKey>> newEndpoints;
    };

    Buffer& beginWrite();
    void endWrite();

    Buffer m_buffers[2];
    std::atomic<unsigned> m_active{0};
    std::atomic<std::uint64_t> m_sequence{0}; ///< odd while the worker writes
    unsigned m_retired = 1;                   ///< collector side: the buffer drain() handed out

    [[nodiscard]] std::uint32_t seriesSlot(const RequestSample& sample, Buffer& b);
    [[nodiscard]] std::uint32_t endpointSlot(const EndpointIdentity& endpoint, Buffer& b);

    /// Requests repeat a handful of label sets. A small direct-mapped memo, indexed by a hash of
    /// lengths and a few bytes and confirmed by comparing the labels, spares the maps' hashing
    /// of every label on most requests. A collision only costs the map lookup.
    static constexpr std::size_t kMemoSize = 32;
    using Memo = std::array<std::uint32_t, kMemoSize>; ///< slots; UINT32_MAX: empty

    // Worker side only.
    std::uint64_t m_written = 0; ///< the worker's copy of m_sequence
    std::unordered_map<SeriesKey, std::uint32_t, IdentityHash, IdentityEqual> m_series;
    std::unordered_map<EndpointKey, std::uint32_t, IdentityHash, IdentityEqual> m_endpoints;
    std::vector<const SeriesKey*> m_seriesBySlot;     ///< into m_series (nodes do not move)
    std::vector<const EndpointKey*> m_endpointBySlot; ///< into m_endpoints
    Memo m_seriesMemo = emptyMemo();
    Memo m_endpointMemo = emptyMemo();
    std::uint32_t m_overflow = UINT32_MAX;

    static constexpr Memo emptyMemo() {
        Memo m{};
        m.fill(UINT32_MAX);
        return m;
    }
};

} // namespace sluice::metrics
