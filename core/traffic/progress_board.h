// SPDX-License-Identifier: Apache-2.0
#pragma once

// Per-second figures of a load run, from the workers to the thread that prints progress and
// keeps the time series. Workers hand over each second they have closed (counts and a latency
// histogram) once a second; the collector merges a second only when every worker is past it, so
// nothing arrives late.

#include "load_engine.h"
#include "metrics/latency_histogram.h"
#include "metrics/rolling_time_series.h"
#include "metrics/time_series_key.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <vector>

namespace sluice::traffic {

struct SecondSample {
    std::int64_t second = 0;
    metrics::StatusClassCounts classes{};
    metrics::LatencyHistogram latency{metrics::HistogramPrecision::threeDigits()};
};

/// Thread-safe hand-over (publish, markDone) and a single-threaded collector (collect, finish).
class ProgressBoard {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::int64_t kDone = std::numeric_limits<std::int64_t>::max();

    ProgressBoard(unsigned workers, Clock::time_point start, std::chrono::seconds keep);

    /// Worker `worker` hands over `sample` (may be null) and promises no more data for seconds up
    /// to `closedThrough`.
    void publish(unsigned worker, SecondSample* sample, std::int64_t closedThrough);
    void markDone(unsigned worker) { publish(worker, nullptr, kDone); }

    /// Collector: merges the seconds every worker is past; returns their summaries, oldest first.
    [[nodiscard]] std::vector<SecondSummary> collect();
    /// Collector: everything (the workers are done); the series with its last second closed.
    [[nodiscard]] metrics::TimeSeriesSnapshotPtr finish();
    [[nodiscard]] std::uint64_t collectedRequests() const { return m_collected; }

private:
    struct Accumulated {
        metrics::StatusClassCounts classes{};
        metrics::LatencyHistogram latency{metrics::HistogramPrecision::threeDigits()};
    };
    std::vector<SecondSummary> mergeThrough(std::int64_t through);

    const Clock::time_point m_start;
    std::mutex m_mutex;
    std::vector<SecondSample> m_pending;       ///< guarded
    std::vector<std::int64_t> m_closedThrough; ///< guarded; per worker
    // Collector only:
    std::map<std::int64_t, Accumulated> m_seconds;
    metrics::RollingTimeSeries m_series;
    std::int64_t m_lastMerged = -1;
    std::uint64_t m_collected = 0;
};

/// A worker's open second: counts requests into it and hands it over when time moves past it.
class SecondWindow {
public:
    using Clock = std::chrono::steady_clock;

    SecondWindow(ProgressBoard& board, unsigned worker, Clock::time_point start)
        : m_board(board)
        , m_worker(worker)
        , m_start(start) {}

    /// A request finished at `at` (non-decreasing between calls).
    void record(Clock::time_point at, int status, std::uint64_t latencyMicros) {
        const std::int64_t s = secondOf(at);
        if (s != m_open.second)
            advance(s);
        ++m_open.classes[static_cast<std::size_t>(metrics::statusClassOf(status))];
        m_open.latency.record(latencyMicros);
        m_has = true;
    }
    /// Time passed without requests: hands over the seconds before `now`'s.
    void tick(Clock::time_point now);
    /// Hands over what is left; the worker is done.
    void close();

private:
    [[nodiscard]] std::int64_t secondOf(Clock::time_point t) const {
        return t <= m_start ? 0 : std::chrono::duration_cast<std::chrono::seconds>(t - m_start).count();
    }
    void advance(std::int64_t second);

    ProgressBoard& m_board;
    unsigned m_worker;
    Clock::time_point m_start;
    SecondSample m_open;
    bool m_has = false;
};

} // namespace sluice::traffic
