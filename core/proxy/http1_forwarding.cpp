// SPDX-License-Identifier: Apache-2.0
// Http1Session's upstream side, in Envoy's order: fault delay, then attempts (connect, send, read
// the response head) under the route and per-try timeouts, retried as the route's retry policy
// says with jittered back-off, then the response streamed to the client.

#include "http1_session.h"
#include "mirror_sender.h"
#include "metrics/metrics_shard.h"
#include "request_identity.h"
#include "response_writers.h"
#include "retry_state.h"
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

constexpr std::string_view kResetBeforeHeaders =
    "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
constexpr std::string_view kConnectFailure =
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure";

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
    const std::uint64_t generation = ++m_upstreamTimerArmed;
    m_upstreamTimer.expires_at(at);
    m_upstreamTimer.async_wait(
        [this, self = shared_from_this(), &upstream, generation](const error_code& ec) {
            if (ec || generation != m_upstreamTimerArmed)
                return; // disarmed, or an older attempt's timer
            m_upstreamExpired = true;
            error_code ignored;
            upstream.cancel(ignored);
        });
}

void Http1Session::disarmUpstreamTimer() {
    ++m_upstreamTimerArmed;
    m_upstreamTimer.cancel();
}

asio::awaitable<std::optional<tcp::socket>> Http1Session::connect(const Endpoint& endpoint, bool probe,
                                                                   bool& reused) {
    if (auto pooled = m_worker.pool().take(endpoint, probe)) {
        reused = true;
        co_return std::move(pooled);
    }
    reused = false;
    tcp::socket socket(m_worker.context());
    error_code ec;
    const tcp::endpoint to(asio::ip::make_address(endpoint.address, ec), endpoint.port);
    if (!ec)
        co_await socket.async_connect(to, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return std::nullopt;
    socket.set_option(tcp::no_delay(true), ec);
    co_return std::move(socket);
}

asio::awaitable<bool> Http1Session::forward(const routing::Decision& d,
                                            const std::vector<Endpoint>& endpoints) {
    const RequestHead& head = m_request.head();
    m_method.assign(head.method);
    const bool clientKeepAlive = head.keepAlive;
    if (!m_logging) // with a log, beginRecord() made it already
        requestIdFor(head, m_worker.rng(), m_requestId);

    // Envoy's fault filter runs before the router: the delay holds the request, then it goes on.
    if (d.responseFlag == "DI" && d.fault.delay)
        co_await sleepFor(std::chrono::duration_cast<std::chrono::milliseconds>(positive(d.fault.delay)));

    const std::string_view buffered(m_in.data() + m_headBytes, m_inUsed - m_headBytes);
    const auto body = head.hasBody() ? m_request.parseBody(buffered)
                                     : Http1RequestParser::Step{Http1RequestParser::Progress::Done, 0};
    if (body.progress == Http1RequestParser::Progress::Failed)
        co_return co_await localReply(400, m_request.error().reason, nullptr);
    // A request is sent again only when all of it is still at hand (Envoy's retry buffer).
    const bool replayable = body.progress == Http1RequestParser::Progress::Done;
    if (!d.mirrors.empty() && replayable) // a body streamed through cannot be shadowed as well
        MirrorSender::shadow(m_worker, d, head, {buffered.data(), body.consumed},
                             {m_clientAddress, "http", m_requestId, 1, false});

    RetryState retries(d.retries);
    const auto routeTimeout = positive(d.timeout);
    const auto perTryTimeout = positive(d.retries.perTryTimeout);
    const auto started = Clock::now();
    const Clock::time_point deadline =
        routeTimeout.count() ? started + routeTimeout : Clock::time_point::max();
    const Endpoint* previous = nullptr;
    bool freshAfterStale = false;
    for (;;) {
        // Envoy's previous_hosts predicate: a retry prefers an endpoint not tried yet.
        const Endpoint* endpoint = m_worker.pickEndpoint(endpoints);
        if (endpoint == previous && endpoints.size() > 1)
            endpoint = m_worker.pickEndpoint(endpoints);
        previous = endpoint;
        m_endpoint = endpoint;
        if (m_metrics)
            m_endpointSlot = m_metrics->attemptStarted(
                {d.destination->cluster, endpoint->workload, endpoint->address, endpoint->port});
        const Clock::time_point attemptDeadline =
            perTryTimeout.count() ? std::min(deadline, Clock::now() + perTryTimeout) : deadline;

        // A replayable request can be sent again when a pooled connection turns out stale, so it
        // skips the probe (a syscall per request); a streamed one cannot, so it probes first, and
        // so does the attempt after a stale one.
        bool reused = false;
        std::optional<tcp::socket> upstream = co_await connect(*endpoint, !replayable || freshAfterStale, reused);
        AttemptEnd end = AttemptEnd::ConnectFailure;
        std::size_t used = 0, headBytes = 0;
        if (upstream) {
            if (attemptDeadline != Clock::time_point::max())
                armUpstreamTimer(*upstream, attemptDeadline);
            m_out.clear();
            UpstreamRequestWriter::write(head, d,
                                         {m_clientAddress, m_client.tls() ? "https" : "http", m_requestId,
                                          retries.attempt(), m_websocket},
                                         m_out);
            const std::array<asio::const_buffer, 2> out{asio::buffer(m_out),
                                                        asio::buffer(buffered.data(), body.consumed)};
            error_code ec;
            co_await asio::async_write(*upstream, out, asio::redirect_error(asio::use_awaitable, ec));
            if (ec && reused && !freshAfterStale && !m_upstreamExpired) {
                // A pooled connection the upstream had closed: once more on a fresh one, uncounted.
                disarmUpstreamTimer();
                freshAfterStale = true;
                continue;
            }
            end = AttemptEnd::Reset;
            bool sent = !ec;
            if (sent && !replayable) { // the rest of the body streams through; no retry after that
                consume(m_headBytes + body.consumed);
                m_headBytes = 0;
                sent = co_await streamRequestBody(*upstream);
            }
            if (sent && co_await readResponseHead(*upstream, used, headBytes))
                end = AttemptEnd::Response;
            else if (m_upstreamExpired)
                end = AttemptEnd::PerTryTimeout;
            disarmUpstreamTimer();
            if (end == AttemptEnd::Reset && reused && replayable && used == 0 && !freshAfterStale) {
                // Closed by the upstream while idle in the pool: nothing was answered, so the
                // request goes once more on a fresh connection, not counted as a retry.
                freshAfterStale = true;
                continue;
            }
        }
        const int status = end == AttemptEnd::Response ? m_response.head().status : 0;
        if (m_metrics)
            m_metrics->attemptEnded(m_endpointSlot, end == AttemptEnd::Response && status < 500);
        const bool overall = Clock::now() >= deadline;
        if (!overall && replayable && retries.retry(end, status)) {
            if (end == AttemptEnd::Response) {
                error_code ignored; // the body of an answer we will not pass on: drop the connection
                upstream->close(ignored);
            }
            co_await sleepFor(retries.backoff(m_worker.rng()));
            continue;
        }
        if (end == AttemptEnd::Response) {
            if (retries.attempt() > 1 && retries.retriable(end, status))
                flag("URX"); // attempts ran out on a retriable answer
            if (replayable) {
                consume(m_headBytes + body.consumed);
                m_headBytes = 0;
            }
            m_responseStarted = started;
            bool reusable = false;
            const bool ok = co_await relayResponse(*upstream, d, used, headBytes, reusable);
            if (reusable)
                m_worker.pool().giveBack(*endpoint, std::move(*upstream));
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
            503, end == AttemptEnd::ConnectFailure ? kConnectFailure : kResetBeforeHeaders, &d);
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
                                                  std::size_t used, std::size_t headBytes, bool& reusable) {
    const ResponseHead& head = m_response.head();
    if (head.status == 101 && m_websocket)
        co_return co_await tunnelUpgrade(upstream, d, used, headBytes);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - m_responseStarted).count();
    const auto millis = micros / 1000;
    const bool closeDelimited = head.closeDelimited;
    const bool upstreamKeepAlive = head.keepAlive;
    m_out.clear();
    ResponseHeadWriter::write(head, d.responseHeaders, millis, m_request.head().keepAlive && !closeDelimited,
                              m_worker.date(), m_out);
    insertHeaderLines(m_out, m_responseExtra);
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
    while (body.progress == Http1ResponseParser::Progress::NeedMore) {
        if (leftover)
            co_return false; // bytes the parser would not take: never pass on what we cannot frame
        error_code ec;
        const std::size_t n = co_await upstream.async_read_some(
            asio::buffer(m_up), asio::redirect_error(asio::use_awaitable, ec));
        if (ec || n == 0) {
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
