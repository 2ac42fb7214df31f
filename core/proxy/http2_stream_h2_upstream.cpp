// SPDX-License-Identifier: Apache-2.0
// Http2Stream's attempts on an HTTP/2 upstream (clusters of gRPC and HTTP2 Service ports, as
// Istio configures them): the request goes out on a pooled UpstreamH2Connection with the headers
// the HTTP/1.1 path would send, its body pulled as the client sends it; the response comes back
// through the UpstreamH2Receiver callbacks, its window given back as the client takes it.

#include "asio_executor.h"
#include "http2_session.h"
#include "http2_stream.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <nghttp2/nghttp2.h>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

} // namespace

int Http2Stream::h2Status() const {
    const std::string_view text = m_h2Head.find(":status");
    int status = 0;
    std::from_chars(text.data(), text.data() + text.size(), status);
    return status;
}

void Http2Stream::abandonH2() {
    m_h2Relaying = false;
    m_h2BodyWaiting = false;
    if (!m_h2)
        return;
    m_h2->abandon(m_h2Id, m_h2Received - std::min(m_h2Consumed, m_h2Received), m_h2Closed);
    m_h2Consumed = m_h2Received;
    m_h2.reset();
}

Awaitable<AttemptEnd> Http2Stream::attemptH2(const routing::Decision& d, const Endpoint& endpoint,
                                             int attempt) {
    abandonH2();
    m_pending.clear();
    m_pendingPos = 0;
    m_trailers = Http2HeaderBlock{};
    m_h2Head = Http2HeaderBlock{};
    m_h2HeadIn = m_h2HeadEnds = m_h2Closed = false;
    m_h2Error = 0;
    m_h2ConnectionEnded = false;
    m_h2Received = m_h2Consumed = 0;
    std::shared_ptr<UpstreamH2Connection> connection = co_await m_session.worker().h2Pool().get(endpoint);
    if (gone())
        co_return AttemptEnd::Reset;
    if (!connection)
        co_return m_upstream.expired() ? AttemptEnd::PerTryTimeout : AttemptEnd::ConnectFailure;

    // HTTP/2 frames the body itself: the client's content-length is kept, none is added.
    writeUpstreamHead(d, attempt, Framing::None);
    const Http2HeaderBlock headers = Http2HeaderBlock::fromHttp1Request(m_out, "http");
    const bool withBody = !(m_requestEnded && m_received == 0 && m_requestTrailers.empty());
    m_h2Sent = m_bodyBase;
    m_h2 = std::move(connection);
    m_h2Id = m_h2->submit(headers, withBody, *this);
    if (m_h2Id < 0) {
        m_h2.reset();
        co_return AttemptEnd::Reset;
    }
    while (!m_h2HeadIn && !m_h2Closed && !gone() && !m_upstream.expired())
        co_await m_event.wait();
    if (m_h2HeadIn && !gone())
        co_return AttemptEnd::Response;
    const AttemptEnd end = m_upstream.expired() ? AttemptEnd::PerTryTimeout
                           : m_h2Closed         ? unansweredStreamEnd(m_h2Error, m_h2ConnectionEnded)
                                                : AttemptEnd::Reset; // the client went away
    abandonH2();
    co_return end;
}

Awaitable<void> Http2Stream::relayH2(const routing::Decision& d, Clock::time_point started,
                                     Clock::time_point deadline) {
    const int status = h2Status();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    const auto millis = micros / 1000;
    if (m_recording) {
        m_record.status = status;
        m_record.upstreamMillis = millis;
        m_record.upstreamMicros = micros;
    }
    const bool bodyless = m_h2HeadEnds || m_request.head().method == "HEAD";
    submitUpstreamResponse(
        Http2HeaderBlock::upstreamResponse(m_h2Head, d.responseHeaders, millis, m_session.worker().date()),
        !bodyless);
    m_h2Relaying = true;
    // What arrived with the head already is the client's; the window goes back as it takes it.
    resumeData();
    // The route timeout runs until the response's end (the per-try timeout stops at its head).
    m_upstream.arm(deadline, &m_event);
    while (!m_h2Closed && !gone() && !m_upstream.expired())
        co_await m_event.wait();
    m_upstream.disarm();
    if (gone())
        co_return;
    if (!m_h2Closed) { // the route timeout passed mid-response
        flag("UT");
        abandonH2();
        reset(NGHTTP2_INTERNAL_ERROR);
        co_return;
    }
    if (m_h2Error != 0) {
        abandonH2();
        reset(NGHTTP2_INTERNAL_ERROR); // the upstream broke off mid-response, as Envoy resets the stream
        co_return;
    }
    m_responseEnded = true;
    resumeData();
    if (!m_requestEnded)
        discardBody();
}

std::ptrdiff_t Http2Stream::readRequestBody(std::uint8_t* buffer, std::size_t length, bool& end) {
    const auto available = static_cast<std::size_t>(m_received - m_h2Sent);
    if (available == 0 && !m_requestEnded) {
        m_h2BodyWaiting = true;
        return -1;
    }
    const std::size_t n = std::min(length, available);
    std::memcpy(buffer, m_body.data() + (m_h2Sent - m_bodyBase), n);
    m_h2Sent += n;
    consumeUpTo(m_h2Sent);                      // the client may send as much again
    if (m_h2Sent - m_bodyBase > kRetryBuffer) { // streamed through: bounded memory, no replay
        m_body.erase(0, static_cast<std::size_t>(m_h2Sent - m_bodyBase));
        m_bodyBase = m_h2Sent;
        m_trimmed = true;
    }
    end = m_requestEnded && m_h2Sent == m_received;
    return static_cast<std::ptrdiff_t>(n);
}

void Http2Stream::onResponseHeaders(Http2HeaderBlock headers, bool endStream) {
    touch();
    m_h2Head = std::move(headers);
    m_h2HeadIn = true;
    m_h2HeadEnds = endStream;
    m_event.notify();
}

void Http2Stream::onResponseData(std::string_view data) {
    touch();
    m_h2Received += data.size();
    if (m_pendingPos > 0 && m_pendingPos >= m_pending.size() / 2) {
        m_pending.erase(0, m_pendingPos);
        m_pendingPos = 0;
    }
    m_pending.append(data);
    if (m_h2Relaying)
        resumeData();
}

void Http2Stream::onResponseTrailers(Http2HeaderBlock trailers) {
    m_trailers = std::move(trailers);
}

void Http2Stream::onResponseClosed(std::uint32_t errorCode, bool connectionEnded) {
    m_h2Closed = true;
    m_h2Error = errorCode;
    m_h2ConnectionEnded = connectionEnded;
    m_event.notify();
}

} // namespace sluice::proxy
