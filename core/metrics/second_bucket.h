// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "latency_histogram.h"
#include "time_series_key.h"

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace sluice::metrics {

/// What one second of traffic held, per time-series key that saw requests in it: status-class
/// counts and a sparse copy of the latencies (the non-empty buckets of a histogram of the
/// series' precision, plus its exact count, sum, min and max). Built once by
/// RollingTimeSeries, then shared read-only by every TimeSeriesSnapshot.
///
/// Memory: 80 bytes per key that saw traffic in the second, plus 8 bytes per distinct latency
/// bucket it hit (a key serving 1,000 log-normal requests a second hits about 175 compact
/// buckets: ~1.5 KB a second, ~1.4 MB for 15 minutes). Idle keys cost nothing.
class SecondBucket {
public:
    struct Entry {
        std::uint32_t key = 0; ///< index into the snapshot's keys()
        std::uint32_t firstCell = 0;
        std::uint32_t cellCount = 0;
        std::array<std::uint32_t, kStatusClasses> classes{}; ///< saturating at 2^32 - 1
        HistogramTotals latency;

        [[nodiscard]] std::uint64_t requests() const;
        [[nodiscard]] StatusClassCounts statusClasses() const;
    };

    explicit SecondBucket(HistogramPrecision precision)
        : m_precision(precision) {}

    /// Appends one key's second (keys are added at most once per bucket). `latency` must have
    /// this bucket's precision.
    void add(std::uint32_t key, const StatusClassCounts& classes, const LatencyHistogram& latency);

    [[nodiscard]] const std::vector<Entry>& entries() const { return m_entries; }
    [[nodiscard]] std::span<const HistogramCell> cells(const Entry& e) const {
        return std::span<const HistogramCell>(m_cells).subspan(e.firstCell, e.cellCount);
    }
    [[nodiscard]] const HistogramPrecision& precision() const { return m_precision; }
    /// Adds entry `e`'s latencies to `into` (false when `into` is finer than this bucket).
    [[nodiscard]] bool mergeLatency(const Entry& e, LatencyHistogram& into) const {
        return into.merge(cells(e), e.latency, m_precision);
    }
    [[nodiscard]] std::size_t memoryBytes() const {
        return sizeof(*this) + m_entries.capacity() * sizeof(Entry) +
               m_cells.capacity() * sizeof(HistogramCell);
    }
    /// Gives back spare capacity once the bucket is complete.
    void shrink();

private:
    HistogramPrecision m_precision;
    std::vector<Entry> m_entries;
    std::vector<HistogramCell> m_cells;
};

using SecondBucketPtr = std::shared_ptr<const SecondBucket>;

} // namespace sluice::metrics
