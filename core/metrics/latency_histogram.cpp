// SPDX-License-Identifier: Apache-2.0
#include "latency_histogram.h"

#include <cmath>
#include <limits>
#include <utility>

namespace sluice::metrics {

LatencyHistogram::LatencyHistogram(HistogramPrecision precision)
    : m_precision(precision.normalized()) {}

LatencyHistogram::LatencyHistogram(const LatencyHistogram& other)
    : m_count(other.m_count)
    , m_sum(other.m_sum)
    , m_min(other.m_min)
    , m_max(other.m_max)
    , m_clamped(other.m_clamped)
    , m_precision(other.m_precision) {
    if (!m_count)
        return;
    const std::size_t first = firstUsed();
    const std::size_t length = lastUsed() - first + 1;
    m_counts = std::make_unique_for_overwrite<std::uint64_t[]>(length);
    for (std::size_t i = 0; i < length; ++i)
        m_counts[i] = other.stored(first + i);
    m_first = static_cast<std::uint32_t>(first);
    m_length = static_cast<std::uint32_t>(length);
}

LatencyHistogram& LatencyHistogram::operator=(const LatencyHistogram& other) {
    if (this != &other) {
        LatencyHistogram copy(other);
        *this = std::move(copy);
    }
    return *this;
}

LatencyHistogram::LatencyHistogram(LatencyHistogram&& other) noexcept
    : m_counts(std::move(other.m_counts))
    , m_first(std::exchange(other.m_first, 0))
    , m_length(std::exchange(other.m_length, 0))
    , m_count(std::exchange(other.m_count, 0))
    , m_sum(std::exchange(other.m_sum, 0))
    , m_min(std::exchange(other.m_min, ~std::uint64_t{0}))
    , m_max(std::exchange(other.m_max, 0))
    , m_clamped(std::exchange(other.m_clamped, 0))
    , m_precision(other.m_precision) {}

LatencyHistogram& LatencyHistogram::operator=(LatencyHistogram&& other) noexcept {
    if (this != &other) {
        m_counts = std::move(other.m_counts);
        m_first = std::exchange(other.m_first, 0);
        m_length = std::exchange(other.m_length, 0);
        m_count = std::exchange(other.m_count, 0);
        m_sum = std::exchange(other.m_sum, 0);
        m_min = std::exchange(other.m_min, ~std::uint64_t{0});
        m_max = std::exchange(other.m_max, 0);
        m_clamped = std::exchange(other.m_clamped, 0);
        m_precision = other.m_precision;
    }
    return *this;
}

void LatencyHistogram::widen() {
    const std::size_t length = bucketCount();
    auto counts = std::make_unique<std::uint64_t[]>(length); // zeroed
    std::copy_n(m_counts.get(), m_length, counts.get() + m_first);
    m_counts = std::move(counts);
    m_first = 0;
    m_length = static_cast<std::uint32_t>(length);
}

std::size_t LatencyHistogram::addConverted(std::uint64_t low, std::uint64_t count) {
    if (low > m_precision.highestTrackable) {
        low = m_precision.highestTrackable;
        m_clamped += count;
    }
    const std::size_t i = m_precision.index(low);
    counter(i) += count;
    return i;
}

void LatencyHistogram::addTotals(const HistogramTotals& totals) {
    m_count += totals.count;
    m_sum += totals.sum;
    m_min = std::min(m_min, std::min(totals.min, m_precision.highestTrackable));
    m_max = std::max(m_max, std::min(totals.max, m_precision.highestTrackable));
    m_clamped += totals.clamped;
}

bool LatencyHistogram::merge(const LatencyHistogram& other) {
    if (other.m_precision.subBucketHalfBits < m_precision.subBucketHalfBits)
        return false;
    if (!other.m_count)
        return true;
    const std::size_t first = other.firstUsed();
    const std::size_t last = other.lastUsed();
    if (other.m_precision == m_precision) {
        if (first < m_first || last - m_first >= m_length)
            widen();
        for (std::size_t i = first; i <= last; ++i)
            m_counts[i - m_first] += other.stored(i);
    } else {
        for (std::size_t i = first; i <= last; ++i)
            if (const std::uint64_t n = other.stored(i))
                addConverted(other.m_precision.lowest(i), n);
    }
    addTotals(other.totals());
    return true;
}

bool LatencyHistogram::merge(std::span<const HistogramCell> cells, const HistogramTotals& totals,
                             const HistogramPrecision& of) {
    if (of.subBucketHalfBits < m_precision.subBucketHalfBits)
        return false;
    if (!totals.count)
        return true;
    const std::size_t n = of.countsLength();
    std::size_t first = SIZE_MAX;
    std::size_t last = 0;
    for (const HistogramCell& cell : cells) {
        if (cell.index >= n)
            continue;
        const std::size_t i = addConverted(of.lowest(cell.index), cell.count);
        first = std::min(first, i);
        last = std::max(last, i);
    }
    addTotals(totals);
    // Cells outside the buckets of min and max contradict the totals. Trust the cells, so that no
    // count lies outside [firstUsed(), lastUsed()] (merge(), clear() and the queries rely on it).
    if (first < firstUsed())
        m_min = m_precision.lowest(first);
    if (first <= last && last > lastUsed())
        m_max = std::min(m_precision.highest(last), m_precision.highestTrackable);
    // Totals that claim a min or max no cell holds: keep the window covering them anyway.
    if (firstUsed() < m_first || lastUsed() - m_first >= m_length)
        widen();
    return true;
}

std::optional<LatencyHistogram> LatencyHistogram::convertedTo(const HistogramPrecision& coarser) const {
    LatencyHistogram result(coarser);
    if (!result.merge(*this))
        return std::nullopt;
    return result;
}

void LatencyHistogram::clear() {
    if (m_count)
        std::fill(m_counts.get() + (firstUsed() - m_first), m_counts.get() + (lastUsed() - m_first) + 1, 0);
    m_count = m_sum = m_max = m_clamped = 0;
    m_min = ~std::uint64_t{0};
}

double LatencyHistogram::mean() const {
    return m_count ? static_cast<double>(m_sum) / static_cast<double>(m_count) : 0.0;
}

std::uint64_t LatencyHistogram::valueAtPercentile(double percentile) const {
    if (!m_count)
        return 0;
    if (!(percentile > 0.0)) // also NaN
        percentile = 0.0;
    // HdrHistogram: remove one ulp so that roundoff cannot push the rank into the next bucket,
    // then round the fractional count up.
    const double requested =
        std::clamp(std::nextafter(percentile, -std::numeric_limits<double>::infinity()), 0.0, 100.0);
    const double fractionalRank = requested * static_cast<double>(m_count) / 100.0;
    const std::uint64_t rank =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(fractionalRank)));
    std::uint64_t seen = 0;
    for (std::size_t i = firstUsed(), last = lastUsed(); i <= last; ++i) {
        seen += stored(i);
        if (seen >= rank) {
            const std::uint64_t v = percentile == 0.0 ? m_precision.lowest(i) : m_precision.highest(i);
            return std::clamp(v, min(), m_max);
        }
    }
    return m_max;
}

std::uint64_t LatencyHistogram::countAtOrBelow(std::uint64_t micros) const {
    if (!m_count)
        return 0;
    std::uint64_t total = 0;
    for (std::size_t i = firstUsed(), last = lastUsed(); i <= last && m_precision.highest(i) <= micros; ++i)
        total += stored(i);
    return total;
}

void LatencyHistogram::appendCells(std::vector<HistogramCell>& out) const {
    if (!m_count)
        return;
    for (std::size_t i = firstUsed(), last = lastUsed(); i <= last; ++i) {
        for (std::uint64_t left = stored(i); left > 0;) {
            const auto part = static_cast<std::uint32_t>(std::min<std::uint64_t>(left, UINT32_MAX));
            out.push_back({static_cast<std::uint32_t>(i), part});
            left -= part;
        }
    }
}

} // namespace sluice::metrics
