// SPDX-License-Identifier: Apache-2.0
#include "traffic_report.h"

namespace sluice::metrics {
namespace {

double millis(std::uint64_t micros) {
    return static_cast<double>(micros) / 1000.0;
}

} // namespace

LatencySummary LatencySummary::of(const LatencyHistogram& micros) {
    LatencySummary s;
    s.count = micros.count();
    s.p50 = millis(micros.valueAtPercentile(50.0));
    s.p90 = millis(micros.valueAtPercentile(90.0));
    s.p99 = millis(micros.valueAtPercentile(99.0));
    s.p999 = millis(micros.valueAtPercentile(99.9));
    s.max = millis(micros.max());
    s.mean = micros.mean() / 1000.0;
    s.clamped = micros.clamped();
    return s;
}

} // namespace sluice::metrics
