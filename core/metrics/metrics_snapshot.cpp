// SPDX-License-Identifier: Apache-2.0
#include "metrics_snapshot.h"

namespace sluice::metrics {

std::uint64_t MetricsSnapshot::totalRequests() const {
    std::uint64_t n = 0;
    for (const SeriesStats& s : series)
        n += s.requests;
    return n;
}

std::uint64_t MetricsSnapshot::intervalRequests() const {
    std::uint64_t n = 0;
    for (const SeriesStats& s : series)
        n += s.intervalRequests;
    return n;
}

double MetricsSnapshot::rate(std::uint64_t count) const {
    const double seconds = std::chrono::duration<double>(interval).count();
    return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

LatencyHistogram MetricsSnapshot::mergedDuration() const {
    // At the coarsest precision among the series (the proxy's are all compact), so every merge
    // is defined.
    HistogramPrecision coarsest = HistogramPrecision::compact();
    for (const SeriesStats& s : series)
        if (s.duration->precision().subBucketHalfBits < coarsest.subBucketHalfBits)
            coarsest = s.duration->precision();
    LatencyHistogram all(coarsest);
    for (const SeriesStats& s : series)
        static_cast<void>(all.merge(*s.duration)); // cannot refuse: `all` is the coarsest
    return all;
}

} // namespace sluice::metrics
