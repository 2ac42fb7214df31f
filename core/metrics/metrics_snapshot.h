// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "latency_histogram.h"
#include "series_counters.h"
#include "series_key.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::metrics {

using HistogramPtr = std::shared_ptr<const LatencyHistogram>;

/// One series in a snapshot: totals since the collector started, and what the last interval
/// added. Histograms are shared with the previous snapshot when the series saw no request since,
/// the key with every snapshot (a collection copies no label).
struct SeriesStats {
    std::shared_ptr<const SeriesKey> key; ///< never null
    std::uint64_t requests = 0;
    std::uint64_t bytesReceived = 0;
    std::uint64_t bytesSent = 0;
    HistogramPtr duration; ///< µs, never null
    HistogramPtr upstream; ///< µs to the upstream's response head, never null
    SizeHistogram requestBytes;
    SizeHistogram responseBytes;
    std::uint64_t intervalRequests = 0;
    HistogramPtr intervalDuration; ///< µs of the last interval's requests; null when there were none
};

/// Upstream attempts per endpoint (retries count, as Envoy's per-host stats do).
struct EndpointStats {
    EndpointKey key;
    std::uint64_t active = 0; ///< attempts in flight
    std::uint64_t success = 0;
    std::uint64_t error = 0;
};

/// What the proxy did, as of one collection: immutable, shared by every reader (Studio, CLI,
/// admin endpoint). Rates are per second over `interval`.
struct MetricsSnapshot {
    std::uint64_t sequence = 0; ///< 1 for the first collection, then +1 each
    std::chrono::steady_clock::time_point at;
    std::chrono::nanoseconds interval{0}; ///< since the previous collection
    std::vector<SeriesStats> series;
    std::vector<EndpointStats> endpoints;

    [[nodiscard]] std::uint64_t totalRequests() const;
    [[nodiscard]] std::uint64_t intervalRequests() const;
    /// Requests per second over the last interval (0 for the first snapshot or an empty interval).
    [[nodiscard]] double requestsPerSecond() const { return rate(intervalRequests()); }
    [[nodiscard]] double rate(std::uint64_t count) const;
    /// Every request's duration merged (µs), e.g. for an overall p99.
    [[nodiscard]] LatencyHistogram mergedDuration() const;
};

using MetricsSnapshotPtr = std::shared_ptr<const MetricsSnapshot>;

} // namespace sluice::metrics
