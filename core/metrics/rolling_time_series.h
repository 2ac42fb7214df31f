// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "latency_histogram.h"
#include "metrics_snapshot.h"
#include "second_bucket.h"
#include "time_series_key.h"
#include "time_series_snapshot.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

namespace sluice::metrics {

/// Per-second traffic (requests by status class, latencies) per route / destination / subset
/// for the last 15 minutes (900 one-second buckets by default), fed with the MetricsSnapshots a
/// MetricsCollector publishes every 100 ms (ingest()) or directly (add(), e.g. by the load
/// generator). Readers take immutable TimeSeriesSnapshots.
///
/// Time: seconds are counted from `start`; an interval's requests belong to the second that holds
/// the interval's midpoint (a snapshot at 1.0 s covering 0.9..1.0 s goes to second 0). Time only
/// moves forward: data for a second that is already closed (before the open one) is dropped and
/// counted in lateRequests(). The clock is the caller's: snapshots carry their time, and
/// advanceTo() moves an idle series along, so tests need no sleeping.
///
/// Memory: the closed seconds (SecondBucket: 80 bytes per key with traffic in that second, plus
/// 8 bytes per distinct latency bucket), and for the open second one histogram per key with
/// traffic in it (precision().countsBytes(), 7 KB compact). Past `maxKeys` keys, new ones are
/// counted under one overflow key whose virtualService is "(series limit)".
///
/// Threads: one writer calls ingest(), add(), advanceTo() and snapshot(); snapshots may be read
/// from any thread.
class RollingTimeSeries {
public:
    using Clock = std::chrono::steady_clock;

    struct Options {
        std::size_t seconds = 900;                                    ///< kept, the open one included
        HistogramPrecision precision = HistogramPrecision::compact(); ///< of the per-second latencies
        std::size_t maxKeys = 4096;
    };

    explicit RollingTimeSeries(Clock::time_point start);
    RollingTimeSeries(Clock::time_point start, Options options);

    /// Adds what `snapshot`'s interval added (intervalRequests and intervalDuration per series) for
    /// the gateway's own requests; series of calls between workloads (a source workload) are skipped.
    void ingest(const MetricsSnapshot& snapshot);
    /// Adds requests to `key` at time `at`: counts by status class and, when not null, their
    /// latencies (any precision at least as fine as the series'; a coarser one is left out).
    void add(Clock::time_point at, const TimeSeriesKeyView& key, const StatusClassCounts& classes,
             const LatencyHistogram* latency);
    /// Closes every second before the one holding `now`.
    void advanceTo(Clock::time_point now);

    /// The kept seconds, the open one last (flagged partial).
    [[nodiscard]] TimeSeriesSnapshotPtr snapshot() const;

    [[nodiscard]] std::int64_t secondOf(Clock::time_point t) const;
    [[nodiscard]] std::int64_t openSecond() const { return m_openSecond; }
    /// Requests dropped because their second had already closed (or was before the start).
    [[nodiscard]] std::uint64_t lateRequests() const { return m_late; }
    /// Bytes held: closed seconds, the open second's histograms, keys (approximate for strings).
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    struct Open {
        std::uint32_t key = 0;
        StatusClassCounts classes{};
        LatencyHistogram latency;
    };

    [[nodiscard]] std::uint32_t keyId(const TimeSeriesKeyView& key);
    void closeOpenSecond();
    [[nodiscard]] SecondBucketPtr build() const;

    const Clock::time_point m_start;
    const Options m_options;
    std::int64_t m_openSecond = 0;
    std::deque<SecondBucketPtr> m_closed;  ///< the seconds before the open one, oldest first
    std::vector<Open> m_open;              ///< keys with traffic in the open second
    std::vector<std::int32_t> m_openSlot;  ///< per key: index in m_open, or -1
    std::vector<LatencyHistogram> m_spare; ///< cleared histograms for the next second's keys
    std::vector<TimeSeriesKey> m_keys;
    std::unordered_map<TimeSeriesKey, std::uint32_t, TimeSeriesKeyHash, TimeSeriesKeyEqual> m_keyIndex;
    mutable std::shared_ptr<const std::vector<TimeSeriesKey>>
        m_publishedKeys; ///< m_keys as snapshots share it
    std::uint32_t m_overflowKey = UINT32_MAX;
    std::uint64_t m_late = 0;
};

} // namespace sluice::metrics
