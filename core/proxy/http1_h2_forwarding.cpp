// SPDX-License-Identifier: Apache-2.0
// Http1Session's requests to clusters of gRPC / HTTP2 Service ports: Istio gives those clusters
// http2_protocol_options, so Envoy speaks HTTP/2 (h2c, prior knowledge) to the endpoint whatever
// the client spoke. Same attempts as forward() (retries, route and per-try timeouts, outlier
// detection, circuit breakers, metrics), each a stream on a pooled UpstreamH2Connection; the
// response goes back to the client as HTTP/1.1, framed as Envoy's HTTP/1 codec frames it.

#include "asio_executor.h"
#include "async_event.h"
#include "h2_response_to_http1.h"
#include "http1_h2_stream.h"
#include "http1_session.h"
#include "metrics/metrics_shard.h"
#include "response_writers.h"
#include "stream_hold.h"
#include "upstream_failure.h"
#include "upstream_h2_pool.h"
#include "upstream_request_writer.h"

#include <array>
#include <charconv>

#include <nghttp2/nghttp2.h>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

/// Request payload handed to the upstream stream and not taken yet, at most, before more of a
/// streamed body is read from the client (the stream's window bounds what nghttp2 takes).
constexpr std::size_t kBodyAhead = 64 * 1024;

} // namespace

Awaitable<bool> Http1Session::forwardH2(const routing::Decision& d, Attempts& a, std::string_view body,
                                        bool replayable) {
    if (!m_h2)
        m_h2 = std::make_unique<Http1H2Stream>(m_worker.context().get_executor());
    Http1H2Stream& s = *m_h2;
    const bool clientKeepAlive = m_request.head().keepAlive;
    const bool chunked = m_request.head().chunked;
    m_requestCut = false;
    // The body at hand, as payload. A chunked body's trailers are dropped: Envoy's HTTP/1 codec
    // only parses them with http_protocol_options.enable_trailers, which Istio never sets.
    s.clearBody();
    if (!s.appendBody(body, chunked, true))
        co_return co_await localReply(400, "Bad Request", nullptr);
    if (replayable)
        s.endBody();
    for (;;) {
        if (!m_worker.serves(m_config) && followReload(d, a) == Reload::Gone)
            co_return co_await clusterGone(d, a);
        const ServedCluster& cluster = *a.cluster;
        ClusterState& state = *a.state;
        const std::optional<std::uint32_t> picked =
            m_worker.upstreams().select(cluster, state, {a.hash, &a.tried});
        if (!picked) { // every endpoint ejected
            flag("UH");
            co_return co_await localReply(503, "no healthy upstream", &d);
        }
        a.tried.add(*picked);
        const Endpoint& endpoint = cluster.endpoints()[*picked];
        m_endpoint = &endpoint;
        if (m_metrics)
            m_endpointSlot = m_metrics->attemptStarted(
                {d.destination->cluster, endpoint.workload, endpoint.address, endpoint.port});
        StreamHold hold(state, *picked);
        if (!hold.acquire()) { // a circuit breaker: never retried
            if (m_metrics)
                m_metrics->attemptEnded(m_endpointSlot, false);
            flag("UO");
            co_return co_await localReply(503, kUpstreamOverflow, &d);
        }
        bool reached = true;
        const AttemptEnd end = co_await attemptH2(d, endpoint, a, body.size(), replayable, reached);
        if (m_closeWatch.closed()) {
            s.abandon(); // Envoy resets the upstream stream
            co_return clientClosed();
        }
        const int status = end == AttemptEnd::Response ? s.status() : 0;
        const Verdict verdict = afterAttempt(d, state, a, *picked, end, status, reached, replayable,
                                             m_headBytes != 0 || replayable);
        switch (verdict.next) {
        case Next::Retry:
            s.abandon(); // the answer we will not pass on: its stream is cancelled
            hold.release();
            co_await sleepFor(a.retries.backoff(m_worker.rng()), true); // a retried request is all at hand
            state.breaker().release(CircuitBreaker::Resource::Retries);
            if (m_closeWatch.closed())
                co_return clientClosed(false);
            continue;
        case Next::Relay: {
            if (replayable) {
                consume(m_headBytes + body.size());
                m_headBytes = 0;
            }
            const bool relayed = co_await relayH2(d, a);
            const bool keepAlive = relayed && clientKeepAlive && !m_requestCut;
            co_return keepAlive;
        }
        case Next::Close:
            s.abandon();
            co_return false; // the body was streamed away: nothing left to answer cleanly
        case Next::Reply:
            break;
        }
        s.abandon();
        co_return co_await localReply(verdict.status, verdict.body, &d);
    }
}

Awaitable<AttemptEnd> Http1Session::attemptH2(const routing::Decision& d, const Endpoint& endpoint,
                                              Attempts& a, std::size_t bodyBytes, bool replayable,
                                              bool& reached) {
    Http1H2Stream& s = *m_h2;
    Clock::time_point attemptDeadline =
        a.perTryTimeout.count() ? std::min(a.deadline, Clock::now() + a.perTryTimeout) : a.deadline;
    // A streamed request is timed from its end (below), as Envoy does; a whole one from now on,
    // connecting included (the pool's connect timeout bounds the connect itself).
    m_upstreamExpired = false;
    if (replayable && attemptDeadline != Clock::time_point::max())
        armUpstreamTimer(s.event(), attemptDeadline);
    std::shared_ptr<UpstreamH2Connection> connection = co_await m_worker.h2Pool().get(endpoint);
    if (m_upstreamExpired) { // the per-try timeout passed while connecting: no upstream's fault
        disarmUpstreamTimer();
        reached = false;
        co_return AttemptEnd::PerTryTimeout;
    }
    if (!connection) {
        disarmUpstreamTimer();
        co_return AttemptEnd::ConnectFailure;
    }
    // The head the HTTP/1.1 path would send, as HTTP/2 fields: HTTP/2 frames the body itself, so
    // transfer-encoding and the connection-specific fields go (fromHttp1Request, the writer).
    m_out.clear();
    UpstreamRequestWriter::write(
        m_request.head(), d,
        {m_clientAddress, m_client.tls() ? "https" : "http", m_requestId, a.retries.attempt(), false}, m_out);
    if (!s.submit(std::move(connection), Http2HeaderBlock::fromHttp1Request(m_out, "http"))) {
        disarmUpstreamTimer();
        co_return AttemptEnd::Reset;
    }
    if (!replayable) { // the rest of the body streams through; no retry after that
        consume(m_headBytes + bodyBytes);
        m_headBytes = 0;
        const BodyStream streamed = co_await streamRequestBodyH2();
        if (streamed == BodyStream::Failed) {
            s.abandon();
            co_return AttemptEnd::Reset;
        }
        m_requestCut = streamed == BodyStream::Cut;
        // Envoy starts the route and per-try timeouts once the request is complete.
        if (a.routeTimeout.count())
            a.deadline = Clock::now() + a.routeTimeout;
        attemptDeadline =
            a.perTryTimeout.count() ? std::min(a.deadline, Clock::now() + a.perTryTimeout) : a.deadline;
        if (attemptDeadline != Clock::time_point::max())
            armUpstreamTimer(s.event(), attemptDeadline);
    }
    {
        // The watchdog may watch the client meanwhile (m_closeWatch).
        const AwaitedSlot awaiting(m_awaitedWake, &s.event());
        while (!s.headIn() && !s.closed() && !m_upstreamExpired && !m_closeWatch.closed())
            co_await s.event().wait();
    }
    disarmUpstreamTimer();
    if (s.headIn())
        co_return AttemptEnd::Response;
    const AttemptEnd end = s.closed() ? s.unansweredEnd() : AttemptEnd::PerTryTimeout;
    s.abandon();
    co_return end;
}

Awaitable<Http1Session::BodyStream> Http1Session::streamRequestBodyH2() {
    Http1H2Stream& s = *m_h2;
    const bool chunked = m_request.head().chunked;
    for (;;) {
        while (s.bodyUnsent() >= kBodyAhead && !s.headIn() && !s.closed())
            co_await s.event().wait();
        if (s.headIn() || s.closed())
            co_return BodyStream::Cut;
        if (!co_await readMore())
            co_return BodyStream::Failed;
        const auto step = m_request.parseBody({m_in.data(), m_inUsed});
        if (step.progress == Http1RequestParser::Progress::Failed ||
            !s.appendBody({m_in.data(), step.consumed}, chunked, false))
            co_return BodyStream::Failed;
        consume(step.consumed);
        if (step.progress == Http1RequestParser::Progress::Done) {
            s.endBody();
            co_return BodyStream::Done;
        }
    }
}

Awaitable<bool> Http1Session::relayH2(const routing::Decision& d, const Attempts& a) {
    Http1H2Stream& s = *m_h2;
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - a.started).count();
    const auto millis = micros / 1000;
    const RequestHead& request = m_request.head(); // its views are stale; its flags are not
    ResponseHead head;
    const Http1BodyFraming framing =
        H2ResponseToHttp1::convert(s.head(), {m_method == "HEAD", s.headEnds(), request.version}, head);
    m_out.clear();
    ResponseHeadWriter::write(head, d.responseHeaders, millis,
                              request.keepAlive && !head.closeDelimited && !m_requestCut &&
                                  !m_worker.draining(m_gatewayPort),
                              m_worker.date(), m_out);
    insertHeaderLines(m_out, m_responseExtra);
    if (!m_setCookie.empty()) // the cookie Envoy generated for consistent hashing
        insertHeaderLines(m_out, "set-cookie: " + m_setCookie + "\r\n");
    if (m_recording) {
        m_record.status = head.status;
        m_record.upstreamMillis = millis;
        m_record.upstreamMicros = micros;
        m_record.bytesSent = 0;
    }
    if (!co_await writeToClient(m_out)) {
        s.abandon();
        co_return clientClosed(false);
    }
    // The route timeout covers the body too (the per-try timeout stopped at the head): past it
    // the stream is cancelled and the client's connection closed, with flag UT.
    m_upstreamExpired = false;
    const bool timed = a.deadline != Clock::time_point::max() && !s.closed();
    if (timed)
        armUpstreamTimer(s.event(), a.deadline);
    const UpstreamTimerGuard disarm{timed ? this : nullptr};
    std::uint64_t sent = 0;
    bool chunkOpen = false; // a chunk's data went out without its closing CRLF (it leads the next line)
    std::array<char, 24> line{};
    for (;;) {
        if (s.hasData()) {
            const std::string_view data = s.takeData();
            if (framing != Http1BodyFraming::None) { // a body the client must not get (HEAD) is dropped
                std::string_view prefix;
                if (framing == Http1BodyFraming::Chunked) {
                    char* at = line.data();
                    if (chunkOpen) {
                        *at++ = '\r';
                        *at++ = '\n';
                    }
                    at = std::to_chars(at, line.data() + line.size() - 2, data.size(), 16).ptr;
                    *at++ = '\r';
                    *at++ = '\n';
                    prefix = {line.data(), static_cast<std::size_t>(at - line.data())};
                    chunkOpen = true;
                }
                if (!co_await writeToClient(prefix, data)) {
                    s.abandon();
                    co_return clientClosed(false);
                }
                sent += data.size();
                if (m_recording)
                    m_record.bytesSent += data.size();
            }
            s.consumed(data.size()); // only now may the upstream send as much again
            continue;
        }
        if (s.closed() || m_upstreamExpired)
            break;
        co_await s.event().wait();
    }
    if (!s.closed()) { // the route timeout passed mid-response
        flag("UT");
        s.abandon();
        co_return false;
    }
    // Reset after the head: the client's connection is closed, as a cut HTTP/1.1 body is.
    const bool complete =
        s.error() == 0 && (framing != Http1BodyFraming::Length || sent == head.contentLength);
    s.abandon();
    if (!complete)
        co_return false;
    if (framing == Http1BodyFraming::Chunked) {
        // The last chunk. HTTP/2 trailers are dropped, whatever the client's TE: Envoy's HTTP/1
        // codec writes trailers only with the listener's http_protocol_options.enable_trailers
        // (StreamEncoderImpl::encodeTrailersBase), and Istio sets only accept_http_10 there.
        const std::string_view last = chunkOpen ? std::string_view("\r\n0\r\n\r\n") : "0\r\n\r\n";
        if (!co_await writeToClient(last))
            co_return clientClosed(false);
    }
    co_return framing != Http1BodyFraming::UntilClose;
}

} // namespace sluice::proxy
