// SPDX-License-Identifier: Apache-2.0
// The proxies' side of the simulation: what the gateway (Http1Session::forward) and the sidecars
// (MeshCaller::forward) do with a routed request, event by event. The replicas' side is in
// simulation_replicas.cpp.

#include "simulation_engine.h"

#include "proxy/cors_filter.h"
#include "proxy/header_names.h"
#include "proxy/request_hasher.h"
#include "proxy/request_identity.h"
#include "proxy/upstream_failure.h"
#include "routing/response_flags.h"

#include <algorithm>

namespace sluice::traffic {
namespace {

using Clock = std::chrono::steady_clock;
using proxy::AttemptEnd;
using Resource = proxy::CircuitBreaker::Resource;

SimTime nanos(const std::optional<model::Duration>& d) {
    return d && d->nanos > 0 ? d->nanos : 0;
}

/// The simulated time as the proxy's policies read a clock (outlier detection starts at 0).
Clock::time_point clockAt(SimTime now) {
    return Clock::time_point{} + std::chrono::nanoseconds(now);
}

/// The request head as views into `request`, for the proxy's header-reading policies.
void viewHead(const routing::Request& request, const HeaderList& headers, proxy::RequestHead& head) {
    head.method = request.method;
    head.target = request.target;
    head.host = request.authority;
    head.fields.clear();
    for (const auto& [name, value] : headers)
        head.fields.push_back({name, value, proxy::classifyHeader(name)});
}

} // namespace

SimulationEngine::SimulationEngine(SimulatedFleet& fleet, EventQueue& events, routing::Rng& rng,
                                   metrics::TrafficTally& tally, ConfiguredWeights& weights)
    : m_fleet(fleet)
    , m_events(events)
    , m_rng(rng)
    , m_tally(tally)
    , m_weights(weights) {}

std::uint32_t SimulationEngine::newExchange(Exchange::Kind kind, std::uint32_t proxy, std::uint32_t parent) {
    const std::uint32_t i = m_exchanges.take();
    Exchange& x = m_exchanges[i];
    x.kind = kind;
    x.phase = Exchange::Phase::Routed;
    x.preflight = false;
    x.tls = false;
    x.proxy = proxy;
    x.parent = parent;
    x.started = m_events.now();
    x.deadline = kNever;
    x.attemptDeadline = kNever;
    x.attempt = 0;
    x.inbound = &x.headers;
    x.requestId.clear();
    x.flags.clear();
    x.status = 0;
    x.depth = 0;
    x.cluster = nullptr;
    x.state = nullptr;
    x.retries.reset();
    x.hash.reset();
    x.lease = {};
    x.pendingHeld = false;
    return i;
}

void SimulationEngine::startRoot(const routing::Request& request) {
    startRoot(request, nullptr);
}

void SimulationEngine::startRootTaking(routing::Request& request) {
    startRoot(request, &request.headers);
}

void SimulationEngine::startRoot(const routing::Request& request, HeaderList* take) {
    const std::uint32_t xi = newExchange(Exchange::Kind::Root, 0, kNoIndex);
    Exchange& x = m_exchanges[xi];
    m_fleet.table().route(request, m_rng, routing::Explain::No, x.decision);
    if (take)
        x.headers.swap(*take); // `request` now holds the exchange's old list (its storage reused)
    else
        x.inbound = &request.headers;
    x.tls = request.tls;
    // Envoy's CORS filter runs after the fault filter's abort, before the router.
    x.preflight = x.decision.cors && x.decision.outcome != routing::Outcome::FaultAbort &&
                  request.method == "OPTIONS" && answersPreflight(x, request);
    m_counters.peakInFlight = std::max(m_counters.peakInFlight, ++m_inFlight);
    start(xi, request);
}

bool SimulationEngine::answersPreflight(const Exchange& x, const routing::Request& request) const {
    proxy::RequestHead head;
    viewHead(request, *x.inbound, head);
    return proxy::CorsFilter::apply(*x.decision.cors, head).answerPreflight;
}

void SimulationEngine::start(std::uint32_t xi, const routing::Request& request) {
    Exchange& x = m_exchanges[xi];
    const routing::Decision& d = x.decision;
    routing::ResponseFlags::add(x.flags, d.responseFlag);
    if (x.preflight) { // answered by the gateway, after the fault filter's delay
        if (const SimTime delay = faultDelay(x); delay > 0) {
            x.phase = Exchange::Phase::FaultDelay;
            m_events.schedule(m_events.now() + delay, DelayDone, xi);
            return;
        }
        finish(xi, 200);
        return;
    }
    switch (d.outcome) {
    case routing::Outcome::Forward:
        x.cluster = m_fleet.clusters().find(d.destination->cluster);
        if (!x.cluster || x.cluster->endpoints().empty()) { // a local 503 UH, after any delay
            x.cluster = nullptr;
            routing::ResponseFlags::add(x.flags, "UH");
            break;
        }
        forward(xi, request);
        return;
    case routing::Outcome::ConnectionRefused:
    case routing::Outcome::ConnectionReset:
        finish(xi, 0); // no HTTP answer at all
        return;
    case routing::Outcome::NoHealthyUpstream:
    case routing::Outcome::Redirect:
    case routing::Outcome::DirectResponse:
    case routing::Outcome::FaultAbort:
    case routing::Outcome::ClusterNotFound:
    case routing::Outcome::NoRoute:
        break;
    }
    // The fault filter's delay holds local replies too: an abort drawn for a delayed request is
    // answered after the delay (DelayDone).
    if (const SimTime delay = faultDelay(x); delay > 0) {
        x.phase = Exchange::Phase::FaultDelay;
        m_events.schedule(m_events.now() + delay, DelayDone, xi);
        return;
    }
    finish(xi, localStatus(x));
}

int SimulationEngine::localStatus(const Exchange& x) {
    // A forwarded request that found no endpoint is answered 503 UH by the router.
    return x.decision.outcome == routing::Outcome::Forward ? 503 : x.decision.status;
}

SimTime SimulationEngine::faultDelay(const Exchange& x) {
    // Gateway and sidecars alike hold the request for whole milliseconds (Envoy's fault filter).
    return std::chrono::nanoseconds(x.decision.injectedDelay()).count();
}

std::optional<std::uint64_t> SimulationEngine::hashFor(const Exchange& x,
                                                       const routing::Request& request) const {
    proxy::RequestHead head;
    viewHead(request, *x.inbound, head);
    // A sidecar hashes with the calling replica as the source; the gateway with the client's
    // address (one simulated client).
    const std::string& source =
        x.kind == Exchange::Kind::Root ? std::string("127.0.0.1") : m_fleet.proxy(x.proxy).name;
    std::string setCookie;
    return proxy::RequestHasher::hash(x.cluster->policy().hash, {head, source, source}, setCookie);
}

void SimulationEngine::forward(std::uint32_t xi, const routing::Request& request) {
    Exchange& x = m_exchanges[xi];
    x.state = &m_fleet.proxy(x.proxy).state->cluster(x.cluster->index());
    if (x.kind == Exchange::Kind::Root) { // the client's x-request-id, else one made for it
        const proxy::RequestHead none;
        for (const auto& [name, value] : *x.inbound)
            if (proxy::headerNameIs(name, "x-request-id") && !value.empty()) {
                x.requestId.assign(value);
                break;
            }
        if (x.requestId.empty())
            proxy::requestIdFor(none, m_rng, x.requestId);
    }
    if (x.cluster->policy().hashed())
        x.hash = hashFor(x, request);
    // Envoy's fault filter comes before the router: the delay holds the request, then it goes on.
    if (const SimTime delay = faultDelay(x); delay > 0) {
        x.phase = Exchange::Phase::FaultDelay;
        m_events.schedule(m_events.now() + delay, DelayDone, xi);
        return;
    }
    begin(xi);
}

void SimulationEngine::begin(std::uint32_t xi) {
    Exchange& x = m_exchanges[xi];
    const routing::Decision& d = x.decision;
    if (x.kind == Exchange::Kind::Root)
        for (const routing::MirrorPolicy& mirror : d.mirrors) {
            if (!mirror.clusterExists || (mirror.percent < 100 && m_rng.percent() >= mirror.percent))
                continue;
            const proxy::ServedCluster* cluster = m_fleet.clusters().find(mirror.destination.cluster);
            if (cluster && !cluster->endpoints().empty())
                shadow(xi, *cluster);
        }
    const SimTime timeout = nanos(d.timeout);
    x.deadline = timeout > 0 ? m_events.now() + timeout : kNever;
    x.retries.reset(); // made when an attempt first needs judging (attemptEnded)
    x.tried = {};
    attempt(xi);
}

void SimulationEngine::shadow(std::uint32_t xi, const proxy::ServedCluster& cluster) {
    const std::uint32_t si = newExchange(Exchange::Kind::Shadow, 0, kNoIndex);
    Exchange& s = m_exchanges[si];
    const Exchange& x = m_exchanges[xi];
    s.decision = x.decision;
    s.headers = *x.inbound;
    s.tls = x.tls;
    s.requestId = x.requestId;
    s.cluster = &cluster;
    s.state = &m_fleet.proxy(0).state->cluster(cluster.index());
    // Without a route timeout a shadow could wait forever on a silent upstream: capped at 60 s.
    const SimTime timeout = nanos(x.decision.timeout);
    s.deadline = m_events.now() + (timeout > 0 ? timeout : SimTime{60'000'000'000});
    ++m_counters.shadows;
    attempt(si);
}

void SimulationEngine::attempt(std::uint32_t xi) {
    Exchange& x = m_exchanges[xi];
    SimProxy& p = m_fleet.proxy(x.proxy);
    const SimTime now = m_events.now();
    const bool shadowed = x.kind == Exchange::Kind::Shadow;
    const auto picked =
        proxy::HostSelector::select(*x.cluster, *x.state, {x.hash, shadowed ? nullptr : &x.tried}, m_rng,
                                    p.cursors[x.cluster->index()], p.scratch, clockAt(now));
    if (!picked) { // every endpoint ejected
        routing::ResponseFlags::add(x.flags, "UH");
        finish(xi, 503);
        return;
    }
    x.tried.add(*picked);
    x.endpoint = *picked;
    const SimTime perTry = shadowed ? 0 : nanos(x.decision.retries.perTryTimeout);
    x.attemptDeadline = perTry > 0 ? std::min(x.deadline, now + perTry) : x.deadline;
    x.attempt = ++m_attemptIds;
    ++m_counters.attempts;
    const auto result = p.pool->acquire(*x.cluster, *x.state, x.endpoint, now, {xi, x.attempt}, x.lease);
    deliverWakes(p);
    switch (result) {
    case SimulatedPool::Result::Ready:
        dispatch(xi);
        return;
    case SimulatedPool::Result::Overflow: // a circuit breaker: never retried
        routing::ResponseFlags::add(x.flags, "UO");
        finish(xi, 503);
        return;
    case SimulatedPool::Result::Queued:
        x.phase = Exchange::Phase::Pending;
        x.pendingHeld = true;
        if (x.attemptDeadline != kNever)
            m_events.schedule(x.attemptDeadline, PoolTimeout, xi, x.attempt);
        return;
    }
}

void SimulationEngine::attemptEnded(std::uint32_t xi, AttemptEnd end, int status) {
    Exchange& x = m_exchanges[xi];
    const SimTime now = m_events.now();
    if (x.kind == Exchange::Kind::Shadow) { // the answer is dropped; nothing is retried or judged
        releaseLease(x, end == AttemptEnd::Response);
        finish(xi, status);
        return;
    }
    const routing::Decision& d = x.decision;
    if (x.lease.held)
        x.state->outlier().report(x.endpoint, proxy::outlierStatus(end, status), clockAt(now));
    if (!x.retries && end == AttemptEnd::Response && status < 400 &&
        std::find(d.retries.retriableStatusCodes.begin(), d.retries.retriableStatusCodes.end(),
                  static_cast<std::uint32_t>(status)) == d.retries.retriableStatusCodes.end()) {
        // The first attempt answered with what no retry policy retries: RetryState (made when an
        // attempt first needs judging; it parses retryOn) would say exactly that.
        releaseLease(x, true);
        finish(xi, status);
        return;
    }
    if (!x.retries)
        x.retries.emplace(d.retries);
    proxy::RetryState& retries = *x.retries;
    const bool overall = now >= x.deadline;
    const bool wouldRetry =
        !overall && retries.attempt() <= d.retries.attempts && retries.retriable(end, status);
    // max_retries: a retry over the cluster's threshold is not made (upstream_rq_retry_overflow).
    const bool admitted = wouldRetry && x.state->breaker().tryAcquire(Resource::Retries);
    if (wouldRetry && !admitted)
        routing::ResponseFlags::add(x.flags, "UO");
    if (admitted && retries.retry(end, status)) {
        releaseLease(x, false); // the answer of an attempt we do not pass on: the connection is dropped
        x.phase = Exchange::Phase::Backoff;
        const SimTime backoff = static_cast<SimTime>(retries.backoff(m_rng).count()) * 1'000'000;
        m_events.schedule(now + backoff, BackoffDone, xi, x.attempt);
        return;
    }
    if (admitted)
        x.state->breaker().release(Resource::Retries);
    if (end == AttemptEnd::Response) {
        if (retries.attempt() > 1 && retries.retriable(end, status))
            routing::ResponseFlags::add(x.flags, "URX"); // attempts ran out on a retriable answer
        releaseLease(x, true);
        finish(xi, status);
        return;
    }
    releaseLease(x, false);
    if (end == AttemptEnd::PerTryTimeout || overall) {
        routing::ResponseFlags::add(x.flags, "UT");
        finish(xi, 504);
        return;
    }
    routing::ResponseFlags::add(x.flags, proxy::attemptFailureReply(end).flag);
    if (retries.attempt() > 1)
        routing::ResponseFlags::add(x.flags, "URX");
    finish(xi, 503);
}

void SimulationEngine::finish(std::uint32_t xi, int status) {
    Exchange& x = m_exchanges[xi];
    releaseLease(x, false);
    x.status = status;
    x.phase = Exchange::Phase::Done;
    x.attempt = 0;
    switch (x.kind) {
    case Exchange::Kind::Root: {
        const routing::Decision& d = x.decision;
        metrics::TrafficOutcome o;
        o.status = status;
        o.responseFlags = x.flags;
        if (d.destination) {
            o.destination = d.destination->host;
            o.subset = d.destination->subset;
        }
        o.latencyMicros = static_cast<std::uint64_t>((m_events.now() - x.started) / 1000);
        m_tally.record(o);
        m_weights.count(d);
        --m_inFlight;
        m_exchanges.give(xi);
        return;
    }
    case Exchange::Kind::Call: {
        const std::uint32_t parent = x.parent;
        m_exchanges.give(xi);
        callDone(parent, status);
        return;
    }
    case Exchange::Kind::Shadow:
        m_exchanges.give(xi);
        return;
    }
}

} // namespace sluice::traffic
