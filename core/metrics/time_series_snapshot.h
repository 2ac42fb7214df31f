// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "latency_histogram.h"
#include "second_bucket.h"
#include "time_series_key.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace sluice::metrics {

/// One second of the selected keys, summed. Latencies in µs.
struct TimeSeriesPoint {
    std::int64_t second = 0; ///< since the series' start
    StatusClassCounts classes{};
    std::uint64_t requests = 0;
    std::uint64_t errors = 0; ///< isError(): no response, or 5xx
    std::uint64_t p50 = 0;
    std::uint64_t p90 = 0;
    std::uint64_t p99 = 0;
    std::uint64_t p999 = 0;
    std::uint64_t max = 0;
    double mean = 0;
    bool partial = false; ///< the second was still open when the snapshot was taken

    /// Sets the latency fields (p50 .. mean) from the second's histogram.
    void setLatency(const LatencyHistogram& latency);
};

/// The selected keys over a window of seconds, summed; the latency histogram has the series'
/// precision.
struct TimeSeriesWindow {
    std::int64_t firstSecond = 0;
    std::int64_t lastSecond = -1; ///< inclusive; lastSecond < firstSecond: empty window
    StatusClassCounts classes{};
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    LatencyHistogram latency;

    [[nodiscard]] std::int64_t seconds() const {
        return lastSecond >= firstSecond ? lastSecond - firstSecond + 1 : 0;
    }
    /// Requests per second over the window's seconds.
    [[nodiscard]] double rate() const {
        return seconds() > 0 ? static_cast<double>(requests) / static_cast<double>(seconds()) : 0.0;
    }
};

/// The rolling time series as of one moment: immutable, cheap to copy around (the seconds are
/// shared with the series and with other snapshots), safe to read from any thread.
/// Seconds are numbered from the series' start; the snapshot holds [firstSecond(),
/// lastSecond()], the last possibly still open (partial).
class TimeSeriesSnapshot {
public:
    using Clock = std::chrono::steady_clock;

    TimeSeriesSnapshot(std::shared_ptr<const std::vector<TimeSeriesKey>> keys,
                       std::vector<SecondBucketPtr> seconds, std::int64_t firstSecond, bool lastIsPartial,
                       Clock::time_point start, HistogramPrecision precision);

    [[nodiscard]] const std::vector<TimeSeriesKey>& keys() const { return *m_keys; }
    [[nodiscard]] std::int64_t firstSecond() const { return m_firstSecond; }
    [[nodiscard]] std::int64_t lastSecond() const {
        return m_firstSecond + static_cast<std::int64_t>(m_seconds.size()) - 1;
    }
    [[nodiscard]] bool lastIsPartial() const { return m_lastIsPartial; }
    [[nodiscard]] Clock::time_point start() const { return m_start; }
    [[nodiscard]] const HistogramPrecision& precision() const { return m_precision; }
    /// The bucket of `second`; null when it is outside the snapshot or saw no request.
    [[nodiscard]] const SecondBucket* bucket(std::int64_t second) const;

    /// One point per second for the last `lastSeconds` seconds (the open one included), oldest
    /// first; seconds without traffic are points of zero.
    [[nodiscard]] std::vector<TimeSeriesPoint> points(std::size_t lastSeconds,
                                                      const TimeSeriesFilter& filter = {}) const;
    /// The last `lastSeconds` complete seconds (the open one left out, so rates are per whole
    /// second), summed.
    [[nodiscard]] TimeSeriesWindow window(std::size_t lastSeconds, const TimeSeriesFilter& filter = {}) const;
    /// Every key seen, with its requests over the last `lastSeconds` complete seconds.
    [[nodiscard]] std::vector<std::pair<const TimeSeriesKey*, std::uint64_t>>
    keyTotals(std::size_t lastSeconds) const;

private:
    /// Adds the entries of `b` matching `filter` to classes and `latency`.
    void sum(const SecondBucket& b, const std::vector<bool>& selected, StatusClassCounts& classes,
             LatencyHistogram& latency) const;
    [[nodiscard]] std::vector<bool> select(const TimeSeriesFilter& filter) const;

    std::shared_ptr<const std::vector<TimeSeriesKey>> m_keys;
    std::vector<SecondBucketPtr> m_seconds; ///< oldest first; null: no traffic that second
    std::int64_t m_firstSecond = 0;
    bool m_lastIsPartial = false;
    Clock::time_point m_start;
    HistogramPrecision m_precision;
};

using TimeSeriesSnapshotPtr = std::shared_ptr<const TimeSeriesSnapshot>;

} // namespace sluice::metrics
