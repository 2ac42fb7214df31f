// SPDX-License-Identifier: Apache-2.0
// The engine's events: what happens when a delay, an answer, a deadline or a back-off is due, and
// how the connection pools hand connections over to the attempts waiting for them.

#include "routing/response_flags.h"
#include "simulation_engine.h"

namespace sluice::traffic {
namespace {

using proxy::AttemptEnd;
using Resource = proxy::CircuitBreaker::Resource;

} // namespace

void SimulationEngine::deliverWakes(SimProxy& p) {
    for (const PoolWake& w : p.pool->wakes()) {
        Exchange& x = m_exchanges[w.waiter.exchange];
        if (x.attempt != w.waiter.token || x.phase != Exchange::Phase::Pending)
            continue;
        // Acted on at the next event, as the live waiter's coroutine resumes later; its wait is
        // over meanwhile (no timeout takes a handed connection away).
        x.phase = Exchange::Phase::Handed;
        m_events.schedule(
            m_events.now(), PoolHandoff, w.waiter.exchange, w.waiter.token,
            w.handed ? static_cast<std::int32_t>(std::min<std::uint32_t>(w.requests, 1u << 30)) + 1 : 0);
    }
    p.pool->wakes().clear();
}

void SimulationEngine::releaseLease(Exchange& x, bool keep) {
    if (!x.lease.held)
        return;
    SimProxy& p = m_fleet.proxy(x.proxy);
    p.pool->release(*x.cluster, *x.state, x.endpoint, x.lease, keep, m_events.now());
    deliverWakes(p);
}

void SimulationEngine::onAnswer(const SimEvent& e, int status) {
    Exchange& x = m_exchanges[e.index];
    if (x.attempt != e.token || x.phase != Exchange::Phase::Attempt)
        return; // the proxy gave up on this attempt: the answer is dropped
    attemptEnded(e.index, AttemptEnd::Response, status);
}

void SimulationEngine::onPoolWake(const SimEvent& e) {
    Exchange& x = m_exchanges[e.index];
    if (x.attempt != e.token || x.phase != Exchange::Phase::Handed)
        return;
    x.phase = Exchange::Phase::Pending;
    SimProxy& p = m_fleet.proxy(x.proxy);
    const SimTime now = m_events.now();
    const auto result =
        e.value > 0
            ? p.pool->takeHanded(*x.cluster, *x.state, x.endpoint, now,
                                 {{e.index, e.token}, true, static_cast<std::uint32_t>(e.value - 1)}, x.lease)
            : p.pool->retry(*x.cluster, *x.state, x.endpoint, now, {e.index, e.token}, x.lease);
    deliverWakes(p);
    switch (result) {
    case SimulatedPool::Result::Ready:
        x.pendingHeld = false;
        dispatch(e.index);
        return;
    case SimulatedPool::Result::Overflow:
        x.pendingHeld = false;
        routing::ResponseFlags::add(x.flags, "UO");
        finish(e.index, 503);
        return;
    case SimulatedPool::Result::Queued: // back in the queue, with the same deadline
        if (x.attemptDeadline != kNever)
            m_events.schedule(x.attemptDeadline, PoolTimeout, e.index, e.token);
        return;
    }
}

void SimulationEngine::onPoolTimeout(const SimEvent& e) {
    Exchange& x = m_exchanges[e.index];
    if (x.attempt != e.token || x.phase != Exchange::Phase::Pending)
        return;
    SimProxy& p = m_fleet.proxy(x.proxy);
    p.pool->abandon(*x.cluster, *x.state, x.endpoint, {e.index, e.token});
    x.pendingHeld = false;
    attemptEnded(e.index, AttemptEnd::PerTryTimeout, 0);
}

void SimulationEngine::handle(const SimEvent& e) {
    switch (e.kind) {
    case DelayDone: {
        Exchange& x = m_exchanges[e.index];
        if (x.phase != Exchange::Phase::FaultDelay)
            return;
        if (x.preflight)
            finish(e.index, 200);
        else if (x.decision.outcome != routing::Outcome::Forward || !x.cluster)
            finish(e.index, localStatus(x)); // a fault abort (or a local reply) after the delay
        else
            begin(e.index);
        return;
    }
    case Answer:
        onAnswer(e, e.value);
        return;
    case ServeDone: {
        Serve& s = m_serves[e.index];
        const SimEvent answer{e.at, e.sequence, s.attempt, s.exchange, s.plan.status, Answer};
        m_serves.give(e.index);
        onAnswer(answer, answer.value);
        return;
    }
    case AttemptTimeout: {
        Exchange& x = m_exchanges[e.index];
        if (x.attempt == e.token && x.phase == Exchange::Phase::Attempt)
            attemptEnded(e.index, AttemptEnd::PerTryTimeout, 0);
        return;
    }
    case BackoffDone: {
        Exchange& x = m_exchanges[e.index];
        if (x.attempt != e.token || x.phase != Exchange::Phase::Backoff)
            return;
        x.state->breaker().release(Resource::Retries);
        attempt(e.index);
        return;
    }
    case PoolHandoff:
        onPoolWake(e);
        return;
    case PoolTimeout:
        onPoolTimeout(e);
        return;
    default:
        return;
    }
}

} // namespace sluice::traffic
