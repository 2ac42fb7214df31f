// SPDX-License-Identifier: Apache-2.0
// Http1Session's upstream side, in Envoy's order: fault delay, then attempts (connect, send, read
// the response head) under the route and per-try timeouts, retried as the route's retry policy
// says with jittered back-off; the response then goes to the client (http1_response_relay.cpp).

#include "asio_executor.h"
#include "http1_session.h"
#include "metrics/metrics_shard.h"
#include "mirror_sender.h"
#include "request_hasher.h"
#include "request_identity.h"
#include "response_writers.h"
#include "retry_state.h"
#include "route_timeouts.h"
#include "upstream_failure.h"
#include "upstream_request_writer.h"
#include "upstream_write.h"

#include <array>
#include <cstring>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

} // namespace

std::optional<std::uint64_t> Http1Session::hashFor(const ServedCluster& cluster) {
    const HashPolicy& policy = cluster.policy().hash;
    std::string connection;
    if (policy.source == HashPolicy::Source::Cookie) { // seeds a generated cookie, as Envoy's
        error_code ec;
        const auto remote = m_client.remote_endpoint(ec);
        const auto local = m_client.socket().local_endpoint(ec);
        connection = remote.address().to_string() + ":" + std::to_string(remote.port()) +
                     local.address().to_string() + ":" + std::to_string(local.port());
    }
    return RequestHasher::hash(policy, {m_request.head(), m_clientAddress, connection}, m_setCookie);
}

Http1Session::Reload Http1Session::followReload(const routing::Decision& d, Attempts& a) {
    const auto now = m_worker.clusterNow(d.destination->cluster, m_config);
    if (!now)
        return Reload::Same;
    m_endpoint = nullptr; // it pointed into the version just let go
    if (!now->cluster)
        return Reload::Gone;
    a.cluster = now->cluster;
    a.state = now->state;
    // a.hash stays: Envoy's router keeps the route it matched, and with it the hash policy (and
    // any cookie it generated) of the config the request arrived under.
    a.tried = TriedEndpoints{};
    return Reload::Moved;
}

Awaitable<bool> Http1Session::clusterGone(const routing::Decision& d, const Attempts& a) {
    const ClusterGoneReply reply = clusterGoneReply(a.retries.attempt());
    flag(reply.flag);
    co_return co_await localReply(503, reply.body, &d);
}

Awaitable<bool> Http1Session::forward(const routing::Decision& d, const ServedCluster& routed) {
    // The version the request was routed on; a reload during the fault delay or a back-off moves
    // each attempt to the worker's current one (followReload).
    ClusterState& routedState = m_worker.live().gateway().cluster(routed.index());
    const RequestHead& head = m_request.head();
    m_method.assign(head.method);
    const bool clientKeepAlive = head.keepAlive;
    const std::string_view scheme = m_client.tls() ? "https" : "http";
    if (!m_logging) // with a log, beginRecord() made it already
        requestIdFor(head, m_worker.rng(), m_requestId);

    // Envoy's fault filter runs before the router: the delay holds the request, then it goes on.
    if (const auto delay = d.injectedDelay(); delay.count() > 0) {
        // A request without a body is all at hand: the client may be watched while it is held.
        co_await sleepFor(delay, !head.hasBody());
        if (m_closeWatch.closed())
            co_return clientClosed(false);
    }

    const std::string_view buffered(m_in.data() + m_headBytes, m_inUsed - m_headBytes);
    const auto body = head.hasBody() ? m_request.parseBody(buffered)
                                     : Http1RequestParser::Step{Http1RequestParser::Progress::Done, 0};
    if (body.progress == Http1RequestParser::Progress::Failed)
        co_return co_await localReply(400, m_request.error().reason, nullptr);
    // A request is sent again only when all of it is still at hand (Envoy's retry buffer).
    const bool replayable = body.progress == Http1RequestParser::Progress::Done;
    if (!d.mirrors.empty() && replayable) // a body streamed through cannot be shadowed as well
        MirrorSender::shadow(m_worker, d, head, {buffered.data(), body.consumed},
                             {m_clientAddress, scheme, m_requestId, 1, false});

    Attempts a{RetryState(d.retries),
               timeoutOf(d.timeout),
               timeoutOf(d.retries.perTryTimeout),
               Clock::now(),
               Clock::time_point::max(),
               std::nullopt,
               {},
               &routed,
               &routedState};
    if (a.routeTimeout.count())
        a.deadline = a.started + a.routeTimeout;
    m_setCookie.clear();
    if (routed.policy().hashed())
        a.hash = hashFor(routed);
    // Istio's gRPC / HTTP2 ports get HTTP/2 whatever the client spoke. A WebSocket upgrade stays
    // on HTTP/1.1: over HTTP/2 it would take extended CONNECT (RFC 8441), which Envoy needs
    // allow_connect for and Istio does not configure on these clusters.
    if (!m_websocket && !m_config->http2Clusters.empty() &&
        m_config->http2Clusters.contains(d.destination->cluster))
        co_return co_await forwardH2(d, a, {buffered.data(), body.consumed}, replayable);
    std::optional<std::uint32_t> stale; // a pooled connection turned out closed: same endpoint, new one
    bool freshAfterStale = false;       // that happens once per request
    for (;;) {
        if (!m_worker.serves(m_config)) {
            if (followReload(d, a) == Reload::Gone)
                co_return co_await clusterGone(d, a);
            stale.reset();
        }
        const ServedCluster& cluster = *a.cluster;
        ClusterState& state = *a.state;
        const std::optional<std::uint32_t> picked =
            stale ? stale : m_worker.upstreams().select(cluster, state, {a.hash, &a.tried});
        if (!picked) { // every endpoint ejected
            flag("UH");
            co_return co_await localReply(503, "no healthy upstream", &d);
        }
        a.tried.add(*picked);
        const Endpoint* endpoint = &cluster.endpoints()[*picked];
        m_endpoint = endpoint;
        if (m_metrics && !stale) // the attempt after a stale connection is the same attempt
            m_endpointSlot = m_metrics->attemptStarted(
                {d.destination->cluster, endpoint->workload, endpoint->address, endpoint->port});
        Clock::time_point attemptDeadline =
            a.perTryTimeout.count() ? std::min(a.deadline, Clock::now() + a.perTryTimeout) : a.deadline;

        // A replayable request can be sent again when a pooled connection turns out stale, so it
        // skips the probe (a syscall per request); a streamed one cannot, so it probes first, and
        // so does the attempt after a stale one.
        UpstreamLease lease;
        const bool probe = !replayable || freshAfterStale;
        ConnectionPool& pool = m_worker.upstreams().pool();
        std::optional<ConnectionPool::Result> pooled =
            pool.acquireIdle(cluster, state, *picked, probe, lease);
        if (!pooled)
            pooled = co_await pool.acquire(cluster, state, *picked, attemptDeadline, probe, lease);
        if (pooled == ConnectionPool::Result::Overflow) { // a circuit breaker: never retried
            if (m_metrics)
                m_metrics->attemptEnded(m_endpointSlot, false);
            flag("UO");
            co_return co_await localReply(503, kUpstreamOverflow, &d);
        }
        AttemptEnd end = pooled == ConnectionPool::Result::Timeout ? AttemptEnd::PerTryTimeout
                                                                   : AttemptEnd::ConnectFailure;
        std::size_t used = 0, headBytes = 0;
        if (lease) {
            TcpSocket& upstream = lease.socket();
            // A streamed request is timed from its end (below), as Envoy does.
            if (replayable && attemptDeadline != Clock::time_point::max())
                armUpstreamTimer(upstream, attemptDeadline);
            m_out.clear();
            UpstreamRequestWriter::write(
                head, d, {m_clientAddress, scheme, m_requestId, a.retries.attempt(), m_websocket}, m_out);
            const WriteBuffers out{asio::buffer(m_out), asio::buffer(buffered.data(), body.consumed)};
            error_code ec;
            co_await writeUpstream(upstream, out, asio::redirect_error(useAwaitable, ec));
            if (ec && lease.reused() && !freshAfterStale && !m_upstreamExpired) {
                // A pooled connection the upstream had closed: once more on a fresh one, uncounted.
                disarmUpstreamTimer();
                stale = picked;
                freshAfterStale = true;
                continue;
            }
            end = AttemptEnd::Reset;
            bool sent = !ec;
            if (sent && !replayable) { // the rest of the body streams through; no retry after that
                consume(m_headBytes + body.consumed);
                m_headBytes = 0;
                sent = co_await streamRequestBody(upstream);
                // Envoy starts the route and per-try timeouts once the request is complete.
                if (a.routeTimeout.count())
                    a.deadline = Clock::now() + a.routeTimeout;
                attemptDeadline = a.perTryTimeout.count()
                                      ? std::min(a.deadline, Clock::now() + a.perTryTimeout)
                                      : a.deadline;
                if (attemptDeadline != Clock::time_point::max())
                    armUpstreamTimer(upstream, attemptDeadline);
            }
            if (sent && !m_closeWatch.closed()) {
                // The response head, awaited here: a coroutine around it would cost a frame a
                // request. Until it is in, the watchdog may watch the client (m_closeWatch): its
                // close cancels this read.
                m_response.expect(m_method == "HEAD");
                m_response.reset();
                const AwaitedSlot awaiting(m_awaitedUpstream, &upstream);
                auto progress = Http1ResponseParser::Progress::NeedMore;
                while (progress == Http1ResponseParser::Progress::NeedMore) {
                    const std::size_t n = co_await upstream.async_read_some(
                        readRoom(m_up, used), asio::redirect_error(useAwaitable, ec));
                    progress = ec || n == 0 ? Http1ResponseParser::Progress::Failed
                                            : takeResponseBytes(n, used, headBytes);
                }
                if (progress == Http1ResponseParser::Progress::Done)
                    end = AttemptEnd::Response;
            }
            if (end != AttemptEnd::Response && m_upstreamExpired)
                end = AttemptEnd::PerTryTimeout;
            disarmUpstreamTimer();
            if (m_closeWatch.closed())
                co_return clientClosed();
            if (end == AttemptEnd::Reset && lease.reused() && replayable && used == 0 && !freshAfterStale) {
                // Closed by the upstream while idle in the pool: nothing was answered, so the
                // request goes once more on a fresh connection, not counted as a retry.
                stale = picked;
                freshAfterStale = true;
                continue;
            }
        }
        stale.reset();
        const int status = end == AttemptEnd::Response ? m_response.head().status : 0;
        const Verdict verdict = afterAttempt(d, state, a, *picked, end, status,
                                             lease || pooled == ConnectionPool::Result::ConnectFailed,
                                             replayable, m_headBytes != 0 || replayable);
        switch (verdict.next) {
        case Next::Retry:
            lease.release(); // the body of an answer we will not pass on: the connection is dropped
            co_await sleepFor(a.retries.backoff(m_worker.rng()), true); // a retried request is all at hand
            state.breaker().release(CircuitBreaker::Resource::Retries);
            if (m_closeWatch.closed())
                co_return clientClosed(false);
            continue;
        case Next::Relay: {
            if (replayable) {
                consume(m_headBytes + body.consumed);
                m_headBytes = 0;
            }
            m_responseStarted = a.started;
            // The usual answer (head and body in one read, taken by the client's socket at once)
            // is relayed without a coroutine of its own.
            bool reusable = false;
            bool ok = false;
            Relay relay;
            if (m_response.head().status == 101 && m_websocket)
                ok = co_await tunnelUpgrade(lease.socket(), d, used, headBytes);
            else if (const std::optional<bool> done = startRelay(d, used, headBytes, relay, reusable))
                ok = *done;
            else
                ok = co_await relayRest(lease.socket(), relay, a.deadline, reusable);
            if (reusable)
                lease.keep();
            co_return ok&& clientKeepAlive;
        }
        case Next::Close:
            co_return false; // the body was streamed away: nothing left to answer cleanly
        case Next::Reply:
            break;
        }
        co_return co_await localReply(verdict.status, verdict.body, &d);
    }
}

Http1Session::Verdict Http1Session::afterAttempt(const routing::Decision& d, ClusterState& state, Attempts& a,
                                                 std::uint32_t endpoint, AttemptEnd end, int status,
                                                 bool reached, bool replayable, bool answerable) {
    const Clock::time_point now = Clock::now();
    if (reached)
        state.outlier().report(endpoint, outlierStatus(end, status), now);
    if (m_metrics)
        m_metrics->attemptEnded(m_endpointSlot, end == AttemptEnd::Response && status < 500);
    const bool overall = now >= a.deadline;
    RetryState& retries = a.retries;
    const bool wouldRetry =
        !overall && replayable && retries.attempt() <= d.retries.attempts && retries.retriable(end, status);
    // max_retries: a retry over the cluster's threshold is not made (upstream_rq_retry_overflow).
    const bool admitted = wouldRetry && state.breaker().tryAcquire(CircuitBreaker::Resource::Retries);
    if (wouldRetry && !admitted)
        flag("UO");
    if (admitted && retries.retry(end, status))
        return {Next::Retry, 0, {}};
    if (admitted)
        state.breaker().release(CircuitBreaker::Resource::Retries);
    if (end == AttemptEnd::Response) {
        if (retries.attempt() > 1 && retries.retriable(end, status))
            flag("URX"); // attempts ran out on a retriable answer
        return {Next::Relay, 0, {}};
    }
    if (!answerable)
        return {Next::Close, 0, {}};
    if (end == AttemptEnd::PerTryTimeout || overall) {
        flag("UT");
        return {Next::Reply, 504, "upstream request timeout"};
    }
    const AttemptFailureReply failure = attemptFailureReply(end);
    flag(failure.flag);
    if (retries.attempt() > 1)
        flag("URX");
    m_record.responseCodeDetails = failure.details;
    return {Next::Reply, 503, failure.body};
}

bool Http1Session::clientClosed(bool attemptInFlight) {
    if (m_metrics && attemptInFlight)
        m_metrics->attemptEnded(m_endpointSlot, false);
    flag("DC"); // Envoy's DownstreamConnectionTermination
    m_record.responseCodeDetails = "downstream_remote_disconnect";
    return false;
}

Awaitable<bool> Http1Session::streamRequestBody(TcpSocket& upstream) {
    for (;;) {
        if (!co_await readMore())
            co_return false;
        const auto step = m_request.parseBody({m_in.data(), m_inUsed});
        if (step.progress == Http1RequestParser::Progress::Failed)
            co_return false;
        error_code ec;
        co_await asio::async_write(upstream, asio::buffer(m_in.data(), step.consumed),
                                   asio::redirect_error(useAwaitable, ec));
        if (ec)
            co_return false;
        consume(step.consumed);
        if (step.progress == Http1RequestParser::Progress::Done)
            co_return true;
    }
}

Http1ResponseParser::Progress Http1Session::takeResponseBytes(std::size_t n, std::size_t& used,
                                                              std::size_t& headBytes) {
    used += n;
    const auto step = m_response.parseFinalHead(m_up.data(), used);
    if (step.progress == Http1ResponseParser::Progress::Done)
        headBytes = step.consumed;
    return step.progress;
}

} // namespace sluice::proxy
