// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "arrival_schedule.h"
#include "metrics/traffic_report.h"
#include "model/duration.h"
#include "recording.h"
#include "request_mix.h"
#include "routing/route_table.h"
#include "simulation_engine.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::model {
struct ResourceSet;
}

namespace sluice::traffic {

/// What `sluice simulate` asks for.
struct SimulationOptions {
    /// Requests per second. Without a recording the default is 100; with one, unset keeps the
    /// recorded timing and a rate replaces it (the recorded requests in order, at that rate).
    std::optional<double> rate;
    ArrivalProcess arrivals = ArrivalProcess::Poisson;
    std::optional<std::uint64_t> requests;   ///< stop after this many arrivals
    std::optional<model::Duration> duration; ///< no arrival after this; 10 s when neither is given
    std::uint64_t seed = 1;
    /// Client requests unanswered at once beyond which the run stops with an error (the rate is far
    /// above what the config can serve, and memory would grow with it).
    std::size_t maxInFlight = 100'000;
    /// Set from another thread to stop the run early (checked every few thousand events).
    const std::atomic<bool>* cancel = nullptr;

    static constexpr double kMaxRate = 10'000'000;               ///< requests per second
    static constexpr std::uint64_t kMaxRequests = 1'000'000'000; ///< per run
    static constexpr double kDefaultRate = 100;
    static constexpr std::int64_t kDefaultDurationNanos = 10'000'000'000;
};

/// What the simulation is of: the config (as loaded and compiled) and the traffic.
struct SimulationInput {
    const model::ResourceSet& resources;
    routing::RouteTablePtr table;
    /// The requests to send (a profile); null: DefaultMix. Ignored with a recording.
    const RequestMix* mix = nullptr;
    /// Replays these requests (their timing unless a rate is given); null: the mix.
    const Recording* recording = nullptr;
};

/// A finished simulation, or why none ran.
struct SimulationResult {
    std::string error;             ///< empty on success
    metrics::TrafficReport report; ///< simulated = true
    SimulationCounters counters;
    double simulatedSeconds = 0; ///< until the last answer (arrival window plus the tail)
    bool cancelled = false;      ///< stopped early by `cancel`: the report covers what was answered
    /// What the model leaves out or stands in for, in words, for the report's reader.
    std::vector<std::string> notes;
    std::vector<std::string> mix; ///< the request templates sent ("GET http://host/path (50%)")

    [[nodiscard]] bool ok() const { return error.empty(); }
};

/// `sluice simulate`: the config's answer to a traffic mix or a recording, computed in simulated
/// time (SimulationEngine: the live proxy's routing and policies, the workloads' models, the
/// calls between workloads) without a socket, from a seed: the same input and seed give the same
/// report, byte for byte. About a microsecond of real time per simulated request on bookinfo.
class TrafficSimulator {
public:
    /// Empty when `options` make sense, else why not, in the CLI's words (--rate, --requests...).
    [[nodiscard]] static std::string check(const SimulationOptions& options, bool replay);
    /// Runs the simulation. Never throws (an exception inside becomes an error).
    [[nodiscard]] static SimulationResult run(const SimulationInput& input, const SimulationOptions& options);
};

} // namespace sluice::traffic
