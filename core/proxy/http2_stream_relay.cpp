// SPDX-License-Identifier: Apache-2.0
// Http2Stream's answer from an HTTP/1.1 upstream: the head submitted to nghttp2, then the body
// pumped within the client's flow-control windows until it ends, fails or times out.

#include "asio_executor.h"
#include "http2_session.h"
#include "http2_stream.h"
#include "proxy_worker.h"

#include <algorithm>
#include <optional>

#include <nghttp2/nghttp2.h>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

/// Response payload buffered per stream at most, even when the client's window is larger.
constexpr std::size_t kMaxPending = 64 * 1024;

} // namespace

Awaitable<void> Http2Stream::relay(const routing::Decision& d, Clock::time_point started,
                                   Clock::time_point deadline) {
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
    submitUpstreamResponse(
        Http2HeaderBlock::upstreamResponse(head, d.responseHeaders, millis, m_session.worker().date()),
        !bodyless);
    // The route timeout runs until the response's end (the per-try timeout stops at its head).
    m_upstream.arm(deadline, &m_event);
    std::optional<bool> pumped = pumpBuffered(); // a body that came with the head needs no coroutine
    if (!pumped)
        pumped = co_await pumpBody();
    m_upstream.disarm();
    if (!*pumped) {
        if (m_upstream.expired())
            flag("UT");
        m_upstream.abort();
        reset(NGHTTP2_INTERNAL_ERROR); // the upstream broke off mid-response, as Envoy resets the stream
        co_return;
    }
    m_upstream.finish();
    // The rest of a request body the upstream did not wait for is nobody's business now.
    if (!m_requestEnded)
        discardBody();
}

std::size_t Http2Stream::pendingRoom() const {
    // No more than the client's window lets us send (bounded per stream).
    nghttp2_session* session = m_session.nghttp2();
    const std::int32_t window = std::min(nghttp2_session_get_stream_remote_window_size(session, m_id),
                                         nghttp2_session_get_remote_window_size(session));
    const std::size_t buffered = m_pending.size() - m_pendingPos;
    const std::size_t allowed =
        window > 0 ? std::min<std::size_t>(static_cast<std::size_t>(window), kMaxPending) : 0;
    return allowed > buffered ? allowed - buffered : 0;
}

std::optional<bool> Http2Stream::takeBody(UpstreamExchange::Body got) {
    touch();
    if (got == UpstreamExchange::Body::Failed)
        return false;
    if (got == UpstreamExchange::Body::Done) {
        m_trailers = Http2HeaderBlock::trailers(m_upstream.trailers());
        m_responseEnded = true;
        resumeData();
        return true;
    }
    resumeData();
    return std::nullopt;
}

std::optional<bool> Http2Stream::pumpBuffered() {
    if (gone() || m_upstream.expired())
        return false;
    if (pendingRoom() == 0)
        return std::nullopt;
    const std::optional<UpstreamExchange::Body> got = m_upstream.bufferedBody(m_pending);
    return got ? takeBody(*got) : std::nullopt;
}

Awaitable<bool> Http2Stream::pumpBody() {
    for (;;) {
        if (gone() || m_upstream.expired())
            co_return false;
        const std::size_t room = pendingRoom();
        if (room == 0) {
            co_await m_event.wait(); // a WINDOW_UPDATE, or the data provider took some
            continue;
        }
        if (m_pendingPos > 0 && m_pendingPos >= m_pending.size() / 2) {
            m_pending.erase(0, m_pendingPos);
            m_pendingPos = 0;
        }
        std::optional<UpstreamExchange::Body> got = m_upstream.bufferedBody(m_pending);
        if (!got)
            got = co_await m_upstream.readBody(m_pending, room);
        if (const std::optional<bool> ended = takeBody(*got))
            co_return *ended;
    }
}

} // namespace sluice::proxy
