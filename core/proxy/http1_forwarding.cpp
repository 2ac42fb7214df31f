// SPDX-License-Identifier: Apache-2.0
// Http1Session's upstream side, in Envoy's order: fault delay, then attempts (connect, send, read
// the response head) under the route and per-try timeouts, retried as the route's retry policy
// says with jittered back-off, then the response streamed to the client.

#include "http1_session.h"
#include "immediate_write.h"
#include "metrics/metrics_shard.h"
#include "mirror_sender.h"
#include "request_hasher.h"
#include "request_identity.h"
#include "response_writers.h"
#include "retry_state.h"
#include "upstream_failure.h"
#include "upstream_request_writer.h"

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

std::chrono::nanoseconds positive(const std::optional<model::Duration>& d) {
    return d && d->nanos > 0 ? std::chrono::nanoseconds(d->nanos) : std::chrono::nanoseconds::zero();
}

} // namespace

asio::awaitable<void> Http1Session::sleepFor(std::chrono::milliseconds delay) {
    asio::steady_timer timer(m_worker.context());
    timer.expires_after(delay);
    error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

void Http1Session::armUpstreamTimer(tcp::socket& upstream, Clock::time_point at) {
    m_upstreamExpired = false;
    m_attemptDeadline = at;
    m_attemptUpstream = &upstream;
    if (m_upstreamWaitAt > at)
        waitUpstreamTimer(at);
}

void Http1Session::waitUpstreamTimer(Clock::time_point at) {
    m_upstreamWaitAt = at;
    const std::uint64_t generation = ++m_upstreamWaits;
    m_upstreamTimer.expires_at(at); // a pending later wait completes as cancelled: superseded
    m_upstreamTimer.async_wait([this, self = shared_from_this(), generation](const error_code& ec) {
        if (generation != m_upstreamWaits)
            return;
        m_upstreamWaitAt = Clock::time_point::max();
        if (ec || m_attemptDeadline == Clock::time_point::max())
            return; // closed, or no attempt in flight: the next one waits again
        if (Clock::now() < m_attemptDeadline) {
            waitUpstreamTimer(m_attemptDeadline); // a later attempt than the one this wait was for
            return;
        }
        m_upstreamExpired = true;
        m_attemptDeadline = Clock::time_point::max();
        error_code ignored;
        m_attemptUpstream->cancel(ignored);
    });
}

void Http1Session::disarmUpstreamTimer() {
    m_attemptDeadline = Clock::time_point::max();
    m_attemptUpstream = nullptr;
}

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

asio::awaitable<bool> Http1Session::forward(const routing::Decision& d, const ServedCluster& cluster) {
    // The version the request started on (a reload during the fault delay changes the worker's).
    ClusterState& state = m_worker.live().gateway().cluster(cluster.index());
    const RequestHead& head = m_request.head();
    m_method.assign(head.method);
    const bool clientKeepAlive = head.keepAlive;
    const std::string_view scheme = m_client.tls() ? "https" : "http";
    if (!m_logging) // with a log, beginRecord() made it already
        requestIdFor(head, m_worker.rng(), m_requestId);

    // Envoy's fault filter runs before the router: the delay holds the request, then it goes on.
    if (const auto delay = d.injectedDelay(); delay.count() > 0)
        co_await sleepFor(delay);

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

    RetryState retries(d.retries);
    const auto routeTimeout = positive(d.timeout);
    const auto perTryTimeout = positive(d.retries.perTryTimeout);
    const auto started = Clock::now();
    Clock::time_point deadline = routeTimeout.count() ? started + routeTimeout : Clock::time_point::max();
    m_setCookie.clear();
    const std::optional<std::uint64_t> hash =
        cluster.policy().hashed() ? hashFor(cluster) : std::optional<std::uint64_t>{};
    TriedEndpoints tried; // Envoy's previous_hosts predicate: a retry prefers an endpoint not tried yet
    std::optional<std::uint32_t> stale; // a pooled connection turned out closed: same endpoint, new one
    bool freshAfterStale = false;       // that happens once per request
    for (;;) {
        const std::optional<std::uint32_t> picked =
            stale ? stale : m_worker.upstreams().select(cluster, state, {hash, &tried});
        if (!picked) { // every endpoint ejected
            flag("UH");
            co_return co_await localReply(503, "no healthy upstream", &d);
        }
        tried.add(*picked);
        const Endpoint* endpoint = &cluster.endpoints()[*picked];
        m_endpoint = endpoint;
        if (m_metrics && !stale) // the attempt after a stale connection is the same attempt
            m_endpointSlot = m_metrics->attemptStarted(
                {d.destination->cluster, endpoint->workload, endpoint->address, endpoint->port});
        Clock::time_point attemptDeadline =
            perTryTimeout.count() ? std::min(deadline, Clock::now() + perTryTimeout) : deadline;

        // A replayable request can be sent again when a pooled connection turns out stale, so it
        // skips the probe (a syscall per request); a streamed one cannot, so it probes first, and
        // so does the attempt after a stale one.
        UpstreamLease lease;
        const auto pooled = co_await m_worker.upstreams().pool().acquire(
            cluster, state, *picked, attemptDeadline, !replayable || freshAfterStale, lease);
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
            tcp::socket& upstream = lease.socket();
            // A streamed request is timed from its end (below), as Envoy does.
            if (replayable && attemptDeadline != Clock::time_point::max())
                armUpstreamTimer(upstream, attemptDeadline);
            m_out.clear();
            UpstreamRequestWriter::write(
                head, d, {m_clientAddress, scheme, m_requestId, retries.attempt(), m_websocket}, m_out);
            const std::array<asio::const_buffer, 2> out{asio::buffer(m_out),
                                                        asio::buffer(buffered.data(), body.consumed)};
            error_code ec;
            if (const std::size_t now = writeImmediately(upstream, out); now < totalSize(out))
                co_await asio::async_write(upstream, skipBytes(out, now),
                                           asio::redirect_error(asio::use_awaitable, ec));
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
                if (routeTimeout.count())
                    deadline = Clock::now() + routeTimeout;
                attemptDeadline =
                    perTryTimeout.count() ? std::min(deadline, Clock::now() + perTryTimeout) : deadline;
                if (attemptDeadline != Clock::time_point::max())
                    armUpstreamTimer(upstream, attemptDeadline);
            }
            if (sent && co_await readResponseHead(upstream, used, headBytes))
                end = AttemptEnd::Response;
            else if (m_upstreamExpired)
                end = AttemptEnd::PerTryTimeout;
            disarmUpstreamTimer();
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
        if (lease || pooled == ConnectionPool::Result::ConnectFailed)
            state.outlier().report(*picked, outlierStatus(end, status), Clock::now());
        if (m_metrics)
            m_metrics->attemptEnded(m_endpointSlot, end == AttemptEnd::Response && status < 500);
        const bool overall = Clock::now() >= deadline;
        const bool wouldRetry = !overall && replayable && retries.attempt() <= d.retries.attempts &&
                                retries.retriable(end, status);
        // max_retries: a retry over the cluster's threshold is not made (upstream_rq_retry_overflow).
        const bool admitted = wouldRetry && state.breaker().tryAcquire(CircuitBreaker::Resource::Retries);
        if (wouldRetry && !admitted)
            flag("UO");
        if (admitted && retries.retry(end, status)) {
            lease.release(); // the body of an answer we will not pass on: the connection is dropped
            co_await sleepFor(retries.backoff(m_worker.rng()));
            state.breaker().release(CircuitBreaker::Resource::Retries);
            continue;
        }
        if (admitted)
            state.breaker().release(CircuitBreaker::Resource::Retries);
        if (end == AttemptEnd::Response) {
            if (retries.attempt() > 1 && retries.retriable(end, status))
                flag("URX"); // attempts ran out on a retriable answer
            if (replayable) {
                consume(m_headBytes + body.consumed);
                m_headBytes = 0;
            }
            m_responseStarted = started;
            bool reusable = false;
            const bool ok = co_await relayResponse(lease.socket(), d, used, headBytes, deadline, reusable);
            if (reusable)
                lease.keep();
            co_return ok&& clientKeepAlive;
        }
        if (m_headBytes == 0 && !replayable)
            co_return false; // the body was streamed away: nothing left to answer cleanly
        if (end == AttemptEnd::PerTryTimeout || overall) {
            flag("UT");
            co_return co_await localReply(504, "upstream request timeout", &d);
        }
        flag(end == AttemptEnd::ConnectFailure ? "UF" : "UC");
        if (retries.attempt() > 1)
            flag("URX");
        co_return co_await localReply(
            503, end == AttemptEnd::ConnectFailure ? kUpstreamConnectFailure : kUpstreamResetBeforeHeaders,
            &d);
    }
}

asio::awaitable<bool> Http1Session::streamRequestBody(tcp::socket& upstream) {
    for (;;) {
        if (!co_await readMore())
            co_return false;
        const auto step = m_request.parseBody({m_in.data(), m_inUsed});
        if (step.progress == Http1RequestParser::Progress::Failed)
            co_return false;
        error_code ec;
        co_await asio::async_write(upstream, asio::buffer(m_in.data(), step.consumed),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return false;
        consume(step.consumed);
        if (step.progress == Http1RequestParser::Progress::Done)
            co_return true;
    }
}

asio::awaitable<bool> Http1Session::readResponseHead(tcp::socket& upstream, std::size_t& used,
                                                     std::size_t& headBytes) {
    m_response.expect(m_method == "HEAD");
    m_response.reset();
    used = 0;
    for (;;) {
        error_code ec;
        const std::size_t n = co_await upstream.async_read_some(
            readRoom(m_up, used), asio::redirect_error(asio::use_awaitable, ec));
        if (ec || n == 0)
            co_return false;
        used += n;
        auto step = m_response.parseHead({m_up.data(), used});
        // Interim answers (100 Continue) are the gateway's business: it answered the client itself.
        while (step.progress == Http1ResponseParser::Progress::Done && m_response.head().informational() &&
               m_response.head().status != 101) {
            std::memmove(m_up.data(), m_up.data() + step.consumed, used - step.consumed);
            used -= step.consumed;
            m_response.reset();
            step = m_response.parseHead({m_up.data(), used});
        }
        if (step.progress == Http1ResponseParser::Progress::Failed)
            co_return false;
        if (step.progress == Http1ResponseParser::Progress::Done) {
            headBytes = step.consumed;
            co_return true;
        }
    }
}

asio::awaitable<bool> Http1Session::relayResponse(tcp::socket& upstream, const routing::Decision& d,
                                                  std::size_t used, std::size_t headBytes,
                                                  Clock::time_point deadline, bool& reusable) {
    const ResponseHead& head = m_response.head();
    if (head.status == 101 && m_websocket)
        co_return co_await tunnelUpgrade(upstream, d, used, headBytes);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - m_responseStarted).count();
    const auto millis = micros / 1000;
    const bool closeDelimited = head.closeDelimited;
    const bool upstreamKeepAlive = head.keepAlive;
    m_out.clear();
    ResponseHeadWriter::write(head, d.responseHeaders, millis,
                              m_request.head().keepAlive && !closeDelimited &&
                                  !m_worker.draining(m_gatewayPort),
                              m_worker.date(), m_out);
    insertHeaderLines(m_out, m_responseExtra);
    if (!m_setCookie.empty()) // the cookie Envoy generated for consistent hashing
        insertHeaderLines(m_out, "set-cookie: " + m_setCookie + "\r\n");
    auto body = m_response.parseBody({m_up.data() + headBytes, used - headBytes});
    if (body.progress == Http1ResponseParser::Progress::Failed)
        co_return false;
    if (m_recording) {
        m_record.status = head.status;
        m_record.upstreamMillis = millis;
        m_record.upstreamMicros = micros;
        m_record.bytesSent = body.consumed;
    }
    if (!co_await writeToClient(m_out, {m_up.data() + headBytes, body.consumed}))
        co_return false;
    std::size_t leftover = used - headBytes - body.consumed;
    // The route timeout covers the body too (the per-try timeout no longer applies once the
    // response has started): past it the upstream read is cancelled and the client's connection
    // closed, with flag UT (Envoy resets the downstream stream).
    const bool timed =
        deadline != Clock::time_point::max() && body.progress == Http1ResponseParser::Progress::NeedMore;
    if (timed)
        armUpstreamTimer(upstream, deadline);
    struct Disarm {
        Http1Session* session;
        ~Disarm() {
            if (session)
                session->disarmUpstreamTimer();
        }
    } disarm{timed ? this : nullptr};
    while (body.progress == Http1ResponseParser::Progress::NeedMore) {
        if (leftover)
            co_return false; // bytes the parser would not take: never pass on what we cannot frame
        error_code ec;
        const std::size_t n = co_await upstream.async_read_some(
            asio::buffer(m_up), asio::redirect_error(asio::use_awaitable, ec));
        if (ec || n == 0) {
            if (m_upstreamExpired) {
                flag("UT");
                co_return false;
            }
            // A close-delimited body ends with the connection, and so does ours; any other is cut.
            (void)m_response.finishAtEof();
            co_return false;
        }
        body = m_response.parseBody({m_up.data(), n});
        if (body.progress == Http1ResponseParser::Progress::Failed)
            co_return false;
        if (!co_await writeToClient({m_up.data(), body.consumed}))
            co_return false;
        m_record.bytesSent += body.consumed;
        leftover = n - body.consumed;
    }
    reusable = upstreamKeepAlive && !closeDelimited && leftover == 0;
    co_return !closeDelimited;
}

} // namespace sluice::proxy
