// SPDX-License-Identifier: Apache-2.0
#include "traffic_simulator.h"

#include "default_mix.h"
#include "embedded_gateway.h"
#include "metrics/traffic_report_text.h"
#include "model/resource_set.h"
#include "profile_source.h"
#include "replay_request_mapper.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <new>

namespace sluice::traffic {
namespace {

constexpr std::uint8_t kArrival = 0;
static_assert(kArrival < SimulationEngine::kFirstEngineEvent);

std::string number(double value) {
    return metrics::TrafficReportText::fixed(value, value == std::floor(value) ? 0 : 3);
}

/// The traffic side of a run: where arrivals come from and what each one sends.
class TrafficSource {
public:
    /// `entry`: where profile requests go (set exactly when a profile is sent).
    TrafficSource(const SimulationInput& input, const SimulationOptions& options, const RequestMix& mix,
                  const std::optional<GatewayEntry>& entry)
        : m_recording(input.recording)
        , m_mix(mix)
        , m_mapper(*input.table, mix.empty() ? std::string("example.com") : mix.at(0).request.authority) {
        if (!m_recording && input.profile && entry) {
            // A stream of its own (template picks and variables), from the seed.
            m_profile.emplace(input.profile, entry->defaultAuthority, entry->tls ? "https" : "http",
                              options.seed * 0xD1B54A32D192ED03ull + 0x2545F491ull);
            m_entry = *entry;
        }
        const SimTime window = options.duration ? options.duration->nanos : kNever;
        if (m_recording) {
            const std::uint64_t count = std::min<std::uint64_t>(
                options.requests.value_or(m_recording->requests.size()), m_recording->requests.size());
            if (options.rate) {
                m_schedule = ArrivalSchedule::atRate(options.arrivals, *options.rate, count, window);
            } else {
                m_offsets.reserve(m_recording->requests.size());
                // Clamped to what simulated time holds (292 years of nanoseconds).
                constexpr std::int64_t kMaxMicros = kNever / 1000 - 1;
                for (const RecordedRequest& r : m_recording->requests)
                    m_offsets.push_back(std::clamp<std::int64_t>(r.offset.count(), 0, kMaxMicros) * 1000);
                m_schedule = ArrivalSchedule::recorded(m_offsets, count, window);
            }
        } else {
            const bool bounded = options.requests || options.duration;
            m_schedule = ArrivalSchedule::atRate(options.arrivals,
                                                 options.rate.value_or(SimulationOptions::kDefaultRate),
                                                 options.requests.value_or(SimulationOptions::kMaxRequests),
                                                 bounded ? window : SimulationOptions::kDefaultDurationNanos);
        }
    }

    [[nodiscard]] std::optional<SimTime> next(routing::Rng& rng) { return m_schedule.next(rng); }
    [[nodiscard]] SimTime windowEnd() const { return m_schedule.windowEnd(); }

    /// Sends the next request through `engine`.
    void send(SimulationEngine& engine, routing::Rng& rng) {
        if (m_recording) {
            m_mapper.fill(m_recording->requests[m_sent++], m_scratch);
            engine.startRootTaking(m_scratch);
            return;
        }
        if (m_profile) {
            // The load generator's rendering, turned into what the gateway routes.
            fillRoutingRequest(m_profile->render(m_sent++), m_entry.gatewayPort, m_entry.tls, m_scratch);
            engine.startRootTaking(m_scratch);
            return;
        }
        ++m_sent;
        engine.startRoot(m_mix.at(m_mix.pick(rng)).request);
    }

private:
    const Recording* m_recording;
    RequestMix m_mix; ///< a copy: the engine refers to its templates' headers
    std::optional<ProfileSource> m_profile;
    GatewayEntry m_entry;
    ReplayRequestMapper m_mapper;
    std::vector<SimTime> m_offsets;
    ArrivalSchedule m_schedule = ArrivalSchedule::atRate(ArrivalProcess::Constant, 1, 0);
    routing::Request m_scratch;
    std::size_t m_sent = 0;
};

std::vector<std::string> notesFor(const SimulatedFleet& fleet) {
    std::vector<std::string> notes;
    if (const std::size_t real = fleet.realEndpoints())
        notes.push_back(
            std::to_string(real) +
            " Workload endpoint(s) are real processes under `serve`; here they answer 200 at once");
    if (const std::size_t h2 = fleet.http2Clusters())
        notes.push_back(
            std::to_string(h2) +
            " HTTP/2 cluster(s) are modelled with HTTP/1.1 connections (one request each at a time)");
    return notes;
}

SimulationResult simulate(const SimulationInput& input, const SimulationOptions& options) {
    SimulationResult result;
    const bool profiled = !input.recording && input.profile;
    const RequestMix mix = profiled ? RequestMix{}
                           : input.mix && !input.mix->empty()
                               ? *input.mix
                               : DefaultMix::build(input.resources, *input.table);
    const std::optional<GatewayEntry> entry =
        profiled ? gatewayEntry(*input.table, std::nullopt) : std::nullopt;
    if (profiled && (!entry || input.profile->requests.empty() || !(input.profile->totalWeight() > 0))) {
        result.error = entry ? "the profile has no request with a positive weight"
                             : "no HTTP Gateway server applies to the ingress gateway: there is nothing to "
                               "send the profile's requests to";
        return result;
    }
    if (!input.recording && !profiled && mix.empty()) {
        result.error =
            "no Gateway server applies to the ingress gateway: there is nothing to send requests to";
        return result;
    }
    if (input.recording && input.recording->requests.empty()) {
        result.error = "the recording holds no request to replay";
        return result;
    }
    if (profiled) {
        const double total = input.profile->totalWeight();
        for (const ProfileRequest& t : input.profile->requests)
            if (t.weight > 0)
                result.mix.push_back(t.name + " (" + number(100.0 * t.weight / total) + "%)");
    } else if (!input.recording) {
        for (std::size_t i = 0; i < mix.size(); ++i)
            result.mix.push_back(mix.at(i).label + " (" + number(100.0 * mix.share(i)) + "%)");
    }

    SimulatedFleet fleet(input.resources, input.table, options.seed);
    result.notes = notesFor(fleet);
    EventQueue events;
    routing::Rng engineRng(options.seed);
    // Arrivals and the mix have a stream of their own: the same seed sends the same requests at
    // the same times whatever the config does with them (what-if runs compare like with like).
    routing::Rng trafficRng(options.seed * 0x9E3779B97F4A7C15ull + 0x7F4A7C15ull);
    metrics::TrafficTally tally;
    ConfiguredWeights weights(*input.table);
    SimulationEngine engine(fleet, events, engineRng, tally, weights);
    TrafficSource source(input, options, mix, entry);

    if (const auto first = source.next(trafficRng))
        events.schedule(*first, kArrival, 0);
    std::uint64_t handled = 0;
    while (!events.empty()) {
        if (options.cancel && (++handled & 0xFFF) == 0 && options.cancel->load(std::memory_order_relaxed)) {
            result.cancelled = true;
            break;
        }
        const SimEvent e = events.take();
        if (e.kind != kArrival) {
            engine.handle(e);
            continue;
        }
        source.send(engine, trafficRng);
        // Memory grows with what is in flight (about 1.5 kB a request or call): a bound on both.
        if (engine.inFlight() > options.maxInFlight || engine.exchangesInFlight() > 4 * options.maxInFlight) {
            result.error = "more than " + std::to_string(options.maxInFlight) + " requests (or " +
                           std::to_string(4 * options.maxInFlight) +
                           " requests and calls) were waiting for an answer at once (at " +
                           number(static_cast<double>(events.now()) / 1e9) +
                           " s of simulated time): the rate is far above what the config can serve without "
                           "timeouts or circuit breakers. Lower --rate, or add a route timeout or "
                           "connectionPool limits";
            return result;
        }
        if (const auto at = source.next(trafficRng))
            events.schedule(*at, kArrival, 0);
    }
    const SimTime window = result.cancelled ? events.now() : source.windowEnd();
    const std::optional<double> target =
        input.recording && !options.rate
            ? std::nullopt
            : std::optional<double>(options.rate.value_or(SimulationOptions::kDefaultRate));
    result.report = tally.report(static_cast<double>(window) / 1e9, true, target, weights.weights());
    result.counters = engine.counters();
    result.simulatedSeconds = static_cast<double>(events.now()) / 1e9;
    return result;
}

} // namespace

std::string TrafficSimulator::check(const SimulationOptions& o, bool replay) {
    if (o.rate) {
        const double r = *o.rate;
        if (!std::isfinite(r) || r <= 0)
            return "--rate must be a number of requests per second above 0 (got " + number(r) + ")";
        if (r > SimulationOptions::kMaxRate)
            return "--rate " + number(r) + " is beyond what can be simulated (at most " +
                   number(SimulationOptions::kMaxRate) + " requests per second)";
    }
    if (o.requests) {
        if (*o.requests == 0)
            return "--requests must be at least 1";
        if (*o.requests > SimulationOptions::kMaxRequests)
            return "--requests " + std::to_string(*o.requests) + " is too many (at most " +
                   std::to_string(SimulationOptions::kMaxRequests) + " per run)";
    }
    if (o.duration) {
        if (o.duration->nanos <= 0)
            return "--duration must be above 0 (e.g. 10s, 1m30s)";
        if (!replay || o.rate) {
            const double expected = o.rate.value_or(SimulationOptions::kDefaultRate) *
                                    static_cast<double>(o.duration->nanos) / 1e9;
            if (!o.requests && expected > static_cast<double>(SimulationOptions::kMaxRequests))
                return "--duration " + o.duration->toString() + " at " +
                       number(o.rate.value_or(SimulationOptions::kDefaultRate)) +
                       " requests per second would send " + number(std::round(expected)) +
                       " requests (at most " + std::to_string(SimulationOptions::kMaxRequests) + " per run)";
        }
    }
    if (o.requests && (!replay || o.rate)) {
        // The arrival times must fit simulated time (292 years of nanoseconds).
        const double seconds =
            static_cast<double>(*o.requests) / o.rate.value_or(SimulationOptions::kDefaultRate);
        if (seconds > 1e9)
            return "--requests " + std::to_string(*o.requests) + " at --rate " +
                   number(o.rate.value_or(SimulationOptions::kDefaultRate)) +
                   " would span more than 10^9 seconds of simulated time";
    }
    if (o.maxInFlight == 0)
        return "the in-flight limit must be at least 1";
    return {};
}

std::vector<std::string> TrafficSimulator::approximations() {
    return {
        "no network time: connecting, TLS, sending and relaying take none; a replica's latency is all",
        "one proxy worker: one set of connection pools and round-robin cursors (live: one per worker)",
        "HTTP/2 upstreams are HTTP/1.1 connections (one request at a time each)",
        "Workloads with an `endpoint:` (real processes under `serve`) answer 200 at once",
        "bodies and their sizes are not modelled",
        "a replica serves any number of requests at once (as `serve`'s simulated replicas do; real pods "
        "queue)",
    };
}

std::string TrafficSimulator::approximationsLine() {
    return "simulated: no network time, one worker's pools, h2 upstreams as HTTP/1.1, endpoints answer at "
           "once, no bodies, no replica queues (sluice simulate --help)";
}

SimulationResult TrafficSimulator::run(const SimulationInput& input, const SimulationOptions& options) {
    if (std::string error = check(options, input.recording != nullptr); !error.empty()) {
        SimulationResult r;
        r.error = std::move(error);
        return r;
    }
    if (!input.table) {
        SimulationResult r;
        r.error = "no routing table to simulate";
        return r;
    }
    try {
        return simulate(input, options);
    } catch (const std::bad_alloc&) {
        SimulationResult r;
        r.error = "out of memory: simulate fewer requests, or at a lower rate";
        return r;
    } catch (const std::exception& e) {
        SimulationResult r;
        r.error = std::string("the simulation failed: ") + e.what();
        return r;
    }
}

} // namespace sluice::traffic
