// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace sluice::metrics {

/// The layout of a LatencyHistogram: HdrHistogram's, with a lowest discernible value of 1 µs
/// (unit magnitude 0). Values below 2^(subBucketHalfBits + 1) each have a bucket of their own;
/// above, every power of two [2^k, 2^(k+1)) is cut into 2^subBucketHalfBits equal buckets, so a
/// bucket is never wider than 2^-subBucketHalfBits of the values it holds.
///
/// subBucketHalfBits is HdrHistogram's subBucketHalfCountMagnitude: 3 significant digits give
/// 2 * 10^3 = 2000 values of unit resolution, rounded up to 2048 sub-buckets (1024 per half), so
/// subBucketHalfBits = 10 and a bucket is at most 1/1024 (< 0.1 %) of its value wide.
///
/// Values above highestTrackable are recorded as highestTrackable and counted (see
/// LatencyHistogram::clamped()). The counts array holds index(highestTrackable) + 1 entries
/// (HdrHistogram allocates whole buckets up to the next power of two; the tail past the
/// highest trackable value is never used, so it is not allocated here).
struct HistogramPrecision {
    std::uint8_t subBucketHalfBits = 5;
    std::uint64_t highestTrackable = (std::uint64_t{1} << 32) - 1;

    /// The proxy's per-series histograms: 64 sub-buckets (32 per half; a bucket is at most 1/32,
    /// 3.1 %, of its value wide; exact below 64 µs), 1 µs to 2^32 - 1 µs (71 minutes): 7,168
    /// bytes of counts.
    [[nodiscard]] static constexpr HistogramPrecision compact() { return {5, (std::uint64_t{1} << 32) - 1}; }
    /// HdrHistogram with 3 significant digits from 1 µs to 60 s (load, replay, simulate): 2048
    /// sub-buckets (bucket width at most 1/1024 of its value; exact below 2,048 µs): 137,536
    /// bytes of counts.
    [[nodiscard]] static constexpr HistogramPrecision threeDigits() {
        return significantDigits(3, 60'000'000);
    }

    /// HdrHistogram's construction for `digits` (0..5, clamped) significant decimal digits:
    /// subBucketCount = 2^ceil(log2(2 * 10^digits)), half of it per half-range.
    /// `highestTrackable` is clamped to [2, 2^62].
    [[nodiscard]] static constexpr HistogramPrecision significantDigits(int digits,
                                                                        std::uint64_t highestTrackable) {
        std::uint64_t largestWithUnitResolution = 2;
        for (int i = 0; i < std::clamp(digits, 0, 5); ++i)
            largestWithUnitResolution *= 10;
        const auto countMagnitude = static_cast<unsigned>(std::bit_width(largestWithUnitResolution - 1));
        return {static_cast<std::uint8_t>(std::max(countMagnitude, 1u) - 1),
                std::clamp<std::uint64_t>(highestTrackable, 2, std::uint64_t{1} << 62)};
    }

    /// Within what the layout supports: at most 17 sub-bucket bits (HdrHistogram's 5 digits),
    /// highestTrackable in [2, 2^62]. LatencyHistogram normalizes the precision it is given.
    [[nodiscard]] constexpr HistogramPrecision normalized() const {
        return {std::min<std::uint8_t>(subBucketHalfBits, 17),
                std::clamp<std::uint64_t>(highestTrackable, 2, std::uint64_t{1} << 62)};
    }

    /// The bucket of `value` (which must be at most highestTrackable).
    [[nodiscard]] constexpr std::size_t index(std::uint64_t value) const {
        const unsigned half = subBucketHalfBits;
        if (value < (std::uint64_t{2} << half))
            return static_cast<std::size_t>(value);
        const unsigned shift = 63u - static_cast<unsigned>(std::countl_zero(value)) - half;
        return static_cast<std::size_t>((std::uint64_t{shift + 1} << half) + (value >> shift) -
                                        (std::uint64_t{1} << half));
    }
    /// HdrHistogram's lowestEquivalentValue: the smallest value bucket `i` holds.
    [[nodiscard]] constexpr std::uint64_t lowest(std::size_t i) const {
        const unsigned half = subBucketHalfBits;
        if (i < (std::size_t{1} << half))
            return i;
        const std::uint64_t sub = (i & ((std::size_t{1} << half) - 1)) + (std::size_t{1} << half);
        return sub << ((i >> half) - 1);
    }
    /// HdrHistogram's highestEquivalentValue: the largest value bucket `i` holds.
    [[nodiscard]] constexpr std::uint64_t highest(std::size_t i) const {
        const std::size_t bucket = i >> subBucketHalfBits;
        return lowest(i) + (bucket > 1 ? (std::uint64_t{1} << (bucket - 1)) : 1) - 1;
    }
    /// Length of the counts array.
    [[nodiscard]] constexpr std::size_t countsLength() const { return index(highestTrackable) + 1; }
    /// Memory of the counts array (allocated on a histogram's first sample).
    [[nodiscard]] constexpr std::size_t countsBytes() const { return countsLength() * sizeof(std::uint64_t); }

    bool operator==(const HistogramPrecision&) const = default;
};

} // namespace sluice::metrics
