// SPDX-License-Identifier: Apache-2.0
// Http2Stream's way through the gateway, in Envoy's order as Http1Session takes it: routing
// decision, fault abort or delay, redirect / direct response, then attempts (connect, send, read
// the response head) under the route, per-try and gRPC timeouts, retried as the route's policy
// says, and the response relayed as HEADERS, flow-controlled DATA and trailers.

#include "cors_filter.h"
#include "grpc_protocol.h"
#include "http2_session.h"
#include "http2_stream.h"
#include "mirror_sender.h"
#include "request_identity.h"
#include "retry_state.h"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <nghttp2/nghttp2.h>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kResetBeforeHeaders =
    "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
constexpr std::string_view kConnectFailure =
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
/// Response payload buffered per stream at most, even when the client's window is larger.
constexpr std::size_t kMaxPending = 64 * 1024;

std::chrono::milliseconds positiveMillis(const std::optional<model::Duration>& d) {
    return d && d->nanos > 0
               ? std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(d->nanos))
               : std::chrono::milliseconds::zero();
}

} // namespace

void Http2Stream::start(std::shared_ptr<Http2Stream> stream, std::shared_ptr<Http2Session> session) {
    asio::io_context& context = session->worker().context(); // before `session` is moved away
    asio::co_spawn(context, serve(std::move(stream), std::move(session)), asio::detached);
}

asio::awaitable<void> Http2Stream::serve(std::shared_ptr<Http2Stream> self,
                                         std::shared_ptr<Http2Session> session) {
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
    co_await s.respond();
}

asio::awaitable<void> Http2Stream::sleepFor(std::chrono::milliseconds delay) {
    asio::steady_timer timer(m_session.worker().context());
    timer.expires_after(delay);
    error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> Http2Stream::respond() {
    const RequestHead& head = m_request.head();
    if (head.method == "CONNECT") { // Istio configures no CONNECT routes on a gateway: no route
        flag("NR");
        localReply(404, {}, nullptr);
        co_return;
    }
    m_config = m_session.worker().config(); // held while the stream lives: m_endpoint points into it
    const ServingConfigPtr& config = m_config;
    routing::Request request = toRoutingRequest(m_request, m_session.gatewayPort(), m_session.tls());
    if (m_session.tls()) // the connection's chain is the one its SNI picked, whatever :authority says
        request.sni = m_session.connection().serverName;
    m_decision = config->table->route(request, m_session.worker().rng(), routing::Explain::No);
    m_routed = true;
    const routing::Decision& d = m_decision;
    flag(d.responseFlag);
    if (d.cors && d.outcome != routing::Outcome::FaultAbort) { // the fault filter runs first
        CorsFilter::Outcome cors = CorsFilter::apply(*d.cors, head);
        m_responseExtra = std::move(cors.headers);
        if (cors.answerPreflight) {
            if (d.responseFlag == "DI" && d.fault.delay)
                co_await sleepFor(positiveMillis(d.fault.delay));
            localReply(200, {}, nullptr);
            co_return;
        }
    }
    switch (d.outcome) {
    case routing::Outcome::Forward: {
        const auto cluster = config->clusters.find(d.destination->cluster);
        if (cluster == config->clusters.end() || cluster->second.empty()) {
            localReply(503, "no healthy upstream", &d);
            co_return;
        }
        co_await forward(d, cluster->second, config->http2Clusters.contains(d.destination->cluster));
        co_return;
    }
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

asio::awaitable<void> Http2Stream::forward(const routing::Decision& d, const std::vector<Endpoint>& endpoints,
                                           bool h2) {
    ProxyWorker& worker = m_session.worker();
    if (d.responseFlag == "DI" && d.fault.delay)
        co_await sleepFor(positiveMillis(d.fault.delay));
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
    m_timeout = positiveMillis(d.timeout);
    if (m_grpc)
        m_timeout = GrpcProtocol::effectiveTimeout(
            m_timeout, GrpcProtocol::parseTimeout(m_request.header("grpc-timeout")));
    RetryState retries(d.retries);
    const auto perTryTimeout = positiveMillis(d.retries.perTryTimeout);
    const auto started = Clock::now();
    const Clock::time_point deadline = m_timeout.count() ? started + m_timeout : Clock::time_point::max();
    const Endpoint* previous = nullptr;
    bool freshAfterStale = false;
    const std::shared_ptr<Http2Stream> self = shared_from_this();
    for (;;) {
        // Envoy's previous_hosts predicate: a retry prefers an endpoint not tried yet.
        const Endpoint* endpoint = worker.pickEndpoint(endpoints);
        if (endpoint == previous && endpoints.size() > 1)
            endpoint = worker.pickEndpoint(endpoints);
        previous = endpoint;
        attemptStarted(d, *endpoint);
        const Clock::time_point attemptDeadline =
            perTryTimeout.count() ? std::min(deadline, Clock::now() + perTryTimeout) : deadline;
        const bool replayable = !m_trimmed;

        m_upstream.arm(attemptDeadline, self, &m_event);
        AttemptEnd end = AttemptEnd::ConnectFailure;
        if (h2) {
            end = co_await attemptH2(d, *endpoint, retries.attempt());
        } else if (co_await m_upstream.open(*endpoint, !replayable || freshAfterStale)) {
            const bool sent = co_await sendRequest(d, retries.attempt());
            if (!sent && m_upstream.reused() && !freshAfterStale && !m_upstream.expired() && !m_trimmed &&
                !gone()) {
                // A pooled connection the upstream had closed: once more on a fresh one, uncounted.
                m_upstream.disarm();
                freshAfterStale = true;
                attemptEnded(false, 0);
                continue;
            }
            end = AttemptEnd::Reset;
            if (sent && co_await m_upstream.readHead(m_request.head().method == "HEAD")) {
                end = AttemptEnd::Response;
                touch();
            } else if (m_upstream.expired())
                end = AttemptEnd::PerTryTimeout;
            m_upstream.disarm();
            if (end == AttemptEnd::Reset && m_upstream.reused() && !m_trimmed && !m_upstream.answered() &&
                !freshAfterStale && !gone()) {
                freshAfterStale = true; // closed by the upstream while idle in the pool
                attemptEnded(false, 0);
                continue;
            }
        } else if (m_upstream.expired()) {
            end = AttemptEnd::PerTryTimeout;
        }
        m_upstream.disarm();
        const int status = end != AttemptEnd::Response ? 0 : h2 ? h2Status() : m_upstream.head().status;
        attemptEnded(end == AttemptEnd::Response, status);
        if (gone()) { // reset by the client meanwhile: nobody to answer
            m_upstream.abort();
            abandonH2();
            co_return;
        }
        const bool overall = Clock::now() >= deadline;
        if (!overall && !m_trimmed && retries.retry(end, status)) {
            m_upstream.abort(); // the body of an answer we will not pass on
            abandonH2();
            co_await sleepFor(retries.backoff(worker.rng()));
            if (gone())
                co_return;
            continue;
        }
        if (end == AttemptEnd::Response) {
            if (retries.attempt() > 1 && retries.retriable(end, status))
                flag("URX"); // attempts ran out on a retriable answer
            if (h2)
                co_await relayH2(d, started);
            else
                co_await relay(d, started);
            co_return;
        }
        if (end == AttemptEnd::PerTryTimeout || overall) {
            flag("UT");
            localReply(504, "upstream request timeout", &d);
            co_return;
        }
        flag(end == AttemptEnd::ConnectFailure ? "UF" : "UC");
        if (retries.attempt() > 1)
            flag("URX");
        localReply(503, end == AttemptEnd::ConnectFailure ? kConnectFailure : kResetBeforeHeaders, &d);
        co_return;
    }
}

asio::awaitable<void> Http2Stream::relay(const routing::Decision& d, Clock::time_point started) {
    const ResponseHead& head = m_upstream.head();
    if (head.informational()) { // 101 has no meaning on HTTP/2
        m_upstream.abort();
        reset(NGHTTP2_PROTOCOL_ERROR);
        co_return;
    }
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    const auto millis = micros / 1000;
    if (m_recording) {
        m_record.status = head.status;
        m_record.upstreamMillis = millis;
        m_record.upstreamMicros = micros;
    }
    const bool bodyless = m_request.head().method == "HEAD" || head.status == 204 || head.status == 304;
    submit(Http2HeaderBlock::upstreamResponse(head, d.responseHeaders, millis, m_session.worker().date()),
           !bodyless);
    if (!co_await pumpBody()) {
        m_upstream.abort();
        reset(NGHTTP2_INTERNAL_ERROR); // the upstream broke off mid-response, as Envoy resets the stream
        co_return;
    }
    m_upstream.finish();
    // The rest of a request body the upstream did not wait for is nobody's business now.
    if (!m_requestEnded)
        discardBody();
}

asio::awaitable<bool> Http2Stream::pumpBody() {
    nghttp2_session* session = m_session.nghttp2();
    for (;;) {
        if (gone())
            co_return false;
        // Read no more than the client's window lets us send (bounded per stream).
        const std::int32_t window = std::min(nghttp2_session_get_stream_remote_window_size(session, m_id),
                                             nghttp2_session_get_remote_window_size(session));
        const std::size_t buffered = m_pending.size() - m_pendingPos;
        const std::size_t allowed =
            window > 0 ? std::min<std::size_t>(static_cast<std::size_t>(window), kMaxPending) : 0;
        if (buffered >= allowed) {
            co_await m_event.wait(); // a WINDOW_UPDATE, or the data provider took some
            continue;
        }
        if (m_pendingPos > 0 && m_pendingPos >= m_pending.size() / 2) {
            m_pending.erase(0, m_pendingPos);
            m_pendingPos = 0;
        }
        const UpstreamExchange::Body got = co_await m_upstream.readBody(m_pending, allowed - buffered);
        touch();
        if (got == UpstreamExchange::Body::Failed)
            co_return false;
        if (got == UpstreamExchange::Body::Done) {
            m_trailers = Http2HeaderBlock::trailers(m_upstream.trailers());
            m_responseEnded = true;
            resumeData();
            co_return true;
        }
        resumeData();
    }
}

} // namespace sluice::proxy
