// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "configured_weights.h"
#include "event_queue.h"
#include "metrics/traffic_tally.h"
#include "routing/rng.h"
#include "simulated_exchange.h"
#include "simulated_fleet.h"

#include <cstdint>

namespace sluice::traffic {

/// What the engine counted besides the gateway's answers.
struct SimulationCounters {
    std::uint64_t calls = 0;       ///< mesh calls the replicas made
    std::uint64_t failedCalls = 0; ///< of which got no answer or a 5xx (the caller answers anyway)
    std::uint64_t attempts = 0;    ///< upstream attempts, gateway and sidecars, retries included
    std::uint64_t shadows = 0;     ///< mirrored requests sent
    std::size_t peakInFlight = 0;  ///< client requests unanswered at once, at most
};

/// The request path of the live proxy in simulated time: every client request is routed by the
/// RouteTable (the same route() the proxy calls), then carried through the gateway as
/// Http1Session::forward does and through the sidecars as MeshCaller::forward does — fault
/// delay, mirrors, host selection (HostSelector with the proxy's balancer, outlier detection and
/// previous-hosts predicate), connection pool and circuit breakers (SimulatedPool over
/// proxy::CircuitBreaker), route and per-try timeouts, retries (proxy::RetryState, its back-off
/// and the max_retries breaker) — to the replicas, which answer with their BackendBehaviour after
/// making their calls in turn through their own sidecars (the whole request tree). The client's
/// answer is recorded in the tally when the tree is done.
///
/// Event kinds below kFirstEngineEvent are the caller's (arrivals); handle() takes the others.
/// Single-threaded; allocation-free per request once its pools have grown (the routing engine
/// itself allocates a little per decision with a destination).
class SimulationEngine {
public:
    static constexpr std::uint8_t kFirstEngineEvent = 1;

    SimulationEngine(SimulatedFleet& fleet, EventQueue& events, routing::Rng& rng,
                     metrics::TrafficTally& tally, ConfiguredWeights& weights);

    /// A client request reaches the gateway now. `request` must live until the run ends (a
    /// request template): its headers are referred to, not copied.
    void startRoot(const routing::Request& request);
    /// The same for a request the caller refills for each arrival (a replay): its header list is
    /// taken (swapped out, so `request` gets back storage to reuse).
    void startRootTaking(routing::Request& request);
    /// Handles one of the engine's events.
    void handle(const SimEvent& event);

    [[nodiscard]] std::size_t inFlight() const { return m_inFlight; }
    /// Requests in flight through any proxy: client requests, calls and shadows.
    [[nodiscard]] std::size_t exchangesInFlight() const { return m_exchanges.inUse(); }
    [[nodiscard]] const SimulationCounters& counters() const { return m_counters; }

private:
    enum Kind : std::uint8_t {
        DelayDone = kFirstEngineEvent,
        Answer,         ///< a replica without calls answers (value: status)
        ServeDone,      ///< a replica with calls answers (index: the Serve)
        AttemptTimeout, ///< the attempt's deadline
        BackoffDone,
        PoolHandoff, ///< value: 0 woken to try again, n > 0 handed a connection that served n - 1
        PoolTimeout, ///< the deadline passed while waiting for a connection
    };

    void startRoot(const routing::Request& request, HeaderList* take);
    std::uint32_t newExchange(Exchange::Kind kind, std::uint32_t proxy, std::uint32_t parent);
    void start(std::uint32_t x, const routing::Request& request);
    void forward(std::uint32_t x, const routing::Request& request);
    void begin(std::uint32_t x);
    void shadow(std::uint32_t x, const proxy::ServedCluster& cluster);
    void attempt(std::uint32_t x);
    void dispatch(std::uint32_t x); ///< the replica takes the attempt (simulation_replicas.cpp)
    void attemptEnded(std::uint32_t x, proxy::AttemptEnd end, int status);
    void finish(std::uint32_t x, int status);
    void releaseLease(Exchange& x, bool keep);
    void deliverWakes(SimProxy& proxy);

    void onAnswer(const SimEvent& e, int status);
    void onPoolWake(const SimEvent& e);
    void onPoolTimeout(const SimEvent& e);

    // The replicas' side (simulation_replicas.cpp).
    void nextCall(std::uint32_t serve);
    void callDone(std::uint32_t serve, int status);

    /// The fault filter's delay of `x`'s decision, when it fired (0 otherwise).
    [[nodiscard]] static SimTime faultDelay(const Exchange& x);
    /// The status of a local reply: the decision's, or 503 for a forward that found no endpoint.
    [[nodiscard]] static int localStatus(const Exchange& x);
    [[nodiscard]] std::optional<std::uint64_t> hashFor(const Exchange& x,
                                                       const routing::Request& request) const;
    [[nodiscard]] bool answersPreflight(const Exchange& x, const routing::Request& request) const;

    SimulatedFleet& m_fleet;
    EventQueue& m_events;
    routing::Rng& m_rng;
    metrics::TrafficTally& m_tally;
    ConfiguredWeights& m_weights;
    StablePool<Exchange> m_exchanges;
    StablePool<Serve> m_serves;
    std::uint64_t m_attemptIds = 0;
    std::size_t m_inFlight = 0;
    SimulationCounters m_counters;
};

} // namespace sluice::traffic
