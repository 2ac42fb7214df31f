// SPDX-License-Identifier: Apache-2.0
#include "latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sluice::metrics {
namespace {

constexpr std::uint64_t kSub = std::uint64_t{1} << LatencyHistogram::kSubBucketBits; // 32
constexpr std::uint64_t kLinear = 2 * kSub; // below this every microsecond has its own bucket

} // namespace

LatencyHistogram::LatencyHistogram(const LatencyHistogram& other)
    : m_counts(other.m_counts ? std::make_unique<Counts>(*other.m_counts) : nullptr)
    , m_count(other.m_count)
    , m_sum(other.m_sum)
    , m_min(other.m_min)
    , m_max(other.m_max) {}

LatencyHistogram& LatencyHistogram::operator=(const LatencyHistogram& other) {
    if (this != &other) {
        LatencyHistogram copy(other);
        *this = std::move(copy);
    }
    return *this;
}

std::size_t LatencyHistogram::bucketOf(std::uint64_t micros) {
    micros = std::min(micros, kMaxMicros);
    if (micros < kLinear)
        return static_cast<std::size_t>(micros);
    // The top kSubBucketBits+1 bits select the bucket: the octave by the highest bit, then 32 steps.
    const unsigned msb = 63u - static_cast<unsigned>(std::countl_zero(micros));
    const unsigned shift = msb - kSubBucketBits;
    return static_cast<std::size_t>((shift + 1) * kSub + (micros >> shift) - kSub);
}

std::uint64_t LatencyHistogram::bucketLow(std::size_t bucket) {
    if (bucket < kLinear)
        return bucket;
    const std::uint64_t shift = bucket / kSub - 1;
    return (bucket % kSub + kSub) << shift;
}

std::uint64_t LatencyHistogram::bucketHigh(std::size_t bucket) {
    if (bucket < kLinear)
        return bucket;
    const std::uint64_t shift = bucket / kSub - 1;
    return bucketLow(bucket) + (std::uint64_t{1} << shift) - 1;
}

void LatencyHistogram::record(std::uint64_t micros) {
    micros = std::min(micros, kMaxMicros);
    if (!m_counts)
        m_counts = std::make_unique<Counts>();
    ++(*m_counts)[bucketOf(micros)];
    ++m_count;
    m_sum += micros;
    m_min = std::min(m_min, micros);
    m_max = std::max(m_max, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (!other.m_count)
        return;
    if (!m_counts)
        m_counts = std::make_unique<Counts>();
    for (std::size_t i = 0; i < kBuckets; ++i)
        (*m_counts)[i] += (*other.m_counts)[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
    m_min = std::min(m_min, other.m_min);
    m_max = std::max(m_max, other.m_max);
}

void LatencyHistogram::clear() {
    if (m_counts)
        m_counts->fill(0);
    m_count = m_sum = m_max = 0;
    m_min = ~std::uint64_t{0};
}

double LatencyHistogram::mean() const {
    return m_count ? static_cast<double>(m_sum) / static_cast<double>(m_count) : 0.0;
}

std::uint64_t LatencyHistogram::quantile(double q) const {
    if (!m_count)
        return 0;
    q = std::clamp(q, 0.0, 1.0);
    const auto rank =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(m_count))));
    if (rank >= m_count)
        return m_max; // the largest sample is known exactly
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
        seen += (*m_counts)[i];
        if (seen >= rank) {
            const std::uint64_t mid = bucketLow(i) + (bucketHigh(i) - bucketLow(i)) / 2;
            return std::clamp(mid, min(), m_max);
        }
    }
    return m_max;
}

std::uint64_t LatencyHistogram::countAtOrBelow(std::uint64_t micros) const {
    if (!m_count)
        return 0;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < kBuckets && bucketHigh(i) <= micros; ++i)
        total += (*m_counts)[i];
    return total;
}

} // namespace sluice::metrics
