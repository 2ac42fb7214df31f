// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "arrival_schedule.h"
#include "metrics/traffic_report.h"
#include "model/duration.h"
#include "recording.h"
#include "request_mix.h"
#include "request_profile.h"
#include "routing/route_table.h"
#include "simulation_engine.h"

#include <atomic>
#include <cstdint>
#include <memory>
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
    /// above what the config can serve, and memory would grow with it: about 1.5 kB a request or
    /// call in flight); four times as many requests and calls together.
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
    /// The requests to send, as `sluice load --profile` sends them: each arrival renders the
    /// profile's next request (a template picked by weight, its variables drawn: ${seq} is the
    /// arrival's number, ${random_user}...) with the same ProfileSource the load generator uses,
    /// to the Gateway port `sluice load -f` picks (gatewayEntry(): the HTTP listener, port 80
    /// first). Wins over `mix`; ignored with a recording.
    std::shared_ptr<const RequestProfile> profile;
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

/// What the simulation leaves out, compared with `serve` under the same traffic (approximations()
/// says it to users, in --help and on the report's second line):
/// - the network: connecting, sending and relaying take no time; a replica's latency is all;
/// - the proxy's workers: one worker's connection pools and round-robin cursors (the live proxy
///   has one set per worker; circuit-breaker counters are per proxy in both);
/// - HTTP/2 upstreams are HTTP/1.1 connections (one request at a time each);
/// - Workload `endpoint:`s (real processes) answer 200 at once; bodies and their sizes are not
///   modelled; a replica serves any number of requests at once, as the simulated replicas do.
/// Everything else is the live proxy's code or rules: routing, fault injection, CORS preflights,
/// mirrors, host selection, outlier detection, circuit breakers, timeouts, retries, call headers.
///
/// `sluice simulate`: the config's answer to a traffic mix or a recording, computed in simulated
/// time (SimulationEngine: the live proxy's routing and policies, the workloads' models, the
/// calls between workloads) without a socket, from a seed: the same input and seed give the same
/// report, byte for byte. A few microseconds of real time per simulated request (bookinfo, with
/// its calls: about 2.5 us).
class TrafficSimulator {
public:
    /// Empty when `options` make sense, else why not, in the CLI's words (--rate, --requests...).
    [[nodiscard]] static std::string check(const SimulationOptions& options, bool replay);
    /// Runs the simulation. Never throws (an exception inside becomes an error).
    [[nodiscard]] static SimulationResult run(const SimulationInput& input, const SimulationOptions& options);

    /// What the simulation leaves out or stands in for, compared with `serve` under the same
    /// traffic (the list above), one item each: `sluice simulate --help` shows them.
    [[nodiscard]] static std::vector<std::string> approximations();
    /// The same in one line for the report ("simulated: no network time, ...").
    [[nodiscard]] static std::string approximationsLine();
};

} // namespace sluice::traffic
