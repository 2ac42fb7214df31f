// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <memory>

namespace sluice::metrics {

/// Latencies in microseconds, log-linear buckets (32 per power of two: a quantile is within 1.6 %
/// of the exact value; exact below 64 µs) up to about 71 minutes. Recording is a few
/// instructions and never allocates after the first sample; shards (one per worker) merge by
/// adding counts, so a merged histogram answers exactly as one that saw every sample.
/// Not thread-safe: one writer, merge copies under the owner's synchronisation.
class LatencyHistogram {
public:
    static constexpr unsigned kSubBucketBits = 5;
    static constexpr std::uint64_t kMaxMicros = (std::uint64_t{1} << 32) - 1;

    LatencyHistogram() = default;
    LatencyHistogram(const LatencyHistogram& other);
    LatencyHistogram& operator=(const LatencyHistogram& other);
    LatencyHistogram(LatencyHistogram&&) noexcept = default;
    LatencyHistogram& operator=(LatencyHistogram&&) noexcept = default;
    ~LatencyHistogram() = default;

    /// Values above kMaxMicros count as kMaxMicros.
    void record(std::uint64_t micros);
    void merge(const LatencyHistogram& other);
    void clear();

    [[nodiscard]] std::uint64_t count() const { return m_count; }
    [[nodiscard]] std::uint64_t min() const { return m_count ? m_min : 0; }
    [[nodiscard]] std::uint64_t max() const { return m_max; }
    [[nodiscard]] double mean() const;
    /// The sum of every sample (after clamping to kMaxMicros).
    [[nodiscard]] std::uint64_t sum() const { return m_sum; }
    /// The value below which a fraction q (0..1) of samples lie: the midpoint of the bucket holding
    /// the ceil(q * count)-th sample, clamped to [min, max]; the exact max for q = 1. 0 when empty.
    [[nodiscard]] std::uint64_t quantile(double q) const;
    /// How many samples are at or below `micros` (bucket precision: a bucket counts when its upper
    /// bound is at or below `micros`).
    [[nodiscard]] std::uint64_t countAtOrBelow(std::uint64_t micros) const;

    [[nodiscard]] static std::size_t bucketOf(std::uint64_t micros);
    [[nodiscard]] static std::uint64_t bucketLow(std::size_t bucket);
    [[nodiscard]] static std::uint64_t bucketHigh(std::size_t bucket); ///< inclusive

    static constexpr std::size_t kBuckets = (32 - kSubBucketBits + 1) * (std::size_t{1} << kSubBucketBits);

private:
    using Counts = std::array<std::uint64_t, kBuckets>;
    std::unique_ptr<Counts> m_counts; ///< allocated on the first sample: most shards stay empty
    std::uint64_t m_count = 0;
    std::uint64_t m_sum = 0;
    std::uint64_t m_min = ~std::uint64_t{0};
    std::uint64_t m_max = 0;
};

} // namespace sluice::metrics
