// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "latency_histogram.h"
#include "series_key.h"

#include <array>
#include <cassert>
#include <cstdint>

namespace sluice::metrics {

/// Envoy's default histogram bucket bounds (Istio keeps them): milliseconds for durations, bytes
/// for sizes.
inline constexpr std::array<double, 19> kEnvoyDefaultBuckets{
    0.5,  1,    5,     10,    25,    50,     100,    250,     500,    1000,
    2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000};

/// Sizes in bytes counted on Envoy's default buckets: exact per-bucket counts in 176 bytes (what
/// istio_request_bytes / istio_response_bytes export; no quantiles needed).
struct SizeHistogram {
    std::array<std::uint64_t, kEnvoyDefaultBuckets.size() + 1> counts{}; ///< the last: above every bound
    std::uint64_t count = 0;
    std::uint64_t sum = 0;

    void record(std::uint64_t bytes) {
        std::size_t i = 0;
        while (i < kEnvoyDefaultBuckets.size() && static_cast<double>(bytes) > kEnvoyDefaultBuckets[i])
            ++i;
        ++counts[i];
        ++count;
        sum += bytes;
    }
    void merge(const SizeHistogram& other) {
        for (std::size_t i = 0; i < counts.size(); ++i)
            counts[i] += other.counts[i];
        count += other.count;
        sum += other.sum;
    }
    /// Samples at or below bound `index` of kEnvoyDefaultBuckets (cumulative, as Prometheus wants).
    [[nodiscard]] std::uint64_t cumulative(std::size_t index) const {
        std::uint64_t n = 0;
        for (std::size_t i = 0; i <= index && i < counts.size(); ++i)
            n += counts[i];
        return n;
    }
};

/// What is counted for one series: requests, bytes, and the distributions Istio exports
/// (duration; request and response sizes) plus the upstream's share of the duration.
/// Duration histograms hold microseconds, at the compact precision (memory per series matters
/// in the proxy: 1,000 routes must fit in 30 MB).
struct SeriesCounters {
    std::uint64_t requests = 0;
    std::uint64_t bytesReceived = 0;
    std::uint64_t bytesSent = 0;
    LatencyHistogram duration;
    LatencyHistogram upstream; ///< only requests an upstream answered
    SizeHistogram requestBytes;
    SizeHistogram responseBytes;

    /// A few increments and histogram inserts; allocates only on a histogram's first sample.
    void add(const RequestSample& sample) {
        ++requests;
        bytesReceived += sample.bytesReceived;
        bytesSent += sample.bytesSent;
        duration.record(sample.durationMicros);
        if (sample.upstreamMicros >= 0)
            upstream.record(static_cast<std::uint64_t>(sample.upstreamMicros));
        requestBytes.record(sample.bytesReceived);
        responseBytes.record(sample.bytesSent);
    }

    void merge(const SeriesCounters& other) {
        requests += other.requests;
        bytesReceived += other.bytesReceived;
        bytesSent += other.bytesSent;
        // Every shard and collector histogram has the compact precision: merging cannot refuse.
        [[maybe_unused]] const bool merged = duration.merge(other.duration) && upstream.merge(other.upstream);
        assert(merged);
        requestBytes.merge(other.requestBytes);
        responseBytes.merge(other.responseBytes);
    }

    /// Back to zero. A series that counted requests keeps its histograms' memory for the next
    /// interval; an idle one gives it back (memory follows the series in use, not all ever seen).
    void clear() {
        if (requests == 0) {
            if (duration.count() == 0 && upstream.count() == 0) {
                duration = LatencyHistogram();
                upstream = LatencyHistogram();
            }
            return;
        }
        requests = bytesReceived = bytesSent = 0;
        duration.clear();
        upstream.clear();
        requestBytes = {};
        responseBytes = {};
    }
};

/// Upstream attempts to one endpoint (each retry is an attempt, as Envoy counts per host).
/// `started - finished` attempts are in flight.
struct EndpointCounters {
    std::uint64_t started = 0;
    std::uint64_t success = 0; ///< answered with a status below 500
    std::uint64_t error = 0;   ///< 5xx, connect failure, reset or timeout

    void merge(const EndpointCounters& other) {
        started += other.started;
        success += other.success;
        error += other.error;
    }
    void clear() { started = success = error = 0; }
    [[nodiscard]] bool empty() const { return started == 0 && success == 0 && error == 0; }
};

} // namespace sluice::metrics
