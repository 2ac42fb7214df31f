// SPDX-License-Identifier: Apache-2.0
#include "http1_session.h"

#include "asio_executor.h"
#include "async_event.h"
#include "coarse_clock.h"
#include "http1_h2_stream.h"
#include "http2_session.h"
#include "immediate_write.h"
#include "request_identity.h"
#include "request_recording.h"
#include "response_writers.h"
#include "routing/response_flags.h"
#include "upstream_request_writer.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
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

Http1Session::Http1Session(ProxyWorker& worker, ClientStream client, std::uint32_t gatewayPort)
    : m_worker(worker)
    , m_client(std::move(client))
    , m_gatewayPort(gatewayPort)
    , m_watchdog(worker.context())
    , m_upstreamTimer(worker.context())
    , m_closeWatch(worker.context().get_executor())
    , m_request(worker.options().limits)
    , m_response(worker.options().limits)
    , m_logging(worker.options().accessLog != nullptr)
    , m_metrics(worker.metrics())
    , m_recording(m_logging || m_metrics) {
    error_code ec;
    const auto remote = m_client.remote_endpoint(ec);
    m_clientAddress = ec ? "127.0.0.1" : remote.address().to_string();
    if (m_logging) {
        m_record.downstreamRemoteAddress = m_clientAddress + ":" + std::to_string(ec ? 0 : remote.port());
        const auto local = m_client.socket().local_endpoint(ec);
        if (!ec)
            m_record.downstreamLocalAddress =
                local.address().to_string() + ":" + std::to_string(local.port());
    }
    m_client.set_option(tcp::no_delay(true), ec);
    m_in.resize(kReadChunk);
    m_up.resize(kReadChunk);
    ++m_worker.connections;
}

Http1Session::~Http1Session() {
    --m_worker.connections;
}

Awaitable<void> Http1Session::sleepFor(std::chrono::milliseconds delay, bool watchClient) {
    SteadyTimer timer(m_worker.context());
    timer.expires_after(delay);
    const AwaitedSlot awaiting(m_awaitedTimer, watchClient ? &timer : nullptr);
    error_code ec;
    co_await timer.async_wait(asio::redirect_error(useAwaitable, ec));
}

void Http1Session::armUpstreamTimer(TcpSocket& upstream, Clock::time_point at) {
    m_upstreamExpired = false;
    m_attemptDeadline = at;
    m_attemptUpstream = &upstream;
    if (m_upstreamWaitAt > at)
        waitUpstreamTimer(at);
}

void Http1Session::armUpstreamTimer(AsyncEvent& wake, Clock::time_point at) {
    m_upstreamExpired = false;
    m_attemptDeadline = at;
    m_attemptUpstream = nullptr;
    m_attemptWake = &wake;
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
        if (m_attemptUpstream)
            m_attemptUpstream->cancel(ignored);
        if (m_attemptWake)
            m_attemptWake->notify();
    });
}

void Http1Session::disarmUpstreamTimer() {
    m_attemptDeadline = Clock::time_point::max();
    m_attemptUpstream = nullptr;
    m_attemptWake = nullptr;
}

void Http1Session::close() {
    if (m_closed)
        return;
    m_closed = true;
    error_code ignored;
    m_client.shutdown(TcpSocket::shutdown_both, ignored);
    m_client.close(ignored);
    m_watchdog.cancel();
    m_upstreamTimer.cancel();
}

Awaitable<void> Http1Session::watch() {
    // One coarse tick a second enforces the head and idle timeouts without touching a timer per
    // request; route timeouts, which need precision, have their own timer.
    while (!m_closed) {
        m_watchdog.expires_after(std::chrono::seconds(1));
        error_code ec;
        co_await m_watchdog.async_wait(asio::redirect_error(useAwaitable, ec));
        if (m_closed)
            break;
        // Draining: a connection waiting for its next request will not get one from us.
        if (m_phase != Phase::Busy &&
            (Clock::now() >= m_deadline || (m_worker.draining(m_gatewayPort) && m_phase == Phase::Idle)))
            close();
        // A request still waiting on its upstream a tick later: watch for the client leaving.
        // (A WebSocket upgrade is left alone: its tunnel reads the client once answered.)
        else if ((m_awaitedUpstream || m_awaitedWake || m_awaitedTimer) && !m_websocket &&
                 !m_closeWatch.pending() && !m_closeWatch.closed())
            m_closeWatch.arm(m_client, shared_from_this(), [this] {
                error_code ignored;
                if (m_awaitedUpstream)
                    m_awaitedUpstream->cancel(ignored);
                if (m_awaitedWake)
                    m_awaitedWake->notify();
                if (m_awaitedTimer)
                    m_awaitedTimer->cancel();
            });
    }
}

auto Http1Session::readClient(error_code& ec) {
    // Waiting for a new request, not for the rest of one: that read goes after the worker's
    // other ready work (see ClientStream::readSome).
    return m_client.readSome(readRoom(m_in, m_inUsed), m_inUsed == 0, asio::redirect_error(useAwaitable, ec));
}

Awaitable<void> Http1Session::run() {
    auto self = shared_from_this();
    m_deadline = coarseNow() + m_worker.options().idleTimeout;
    asio::co_spawn(
        m_worker.context(),
        [](std::shared_ptr<Http1Session> session) -> Awaitable<void> {
            co_await session->watch();
        }(self),
        asio::detached);
    while (!m_closed) {
        beginHead();
        HeadProgress head = takeHead();
        while (head == HeadProgress::NeedMore) {
            const bool first = m_inUsed == 0;
            bool read = false;
            if (m_closeWatch.pending()) {
                read = co_await readMore();
            } else { // awaited here: a coroutine around the usual read would cost a frame a request
                error_code ec;
                const std::size_t n = co_await readClient(ec);
                read = tookRead(ec, n);
            }
            if (!read)
                break;
            if (first) // the request has begun: now the head must arrive in time
                headBegun();
            head = takeHead();
        }
        if (head == HeadProgress::Refused)
            co_await localReply(m_request.error().status, m_request.error().reason, nullptr);
        if (head != HeadProgress::Ready)
            break; // closed, refused, or HTTP/2 with prior knowledge (below)
        // Recorded for the access log and metrics. The usual request, routed to a cluster with
        // endpoints, goes to forward() without respond()'s coroutine around it.
        Clock::time_point started{};
        if (m_recording) {
            beginRecord();
            started = Clock::now();
        }
        const ServedCluster* cluster = nullptr;
        const Routing how = route(cluster);
        const bool keepAlive =
            how == Routing::Forward ? co_await forward(m_decision, *cluster) : co_await respond(how);
        if (m_recording)
            finishRecord(Clock::now() - started);
        if (!keepAlive)
            break;
        m_request.reset();
        if (m_worker.draining(m_gatewayPort))
            break;
    }
    if (m_http2) { // prior knowledge: the connection is HTTP/2's from its first byte
        m_closed = true;
        m_watchdog.cancel();
        const bool tls = m_client.tls();
        co_await runHttp2(m_worker, std::move(m_client), {m_in.data(), m_inUsed}, m_gatewayPort, tls);
        co_return;
    }
    if (m_client.tls() && !m_closed)
        co_await shutdownTls();
    close();
}

Awaitable<bool> Http1Session::readMore() {
    if (m_closeWatch.pending()) { // its read comes first: the next request's bytes, or the close
        if (co_await m_closeWatch.settle(m_in, m_inUsed) != 0)
            co_return true;
        if (m_closeWatch.closed())
            co_return false;
    }
    error_code ec;
    const std::size_t n = co_await readClient(ec);
    co_return tookRead(ec, n);
}

bool Http1Session::tookRead(const error_code& ec, std::size_t n) {
    if (ec || n == 0)
        return false;
    m_inUsed += n;
    return true;
}

void Http1Session::beginHead() {
    m_phase = m_inUsed ? Phase::Head : Phase::Idle;
    m_deadline =
        coarseNow() + (m_inUsed ? m_worker.options().requestHeadersTimeout : m_worker.options().idleTimeout);
}

Http1Session::HeadProgress Http1Session::takeHead() {
    if (m_inUsed == 0)
        return HeadProgress::NeedMore;
    const auto step = m_request.parseHead({m_in.data(), m_inUsed});
    if (step.progress == Http1RequestParser::Progress::NeedMore)
        return HeadProgress::NeedMore;
    m_phase = Phase::Busy;
    if (step.progress == Http1RequestParser::Progress::Done) {
        m_headBytes = step.consumed;
        return HeadProgress::Ready;
    }
    if (m_request.error().status == 505 && startsWithHttp2Preface({m_in.data(), m_inUsed})) {
        m_http2 = true;
        return HeadProgress::Http2;
    }
    return HeadProgress::Refused;
}

void Http1Session::headBegun() {
    m_phase = Phase::Head;
    m_deadline = coarseNow() + m_worker.options().requestHeadersTimeout;
}

void Http1Session::consume(std::size_t bytes) {
    bytes = std::min(bytes, m_inUsed);
    if (bytes < m_inUsed)
        std::memmove(m_in.data(), m_in.data() + bytes, m_inUsed - bytes);
    m_inUsed -= bytes;
}

Awaitable<bool> Http1Session::writeToClient(std::string_view a, std::string_view b) {
    const WriteBuffers buffers{asio::buffer(a.data(), a.size()), asio::buffer(b.data(), b.size())};
    const std::size_t now = m_client.writeNow(buffers);
    if (now == totalSize(buffers))
        co_return true;
    co_return co_await writeRestToClient(buffers, now);
}

Awaitable<bool> Http1Session::writeRestToClient(const WriteBuffers& buffers, std::size_t sent) {
    error_code ec;
    co_await asio::async_write(m_client, skipBytes(buffers, sent), asio::redirect_error(useAwaitable, ec));
    co_return !ec;
}

Awaitable<bool> Http1Session::localReply(int status, std::string_view body, const routing::Decision* decision,
                                         std::string_view location) {
    // After a malformed request the stream cannot be trusted to find the next one; and a request
    // body we will not read would be taken for the next request: close in both cases.
    const RequestHead& head = m_request.head();
    // Draining (stopping, or a reload removed the port): the answer says the connection closes.
    bool keepAlive = head.keepAlive && m_request.error().status == 0 && !m_worker.draining(m_gatewayPort);
    if (keepAlive && head.hasBody()) {
        const auto step = m_request.parseBody({m_in.data() + m_headBytes, m_inUsed - m_headBytes});
        keepAlive = keepAlive && step.progress == Http1RequestParser::Progress::Done;
        if (keepAlive)
            m_headBytes += step.consumed;
    }
    m_out.clear();
    LocalReplyWriter::write(status, body, {}, decision ? &decision->responseHeaders : nullptr, location,
                            keepAlive, m_worker.date(), m_out);
    insertHeaderLines(m_out, m_responseExtra);
    if (m_recording) {
        m_record.status = status;
        m_record.bytesSent = body.size();
    }
    consume(m_headBytes);
    const bool written = co_await writeToClient(m_out);
    co_return written&& keepAlive;
}

void Http1Session::beginRecord() {
    const RequestHead& head = m_request.head();
    m_routed = false;
    m_endpoint = nullptr;
    m_record.reset();
    m_record.bytesReceived = head.contentLength.value_or(0);
    if (!m_logging)
        return; // metrics only: the outcome fields are enough
    m_record.start = std::chrono::system_clock::now();
    m_record.method.assign(head.method);
    m_record.path.assign(head.target);
    m_record.protocol = head.version == 10 ? "HTTP/1.0" : "HTTP/1.1";
    m_record.authority.assign(head.host);
    for (const HeaderField& f : head.fields) {
        if (f.known == KnownHeader::UserAgent)
            m_record.userAgent.assign(f.value);
        else if (f.known == KnownHeader::XForwardedFor)
            m_record.forwardedFor.assign(f.value);
    }
    requestIdFor(head, m_worker.rng(), m_requestId);
    m_record.requestId = m_requestId;
}

void Http1Session::flag(std::string_view responseFlag) {
    if (m_recording)
        routing::ResponseFlags::add(m_record.flags, responseFlag);
}

void Http1Session::finishRecord(Clock::duration elapsed) {
    recordRequest(m_logging ? m_worker.options().accessLog : nullptr, m_metrics, m_record,
                  m_routed ? &m_decision : nullptr, m_endpoint, elapsed);
}

} // namespace sluice::proxy
