// SPDX-License-Identifier: Apache-2.0
#pragma once

// The load generator: connections on worker threads (one event loop each, one coroutine per
// connection; Asio stays in the .cpp files) sending the requests a RequestSource renders,
// closed loop or open loop, and counting every answer.
//
// Latency is measured from each request's INTENDED send time. Open loop: request k is due at
// start + k / rate (or a Poisson arrival); a request due while every connection is busy waits for
// one, and its wait counts (no coordinated omission). Closed loop: intended = when it is sent.

#include "load_options.h"
#include "metrics/rolling_time_series.h"
#include "metrics/traffic_tally.h"
#include "request_source.h"
#include "workload_attribution.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::traffic {

/// One request as sent and answered (LoadOptions::keepResults).
struct RequestResult {
    std::uint64_t slot = 0;
    std::uint32_t sourceIndex = 0;   ///< profile template / recorded request
    int status = 0;                  ///< 0: no response
    std::int64_t intendedMicros = 0; ///< from the start
    std::int64_t sentMicros = 0;     ///< from the start: when its first byte was written
    std::uint64_t latencyMicros = 0; ///< from the intended time to the whole response
    std::string workload;            ///< x-sluice-workload of the answer; empty: none
    std::string error;               ///< why there is no response ("connection refused", "timeout")
};

/// One second of the run (progress lines): requests completed in it, errors, latency percentiles.
struct SecondSummary {
    std::int64_t second = 0;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::uint64_t p50 = 0; ///< µs
    std::uint64_t p99 = 0; ///< µs
};

/// What a finished (or stopped) run measured.
struct LoadRun {
    metrics::TrafficTally tally;
    double durationSeconds = 0;  ///< from the start to the last answer (or to the stop)
    bool interrupted = false;    ///< stop() was called
    std::uint64_t abandoned = 0; ///< requests in flight when the run was stopped, not counted
    std::uint64_t connectFailures = 0;
    std::string firstError;                ///< the first failure, in words; empty: none
    std::vector<RequestResult> results;    ///< keepResults: by slot
    metrics::TimeSeriesSnapshotPtr series; ///< one key (the whole run), 1 s buckets
    /// Every second of the run from its start to its last answer (the CSV rows), oldest first.
    std::vector<metrics::TimeSeriesPoint> seconds;
};

/// Drives one run. start() once; poll() from one thread (the CLI's) while it runs; finish() once.
class LoadEngine {
public:
    /// `attribution`: maps workload names to destinations (null: a name is its own destination).
    LoadEngine(LoadOptions options, std::shared_ptr<const RequestSourceFactory> sources,
               std::shared_ptr<const WorkloadAttribution> attribution = nullptr);
    ~LoadEngine(); ///< stops and joins a run still going
    LoadEngine(const LoadEngine&) = delete;
    LoadEngine& operator=(const LoadEngine&) = delete;

    /// Checks the options, builds the TLS context and starts the workers. Empty, or why not.
    [[nodiscard]] std::string start();
    /// True once every worker is done (sent everything and had every answer, or was stopped).
    [[nodiscard]] bool done() const;
    /// Stop sending (Ctrl-C); requests in flight get LoadOptions::stopGrace. Thread-safe.
    void stop();
    /// The seconds completed since the last call (every worker past them), oldest first.
    [[nodiscard]] std::vector<SecondSummary> poll();
    /// Seconds since the start, and the totals of the seconds polled so far.
    [[nodiscard]] double elapsedSeconds() const;
    [[nodiscard]] std::uint64_t polledRequests() const;
    /// Waits for the workers and merges what they counted.
    [[nodiscard]] LoadRun finish();

    [[nodiscard]] const LoadOptions& options() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sluice::traffic
