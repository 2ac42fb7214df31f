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
    LatencyHistogram all;
    for (const SeriesStats& s : series)
        all.merge(*s.duration);
    return all;
}

} // namespace sluice::metrics
