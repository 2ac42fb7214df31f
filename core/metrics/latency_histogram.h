// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "histogram_precision.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace sluice::metrics {

/// One non-empty bucket of a sparse copy of a histogram (LatencyHistogram::appendCells()).
struct HistogramCell {
    std::uint32_t index = 0;
    std::uint32_t count = 0;
};

/// What a histogram knows beyond its bucket counts (exact, not bucketed).
struct HistogramTotals {
    std::uint64_t count = 0;
    std::uint64_t sum = 0;
    std::uint64_t min = ~std::uint64_t{0}; ///< ~0 when empty
    std::uint64_t max = 0;
    std::uint64_t clamped = 0;
};

/// Latencies in microseconds with HdrHistogram's layout (HistogramPrecision): the precision is a
/// property of each histogram, compact() for the proxy's per-series shards (the default),
/// threeDigits() for load, replay and simulate. Counts are allocated on the first sample, so an
/// idle series costs sizeof(LatencyHistogram) (72 bytes) and a used one adds
/// precision().countsBytes() (7,168 compact, 137,536 three digits). A copy holds only the buckets
/// from min to max (latencies cluster: often a tenth of the layout or less); recording outside
/// them first widens the copy to the whole layout.
///
/// Recording is a few instructions and never allocates after the first sample. Min, max, sum
/// (hence mean) are exact; quantiles follow HdrHistogram (valueAtPercentile()).
/// Merging is exact: a merged histogram holds what one that saw every sample would.
/// Not thread-safe: one writer; copy or merge under the owner's synchronisation.
class LatencyHistogram {
public:
    /// The compact precision (the proxy's).
    LatencyHistogram() = default;
    explicit LatencyHistogram(HistogramPrecision precision); ///< normalized()
    LatencyHistogram(const LatencyHistogram& other);
    LatencyHistogram& operator=(const LatencyHistogram& other);
    LatencyHistogram(LatencyHistogram&& other) noexcept; ///< leaves `other` empty, same precision
    LatencyHistogram& operator=(LatencyHistogram&& other) noexcept;
    ~LatencyHistogram() = default;

    /// Counts one sample. A value above precision().highestTrackable is recorded as that value
    /// and counted in clamped().
    void record(std::uint64_t micros) {
        if (micros > m_precision.highestTrackable) [[unlikely]] {
            micros = m_precision.highestTrackable;
            ++m_clamped;
        }
        ++counter(m_precision.index(micros));
        ++m_count;
        m_sum += micros;
        m_min = std::min(m_min, micros);
        m_max = std::max(m_max, micros);
    }

    /// Adds `other`'s samples. Defined when `other` is as fine as this histogram or finer (at
    /// least as many sub-bucket bits): each of its buckets lies inside one of ours, so the result
    /// is exactly what this histogram would hold had it recorded every sample (values above our
    /// highest trackable value are clamped and counted as record() does). Refused, returning
    /// false and changing nothing, when `other` is coarser: its buckets cannot be split without
    /// inventing values. Convert this histogram down first (convertedTo()) to combine them.
    [[nodiscard]] bool merge(const LatencyHistogram& other);
    /// Adds a sparse copy (appendCells() + totals()) of a histogram of precision `of`; the same
    /// rules as merge().
    [[nodiscard]] bool merge(std::span<const HistogramCell> cells, const HistogramTotals& totals,
                             const HistogramPrecision& of);
    /// This histogram at `coarser` precision (exact, as merge()); nullopt when `coarser` is finer.
    [[nodiscard]] std::optional<LatencyHistogram> convertedTo(const HistogramPrecision& coarser) const;
    /// Back to empty; keeps the counts' memory.
    void clear();

    [[nodiscard]] const HistogramPrecision& precision() const { return m_precision; }
    [[nodiscard]] std::uint64_t count() const { return m_count; }
    [[nodiscard]] std::uint64_t min() const { return m_count ? m_min : 0; } ///< exact
    [[nodiscard]] std::uint64_t max() const { return m_max; }               ///< exact
    [[nodiscard]] std::uint64_t sum() const { return m_sum; } ///< of every sample, after clamping
    [[nodiscard]] double mean() const;                        ///< exact: sum / count
    /// Samples that were above the highest trackable value (recorded as it).
    [[nodiscard]] std::uint64_t clamped() const { return m_clamped; }
    [[nodiscard]] HistogramTotals totals() const { return {m_count, m_sum, m_min, m_max, m_clamped}; }

    /// HdrHistogram's getValueAtPercentile(): with N samples, the rank is
    /// ceil(nextafter(percentile, -inf) / 100 * N) (at least 1); the answer is the highest value
    /// equivalent to the bucket holding that rank (the lowest for percentile 0). One difference:
    /// HdrHistogram reports max as highestEquivalentValue(max); we keep the exact max and lower
    /// an answer above it to it (and raise one below the exact min to it), which only moves it
    /// toward the true sample value, so p99.9 never exceeds max. 0 when empty.
    [[nodiscard]] std::uint64_t valueAtPercentile(double percentile) const;
    /// valueAtPercentile(q * 100) for q in 0..1.
    [[nodiscard]] std::uint64_t quantile(double q) const { return valueAtPercentile(q * 100.0); }
    /// Samples in buckets whose highest value is at or below `micros`.
    [[nodiscard]] std::uint64_t countAtOrBelow(std::uint64_t micros) const;

    /// Buckets, for inspection and sparse copies.
    [[nodiscard]] std::size_t bucketCount() const { return m_precision.countsLength(); }
    [[nodiscard]] std::uint64_t countAt(std::size_t bucket) const {
        return bucket - m_first < m_length ? m_counts[bucket - m_first] : 0; // wraps below m_first
    }
    /// Appends the non-empty buckets to `out` in index order (a count above 2^32 - 1 spans
    /// several cells with the same index).
    void appendCells(std::vector<HistogramCell>& out) const;
    /// Bytes this histogram occupies (object + counts when allocated).
    [[nodiscard]] std::size_t memoryBytes() const {
        return sizeof(*this) + std::size_t{m_length} * sizeof(std::uint64_t);
    }

private:
    // Every sample lies between min and max, so buckets outside [index(min), index(max)] are zero
    // and the stored window always covers that range. Merging, clearing, copying and quantiles
    // visit only it: latencies cluster, so the collector's merges every 100 ms and a three-digit
    // histogram's quantiles (17,000 buckets) scan a few hundred. Meaningful when count() > 0.
    [[nodiscard]] std::size_t firstUsed() const { return m_precision.index(m_min); }
    [[nodiscard]] std::size_t lastUsed() const { return m_precision.index(m_max); }

    /// The count of `bucket`, widening the stored window to the whole layout first if it lies
    /// outside (allocating on the first sample).
    std::uint64_t& counter(std::size_t bucket) {
        if (bucket - m_first >= m_length) [[unlikely]]
            widen();
        return m_counts[bucket - m_first];
    }
    /// Stored count of a bucket known to lie inside the window.
    [[nodiscard]] std::uint64_t stored(std::size_t bucket) const { return m_counts[bucket - m_first]; }
    void widen();
    /// Adds `count` samples of the bucket whose lowest value is `low` in a histogram of a precision
    /// at least as fine; returns the bucket it went to.
    std::size_t addConverted(std::uint64_t low, std::uint64_t count);
    void addTotals(const HistogramTotals& totals);

    std::unique_ptr<std::uint64_t[]> m_counts; ///< buckets m_first .. m_first + m_length - 1, or null
    std::uint32_t m_first = 0;
    std::uint32_t m_length = 0;
    std::uint64_t m_count = 0;
    std::uint64_t m_sum = 0;
    std::uint64_t m_min = ~std::uint64_t{0};
    std::uint64_t m_max = 0;
    std::uint64_t m_clamped = 0;
    HistogramPrecision m_precision = HistogramPrecision::compact();
};

} // namespace sluice::metrics
