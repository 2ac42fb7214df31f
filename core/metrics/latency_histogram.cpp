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
    if (other.m_counts) {
        allocate();
        std::copy_n(other.m_counts.get(), bucketCount(), m_counts.get());
    }
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
    , m_count(std::exchange(other.m_count, 0))
    , m_sum(std::exchange(other.m_sum, 0))
    , m_min(std::exchange(other.m_min, ~std::uint64_t{0}))
    , m_max(std::exchange(other.m_max, 0))
    , m_clamped(std::exchange(other.m_clamped, 0))
    , m_precision(other.m_precision) {}

LatencyHistogram& LatencyHistogram::operator=(LatencyHistogram&& other) noexcept {
    if (this != &other) {
        m_counts = std::move(other.m_counts);
        m_count = std::exchange(other.m_count, 0);
        m_sum = std::exchange(other.m_sum, 0);
        m_min = std::exchange(other.m_min, ~std::uint64_t{0});
        m_max = std::exchange(other.m_max, 0);
        m_clamped = std::exchange(other.m_clamped, 0);
        m_precision = other.m_precision;
    }
    return *this;
}

void LatencyHistogram::allocate() {
    m_counts = std::make_unique<std::uint64_t[]>(bucketCount()); // zeroed
}

void LatencyHistogram::addConverted(std::uint64_t low, std::uint64_t count) {
    if (low > m_precision.highestTrackable) {
        low = m_precision.highestTrackable;
        m_clamped += count;
    }
    m_counts[m_precision.index(low)] += count;
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
    if (!m_counts)
        allocate();
    const std::size_t n = other.bucketCount();
    if (other.m_precision == m_precision) {
        for (std::size_t i = 0; i < n; ++i)
            m_counts[i] += other.m_counts[i];
    } else {
        for (std::size_t i = 0; i < n; ++i)
            if (other.m_counts[i])
                addConverted(other.m_precision.lowest(i), other.m_counts[i]);
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
    if (!m_counts)
        allocate();
    const std::size_t n = of.countsLength();
    for (const HistogramCell& cell : cells)
        if (cell.index < n)
            addConverted(of.lowest(cell.index), cell.count);
    addTotals(totals);
    return true;
}

std::optional<LatencyHistogram> LatencyHistogram::convertedTo(const HistogramPrecision& coarser) const {
    LatencyHistogram result(coarser);
    if (!result.merge(*this))
        return std::nullopt;
    return result;
}

void LatencyHistogram::clear() {
    if (m_counts)
        std::fill_n(m_counts.get(), bucketCount(), 0);
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
    const std::size_t n = bucketCount();
    for (std::size_t i = 0; i < n; ++i) {
        seen += m_counts[i];
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
    const std::size_t n = bucketCount();
    for (std::size_t i = 0; i < n && m_precision.highest(i) <= micros; ++i)
        total += m_counts[i];
    return total;
}

void LatencyHistogram::appendCells(std::vector<HistogramCell>& out) const {
    if (!m_count)
        return;
    const std::size_t n = bucketCount();
    for (std::size_t i = 0; i < n; ++i) {
        for (std::uint64_t left = m_counts[i]; left > 0;) {
            const auto part = static_cast<std::uint32_t>(std::min<std::uint64_t>(left, UINT32_MAX));
            out.push_back({static_cast<std::uint32_t>(i), part});
            left -= part;
        }
    }
}

} // namespace sluice::metrics
