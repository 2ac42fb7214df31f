// SPDX-License-Identifier: Apache-2.0
// Http2Stream's way through the gateway, in Envoy's order as Http1Session takes it: routing
// decision, fault abort or delay, redirect / direct response, then attempts (connect, send, read
// the response head) under the route, per-try and gRPC timeouts, retried as the route's policy
// says, and the response relayed as HEADERS, flow-controlled DATA and trailers.

#include "asio_executor.h"
#include "cors_filter.h"
#include "grpc_protocol.h"
#include "http2_session.h"
#include "http2_stream.h"
#include "mirror_sender.h"
#include "proxy_worker.h"
#include "request_hasher.h"
#include "request_identity.h"
#include "retry_state.h"
#include "route_timeouts.h"
#include "stream_hold.h"
#include "upstream_failure.h"

#include <algorithm>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nghttp2/nghttp2.h>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

std::chrono::milliseconds timeoutMillis(const std::optional<model::Duration>& d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(timeoutOf(d));
}

} // namespace

void Http2Stream::start(std::shared_ptr<Http2Stream> stream, std::shared_ptr<Http2Session> session) {
    asio::io_context& context = session->worker().context(); // before `session` is moved away
    asio::co_spawn(context, serve(std::move(stream), std::move(session)), asio::detached);
}

Awaitable<void> Http2Stream::serve(std::shared_ptr<Http2Stream> self, std::shared_ptr<Http2Session> session) {
    Http2Stream& s = *self;
    if (s.gone())
        co_return; // reset before its turn came
    s.m_request.complete();
    s.m_grpc = GrpcProtocol::isGrpcContentType(s.m_request.header("content-type"));
    const RequestHead& head = s.m_request.head();
    requestIdFor(head, session->worker().rng(), s.m_requestId);
    if (s.m_recording) { // written when the stream closes, as Envoy logs a stream once it is done
        s.m_started = Clock::now();
        s.m_recordOpen = true;
    }
    if (s.m_logging) {
        RequestRecord& r = s.m_record;
        r.start = std::chrono::system_clock::now();
        r.method.assign(head.method);
        r.path.assign(head.target);
        r.protocol = "HTTP/2";
        r.authority.assign(head.host);
        r.userAgent.assign(s.m_request.header("user-agent"));
        r.forwardedFor.assign(s.m_request.header("x-forwarded-for"));
        r.requestId = s.m_requestId;
        r.downstreamRemoteAddress = session->connection().remote;
        r.downstreamLocalAddress = session->connection().local;
    }
    const ServedCluster* cluster = nullptr;
    const Routing how = s.route(cluster);
    if (how != Routing::Forward) {
        co_await s.respond(how);
        co_return;
    }
    const routing::Decision& d = s.m_decision;
    co_await s.forward(d, *cluster, session->worker().live().gateway().cluster(cluster->index()),
                       s.m_config->http2Clusters.contains(d.destination->cluster));
}

Awaitable<void> Http2Stream::sleepFor(std::chrono::milliseconds delay) {
    SteadyTimer timer(m_session.worker().context());
    timer.expires_after(delay);
    error_code ec;
    co_await timer.async_wait(asio::redirect_error(useAwaitable, ec));
}

Http2Stream::Routing Http2Stream::route(const ServedCluster*& cluster) {
    const RequestHead& head = m_request.head();
    if (head.method == "CONNECT") // Istio configures no CONNECT routes on a gateway
        return Routing::Connect;
    m_config = m_session.worker().config(); // held while the stream lives: m_endpoint points into it
    routing::Request& request = m_session.routingScratch();
    fillRoutingRequest(head, m_session.gatewayPort(), m_session.tls(), request);
    if (m_session.tls()) // the connection's chain is the one its SNI picked, whatever :authority says
        request.sni = m_session.connection().serverName;
    m_config->table->route(request, m_session.worker().rng(), routing::Explain::No, m_decision);
    m_routed = true;
    const routing::Decision& d = m_decision;
    flag(d.responseFlag);
    if (d.cors && d.outcome != routing::Outcome::FaultAbort) { // the fault filter runs first
        CorsFilter::Outcome cors = CorsFilter::apply(*d.cors, head);
        m_responseExtra = std::move(cors.headers);
        if (cors.answerPreflight)
            return Routing::Preflight;
    }
    // The version m_config holds (config() just refreshed the worker's to it).
    cluster = d.outcome == routing::Outcome::Forward
                  ? m_session.worker().live().clusters().find(d.destination->cluster)
                  : nullptr;
    if (cluster && cluster->endpoints().empty())
        cluster = nullptr;
    return cluster ? Routing::Forward : Routing::Local;
}

Awaitable<void> Http2Stream::respond(Routing how) {
    if (how == Routing::Connect) { // no route
        flag("NR");
        localReply(404, {}, nullptr);
        co_return;
    }
    const routing::Decision& d = m_decision;
    // The fault filter's delay comes before the router's local replies and a drawn abort too
    // (forward() holds a forwarded request itself).
    if (how == Routing::Preflight) {
        if (const auto delay = d.injectedDelay(); delay.count() > 0)
            co_await sleepFor(delay);
        localReply(200, {}, nullptr);
        co_return;
    }
    if (const auto delay = d.injectedDelay(); delay.count() > 0) {
        co_await sleepFor(delay);
        if (gone())
            co_return;
    }
    switch (d.outcome) {
    case routing::Outcome::Forward: // to a cluster without endpoints
        flag("UH");
        localReply(503, "no healthy upstream", &d);
        co_return;
    case routing::Outcome::Redirect:
        localReply(d.status, {}, &d, d.location);
        co_return;
    case routing::Outcome::DirectResponse:
        localReply(d.status, d.body, &d);
        co_return;
    case routing::Outcome::FaultAbort:
        localReply(d.status, "fault filter abort", &d);
        co_return;
    case routing::Outcome::NoHealthyUpstream:
        localReply(503, "no healthy upstream", &d);
        co_return;
    case routing::Outcome::ClusterNotFound:
    case routing::Outcome::NoRoute:
        localReply(d.status, {}, &d);
        co_return;
    case routing::Outcome::ConnectionRefused:
    case routing::Outcome::ConnectionReset:
        break;
    }
    reset(NGHTTP2_REFUSED_STREAM);
}

Awaitable<void> Http2Stream::forward(const routing::Decision& d, const ServedCluster& routedCluster,
                                     ClusterState& routedState, bool h2) {
    ProxyWorker& worker = m_session.worker();
    if (const auto delay = d.injectedDelay(); delay.count() > 0)
        co_await sleepFor(delay);
    if (gone())
        co_return;
    if (m_request.head().expectContinue && !m_requestEnded)
        submitContinue(); // Envoy answers Expect: 100-continue itself
    if (!d.mirrors.empty()) {
        // Envoy's router buffers the body of a shadowed request: wait for all of it, within what
        // the stream's window lets the client send (a larger body streams and is not shadowed).
        const auto limit = std::min<std::uint64_t>(
            kRetryBuffer, static_cast<std::uint64_t>(m_session.settings().streamWindow));
        while (!m_requestEnded && m_received < limit && !gone())
            co_await m_event.wait();
        if (gone())
            co_return;
        if (m_requestEnded)
            shadow(d);
    }

    // gRPC: Istio sets max_grpc_timeout to the route timeout, so grpc-timeout rules, capped by it.
    m_timeout = timeoutMillis(d.timeout);
    if (m_grpc)
        m_timeout = GrpcProtocol::effectiveTimeout(
            m_timeout, GrpcProtocol::parseTimeout(m_request.header("grpc-timeout")));
    RetryState retries(d.retries);
    const auto perTryTimeout = timeoutMillis(d.retries.perTryTimeout);
    const auto started = Clock::now();
    const Clock::time_point deadline = m_timeout.count() ? started + m_timeout : Clock::time_point::max();
    const ServedCluster* cluster = &routedCluster;
    ClusterState* state = &routedState;
    std::optional<std::uint64_t> hash =
        cluster->policy().hashed() ? hashFor(*cluster) : std::optional<std::uint64_t>{};
    TriedEndpoints tried; // Envoy's previous_hosts predicate: a retry prefers an endpoint not tried yet
    std::optional<std::uint32_t> stale; // a pooled connection turned out closed: same endpoint, new one
    bool freshAfterStale = false;       // that happens once per request
    for (;;) {
        if (const auto now = worker.serves(m_config) ? std::nullopt
                                                     : worker.clusterNow(d.destination->cluster, m_config)) {
            // A reload since the last attempt: this one goes to the cluster as it is now.
            m_endpoint = nullptr; // it pointed into the version just let go
            if (!now->cluster) {
                const ClusterGoneReply reply = clusterGoneReply(retries.attempt());
                flag(reply.flag);
                localReply(503, reply.body, &d);
                co_return;
            }
            cluster = now->cluster;
            state = now->state;
            // `hash` stays: Envoy's router keeps the route it matched, and with it the hash
            // policy (and any cookie it generated) of the config the request arrived under.
            h2 = m_config->http2Clusters.contains(d.destination->cluster);
            tried = TriedEndpoints{};
            stale.reset();
        }
        const std::optional<std::uint32_t> picked =
            stale ? stale : worker.upstreams().select(*cluster, *state, {hash, &tried});
        if (!picked) { // every endpoint ejected
            flag("UH");
            localReply(503, "no healthy upstream", &d);
            co_return;
        }
        tried.add(*picked);
        const Endpoint& endpoint = cluster->endpoints()[*picked];
        if (!stale) // the attempt after a stale connection is the same attempt
            attemptStarted(d, endpoint);
        stale.reset();
        const Clock::time_point attemptDeadline =
            perTryTimeout.count() ? std::min(deadline, Clock::now() + perTryTimeout) : deadline;
        const bool replayable = !m_trimmed;

        m_upstream.arm(attemptDeadline, &m_event);
        AttemptEnd end = AttemptEnd::ConnectFailure;
        bool connected = true;          // an attempt that reached no upstream is no outlier signal
        std::optional<StreamHold> hold; // an HTTP/2 attempt's stream, counted while it lives
        if (h2) {
            if (!hold.emplace(*state, *picked).acquire()) { // a circuit breaker: never retried
                m_upstream.disarm();
                attemptEnded(false, 0);
                flag("UO");
                localReply(503, kUpstreamOverflow, &d);
                co_return;
            }
            end = co_await attemptH2(d, endpoint, retries.attempt());
        } else {
            const bool probe = !replayable || freshAfterStale;
            std::optional<ConnectionPool::Result> pooled =
                m_upstream.openIdle(*cluster, *state, *picked, probe);
            if (!pooled)
                pooled = co_await m_upstream.open(*cluster, *state, *picked, attemptDeadline, probe);
            if (pooled == ConnectionPool::Result::Overflow) { // a circuit breaker: never retried
                m_upstream.disarm();
                m_upstream.finish();
                attemptEnded(false, 0);
                flag("UO");
                localReply(503, kUpstreamOverflow, &d);
                co_return;
            }
            if (pooled == ConnectionPool::Result::Ready) {
                const Framing framing = upstreamFraming();
                writeUpstreamHead(d, retries.attempt(), framing);
                // The head is read here: see UpstreamExchange::beginHead.
                m_upstream.beginHead(m_request.head().method == "HEAD");
                auto progress = Http1ResponseParser::Progress::NeedMore;
                bool sent = false;
                if (m_requestEnded && framing == Framing::None) {
                    // No body (most requests): the head's write and the answer's first read are
                    // one operation.
                    error_code ec;
                    const std::size_t n = co_await m_upstream.writeThenRead(m_out, ec);
                    sent = m_upstream.sent();
                    if (sent)
                        progress = m_upstream.takeHead(ec, n);
                } else {
                    sent = co_await sendHeadAndBody(framing);
                }
                if (!sent && m_upstream.reused() && !freshAfterStale && !m_upstream.expired() && !m_trimmed &&
                    !gone()) {
                    // A pooled connection the upstream had closed: once more on a fresh one, uncounted.
                    m_upstream.disarm();
                    stale = picked;
                    freshAfterStale = true;
                    continue;
                }
                end = AttemptEnd::Reset;
                if (sent) {
                    while (progress == Http1ResponseParser::Progress::NeedMore) {
                        TcpSocket* connection = m_upstream.connection();
                        if (!connection)
                            break;
                        error_code ec;
                        const std::size_t n = co_await connection->async_read_some(
                            m_upstream.headRoom(), asio::redirect_error(useAwaitable, ec));
                        progress = m_upstream.takeHead(ec, n);
                    }
                    if (progress == Http1ResponseParser::Progress::Done) {
                        end = AttemptEnd::Response;
                        touch();
                    }
                }
                if (end != AttemptEnd::Response && m_upstream.expired())
                    end = AttemptEnd::PerTryTimeout;
                if (end != AttemptEnd::Response)
                    m_upstream.disarm();
                if (end == AttemptEnd::Reset && m_upstream.reused() && !m_trimmed && !m_upstream.answered() &&
                    !freshAfterStale && !gone()) {
                    stale = picked; // closed by the upstream while idle in the pool
                    freshAfterStale = true;
                    continue;
                }
            } else {
                connected = pooled == ConnectionPool::Result::ConnectFailed;
                end = pooled == ConnectionPool::Result::Timeout || m_upstream.expired()
                          ? AttemptEnd::PerTryTimeout
                          : AttemptEnd::ConnectFailure;
            }
        }
        // An answer to relay keeps its attempt's timer: relay() moves it on to the route deadline
        // before anything can wait (no cancellation and new wait per request).
        if (end != AttemptEnd::Response)
            m_upstream.disarm();
        const int status = end != AttemptEnd::Response ? 0 : h2 ? h2Status() : m_upstream.head().status;
        if (connected && !gone())
            state->outlier().report(*picked, outlierStatus(end, status), Clock::now());
        attemptEnded(end == AttemptEnd::Response, status);
        if (gone()) { // reset by the client meanwhile: nobody to answer
            m_upstream.abort();
            m_upstream.finish();
            abandonH2();
            co_return;
        }
        const bool overall = Clock::now() >= deadline;
        const bool wouldRetry = !overall && !m_trimmed && retries.attempt() <= d.retries.attempts &&
                                retries.retriable(end, status);
        // max_retries: a retry over the cluster's threshold is not made (upstream_rq_retry_overflow).
        const bool admitted = wouldRetry && state->breaker().tryAcquire(CircuitBreaker::Resource::Retries);
        if (wouldRetry && !admitted)
            flag("UO");
        if (admitted && retries.retry(end, status)) {
            m_upstream.disarm();
            m_upstream.abort(); // the body of an answer we will not pass on
            m_upstream.finish();
            abandonH2();
            hold.reset();
            co_await sleepFor(retries.backoff(worker.rng()));
            state->breaker().release(CircuitBreaker::Resource::Retries);
            if (gone())
                co_return;
            continue;
        }
        if (admitted)
            state->breaker().release(CircuitBreaker::Resource::Retries);
        if (end == AttemptEnd::Response) {
            if (retries.attempt() > 1 && retries.retriable(end, status))
                flag("URX"); // attempts ran out on a retriable answer
            if (h2)
                co_await relayH2(d, started, deadline);
            else
                co_await relay(d, started, deadline);
            co_return;
        }
        if (end == AttemptEnd::PerTryTimeout || overall) {
            flag("UT");
            localReply(504, "upstream request timeout", &d);
            co_return;
        }
        const AttemptFailureReply failure = attemptFailureReply(end);
        flag(failure.flag);
        if (retries.attempt() > 1)
            flag("URX");
        m_record.responseCodeDetails = failure.details;
        localReply(503, failure.body, &d);
        co_return;
    }
}

std::optional<std::uint64_t> Http2Stream::hashFor(const ServedCluster& cluster) {
    const HashPolicy& policy = cluster.policy().hash;
    const ConnectionInfo& c = m_session.connection();
    // A generated cookie's value hashes the connection's addresses, as Envoy's.
    const std::string connection =
        policy.source == HashPolicy::Source::Cookie ? c.remote + c.local : std::string{};
    return RequestHasher::hash(policy, {m_request.head(), c.clientAddress, connection}, m_setCookie);
}

} // namespace sluice::proxy
