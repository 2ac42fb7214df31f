// SPDX-License-Identifier: Apache-2.0
// The replicas' side of the simulation (ReplicaResponder and ReplicaServer in simulated time): a
// replica plans its answer with its BackendBehaviour, makes its calls in turn through its own
// sidecar (MeshCaller: the mesh view of the routing table, with the replica's labels and
// namespace as the source), then waits its own latency and answers with its planned status —
// a failed call does not change it (the live replica reports the call in its body, as
// bookinfo's productpage still renders its page), but its time is the caller's time.

#include "proxy/mesh_call.h"
#include "simulation_engine.h"

namespace sluice::traffic {

void SimulationEngine::dispatch(std::uint32_t xi) {
    Exchange& x = m_exchanges[xi];
    x.phase = Exchange::Phase::Attempt;
    const std::uint32_t r = m_fleet.replicaOf(x.cluster->index(), x.endpoint);
    SimReplica& replica = m_fleet.replica(r);
    const workload::PlannedResponse plan = replica.behaviour.next(m_rng, replica.served++);
    const SimTime now = m_events.now();
    if (replica.calls.empty()) {
        // The answer's time is known now: only the earlier of it and the deadline is scheduled.
        const SimTime done = now + static_cast<SimTime>(plan.delay.count()) * 1000;
        if (done < x.attemptDeadline)
            m_events.schedule(done, Answer, xi, x.attempt, plan.status);
        else
            m_events.schedule(x.attemptDeadline, AttemptTimeout, xi, x.attempt);
        return;
    }
    const std::uint32_t si = m_serves.take();
    Serve& s = m_serves[si];
    s.replica = r;
    s.exchange = xi;
    s.attempt = x.attempt;
    s.plan = plan;
    s.nextCall = 0;
    s.requestId = x.requestId;
    // What the replica received (its proxy's forwarding rules) and its calls may copy.
    const std::string_view scheme = x.kind == Exchange::Kind::Root && x.tls ? "https" : "http";
    s.depth = CallHeaders::received(*x.inbound, x.decision.requestHeaders, scheme, replica.copied, s.carried);
    if (x.attemptDeadline != kNever)
        m_events.schedule(x.attemptDeadline, AttemptTimeout, xi, x.attempt);
    nextCall(si);
}

void SimulationEngine::nextCall(std::uint32_t si) {
    Serve& s = m_serves[si];
    SimReplica& replica = m_fleet.replica(s.replica);
    if (s.nextCall >= replica.calls.size()) {
        m_events.schedule(m_events.now() + static_cast<SimTime>(s.plan.delay.count()) * 1000, ServeDone, si);
        return;
    }
    const std::uint32_t k = s.nextCall++;
    ++m_counters.calls;
    if (s.depth >= proxy::kMaxCallDepth) { // a call cycle: the sidecar refuses at once
        ++m_counters.failedCalls;
        nextCall(si);
        return;
    }
    const std::uint32_t ci = newExchange(Exchange::Kind::Call, replica.sidecar, si);
    Exchange& c = m_exchanges[ci];
    CallHeaders::forCall(replica.copies[k], s.carried, s.depth, s.requestId, c.headers);
    c.requestId = s.requestId;
    c.depth = s.depth + 1;
    // The call's request template takes the headers for the time of routing (and hashing).
    routing::Request& request = replica.callRequests[k];
    request.headers.swap(c.headers);
    m_fleet.table().route(request, m_rng, routing::Explain::No, c.decision);
    request.headers.swap(c.headers);
    start(ci, request); // may finish the call (and go on to the next one) before returning
}

void SimulationEngine::callDone(std::uint32_t si, int status) {
    if (status == 0 || status >= 500)
        ++m_counters.failedCalls;
    nextCall(si);
}

} // namespace sluice::traffic
