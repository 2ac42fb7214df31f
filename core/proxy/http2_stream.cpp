// SPDX-License-Identifier: Apache-2.0
// Http2Stream's plumbing: request fields and body from nghttp2's callbacks, the request written to
// the upstream, responses and local replies submitted to nghttp2, flow-control windows.

#include "http2_stream.h"

#include "asio_executor.h"
#include "grpc_protocol.h"
#include "http2_session.h"
#include "mirror_sender.h"
#include "nghttp2_support.h"
#include "routing/response_flags.h"
#include "upstream_request_writer.h"

#include <algorithm>
#include <cstring>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;

ssize_t readCallback(nghttp2_session*, std::int32_t, std::uint8_t* buffer, std::size_t length,
                     std::uint32_t* flags, nghttp2_data_source* source, void*) {
    return static_cast<Http2Stream*>(source->ptr)->readResponse(buffer, length, flags);
}

void appendHex(std::string& out, std::size_t value) {
    static constexpr char kHex[] = "0123456789abcdef";
    char digits[16];
    std::size_t n = 0;
    do {
        digits[n++] = kHex[value & 0xf];
        value >>= 4;
    } while (value);
    while (n)
        out += digits[--n];
}

} // namespace

Http2Stream::Http2Stream(Http2Session& session, std::int32_t id)
    : m_session(session)
    , m_id(id)
    , m_bufferPool(session.worker().streamBuffers())
    , m_buffers(m_bufferPool.take())
    , m_event(session.worker().context().get_executor())
    , m_request(m_buffers->request)
    , m_body(m_buffers->body)
    , m_pending(m_buffers->pending)
    , m_upstream(session.worker(), std::move(m_buffers->upstreamIn), m_buffers->upstreamInCapacity)
    , m_out(m_buffers->out)
    , m_requestId(m_buffers->requestId)
    , m_logging(session.worker().options().accessLog != nullptr)
    , m_metrics(session.worker().metrics())
    , m_recording(m_logging || m_metrics)
    , m_decision(m_buffers->decision) {
    m_out.reserve(1024); // the upstream request head, written once per stream: one allocation, not four
}

Http2Stream::~Http2Stream() {
    if (m_h2) // normally abandoned when the stream closed; never leave the connection a dangling receiver
        m_h2->forget(m_h2Id);
    m_buffers->upstreamIn = m_upstream.releaseBuffer(m_buffers->upstreamInCapacity);
    m_bufferPool.give(std::move(m_buffers));
}

bool Http2Stream::gone() const {
    return m_closed || m_idleTimedOut || m_session.closed();
}

void Http2Stream::touch() {
    m_lastActivity = std::chrono::steady_clock::now();
}

void Http2Stream::checkIdle(std::chrono::steady_clock::time_point now, std::chrono::milliseconds timeout) {
    if (gone() || timeout.count() <= 0 || now - m_lastActivity < timeout)
        return;
    // Envoy's stream_idle_timeout: 408 "stream timeout" before the response began, else a reset.
    flag("SI");
    if (m_responseStarted)
        reset(NGHTTP2_CANCEL);
    else
        localReply(408, "stream timeout", nullptr);
    m_idleTimedOut = true; // from here on the stream's coroutine only winds down
    m_upstream.abort();
    abandonH2();
    m_event.notify();
}

bool Http2Stream::addHeader(std::string_view name, std::string_view value) {
    m_request.add(name, value);
    const Http2Settings& limits = m_session.settings();
    return m_request.listSize() <= limits.maxHeaderListBytes && m_request.fieldCount() <= limits.maxHeaders;
}

void Http2Stream::addTrailer(std::string_view name, std::string_view value) {
    if (m_requestTrailers.size() < m_session.settings().maxHeaders)
        m_requestTrailers.add(name, value);
}

void Http2Stream::onData(std::string_view data) {
    touch();
    m_received += data.size();
    if (m_discarding) {
        consumeUpTo(m_received);
        return;
    }
    m_body.append(data);
    m_event.notify();
    if (m_h2BodyWaiting && m_h2) { // an HTTP/2 upstream waits for it
        m_h2BodyWaiting = false;
        m_h2->resumeBody(m_h2Id);
    }
}

void Http2Stream::onRequestEnd() {
    touch();
    m_requestEnded = true;
    m_event.notify();
    if (m_h2BodyWaiting && m_h2) {
        m_h2BodyWaiting = false;
        m_h2->resumeBody(m_h2Id);
    }
}

void Http2Stream::onClosed(std::uint32_t errorCode) {
    if (errorCode != 0 && !m_localReset && m_recordOpen) {
        flag("DR"); // Envoy's DownstreamRemoteReset
        m_record.responseCodeDetails = "http2.remote_reset";
    }
    close();
}

void Http2Stream::onConnectionClosed(bool byClient) {
    if (byClient && m_recordOpen) {
        flag("DC"); // Envoy's DownstreamConnectionTermination
        m_record.responseCodeDetails = "downstream_remote_disconnect";
    }
    close();
}

void Http2Stream::close() {
    if (m_closed)
        return;
    m_closed = true;
    m_consumed = m_received; // the session gave the connection window back
    m_upstream.abort();      // a reset stream stops its upstream work at once
    abandonH2();
    m_event.notify();
    if (m_recordOpen)
        finishRecord();
}

void Http2Stream::consumeUpTo(std::uint64_t offset) {
    if (gone() || offset <= m_consumed)
        return;
    nghttp2_session_consume(m_session.nghttp2(), m_id, static_cast<std::size_t>(offset - m_consumed));
    m_consumed = offset;
    m_session.wantWrite();
}

void Http2Stream::discardBody() {
    m_discarding = true;
    m_body.clear();
    m_bodyBase = m_received;
    consumeUpTo(m_received);
}

void Http2Stream::flag(std::string_view responseFlag) {
    if (m_recording)
        routing::ResponseFlags::add(m_record.flags, responseFlag);
}

void Http2Stream::submit(Http2HeaderBlock headers, bool withBody) {
    if (gone() || m_responseStarted)
        return;
    m_responseStarted = true;
    headers.addLines(m_responseExtra);
    m_responseHeaders = std::move(headers);
    const Nghttp2Fields nv(m_responseHeaders, true);
    nghttp2_data_provider provider{};
    provider.source.ptr = this;
    provider.read_callback = &readCallback;
    nghttp2_submit_response(m_session.nghttp2(), m_id, nv.data(), nv.size(), withBody ? &provider : nullptr);
    m_session.wantWrite();
}

void Http2Stream::submitUpstreamResponse(Http2HeaderBlock headers, bool withBody) {
    if (!m_setCookie.empty()) // Envoy's router adds the cookie it generated to upstream answers only
        headers.addLines("set-cookie: " + m_setCookie + "\r\n");
    submit(std::move(headers), withBody);
}

void Http2Stream::submitContinue() {
    if (gone())
        return;
    Http2HeaderBlock interim;
    interim.add(":status", "100");
    const Nghttp2Fields nv(interim);
    nghttp2_submit_headers(m_session.nghttp2(), NGHTTP2_FLAG_NONE, m_id, nullptr, nv.data(), nv.size(),
                           nullptr);
    m_session.wantWrite();
}

void Http2Stream::reset(std::uint32_t errorCode) {
    if (gone())
        return;
    m_localReset = true;
    nghttp2_submit_rst_stream(m_session.nghttp2(), NGHTTP2_FLAG_NONE, m_id, errorCode);
    m_session.wantWrite();
}

void Http2Stream::resumeData() {
    if (gone())
        return;
    if (m_deferred) {
        m_deferred = false;
        nghttp2_session_resume_data(m_session.nghttp2(), m_id);
    }
    m_session.wantWrite();
}

ssize_t Http2Stream::readResponse(std::uint8_t* buffer, std::size_t length, std::uint32_t* flags) {
    const std::size_t available = m_pending.size() - m_pendingPos;
    if (available == 0 && !m_responseEnded) {
        m_deferred = true;
        return NGHTTP2_ERR_DEFERRED;
    }
    const std::size_t n = std::min(length, available);
    std::memcpy(buffer, m_pending.data() + m_pendingPos, n);
    m_pendingPos += n;
    touch();
    if (m_pendingPos == m_pending.size()) {
        m_pending.clear();
        m_pendingPos = 0;
    }
    if (m_responseEnded && m_pending.empty()) {
        endData(m_session.nghttp2(), m_id, flags, m_trailers);
        // A complete response to a request still arriving: the rest of it is not wanted
        // (RFC 9113 8.1, RST_STREAM NO_ERROR), as Envoy's codec does.
        if (!m_requestEnded)
            nghttp2_submit_rst_stream(m_session.nghttp2(), NGHTTP2_FLAG_NONE, m_id, NGHTTP2_NO_ERROR);
    }
    if (m_recording)
        m_record.bytesSent += n;
    if (m_h2Relaying && m_h2) { // the HTTP/2 upstream may send as much again
        m_h2Consumed += n;
        m_h2->consumed(m_h2Id, n);
    }
    m_event.notify(); // room for more of the upstream's body
    return static_cast<ssize_t>(n);
}

void Http2Stream::localReply(int status, std::string_view body, const routing::Decision* decision,
                             std::string_view location) {
    discardBody();
    const std::string_view date = m_session.worker().date();
    const routing::HeaderOperations* ops = decision ? &decision->responseHeaders : nullptr;
    if (m_recording)
        m_record.status = m_grpc ? 200 : status;
    if (m_grpc) {
        int code = GrpcProtocol::httpToGrpcStatus(status);
        if (decision && decision->outcome == routing::Outcome::FaultAbort &&
            !decision->fault.abortGrpcStatus.empty())
            code = GrpcProtocol::statusFromName(decision->fault.abortGrpcStatus).value_or(2);
        submit(Http2HeaderBlock::grpcLocalReply(code, body, ops, location, date), false);
        return;
    }
    const bool head = m_request.head().method == "HEAD";
    m_pending.assign(body);
    m_pendingPos = 0;
    m_responseEnded = true;
    submit(Http2HeaderBlock::localReply(status, body.size(), ops, location, date), !head && !body.empty());
}

Awaitable<bool> Http2Stream::sendBody(std::string_view data, Framing framing) {
    if (data.empty())
        co_return true;
    // Copied: DATA arriving while the write is in flight may move m_body.
    m_sending.clear();
    if (framing == Framing::Chunked) {
        appendHex(m_sending, data.size());
        m_sending += "\r\n";
    }
    m_sending.append(data);
    if (framing == Framing::Chunked)
        m_sending += "\r\n";
    co_return co_await m_upstream.write(m_sending);
}

void Http2Stream::writeUpstreamHead(const routing::Decision& d, int attempt, Framing framing) {
    const RequestHead& received = m_request.head();
    const bool timed = m_grpc && m_timeout.count() > 0;
    m_out.clear();
    const DownstreamFacts facts{m_session.clientAddress(), m_session.tls() ? "https" : "http", m_requestId,
                                attempt, false};
    if (framing == Framing::None && !timed && !received.chunked) { // most: the head as it came, not a copy
        UpstreamRequestWriter::write(received, d, facts, m_out);
        return;
    }
    RequestHead head = received;
    if (framing == Framing::Length && !head.contentLength) {
        m_lengthText.clear();
        appendDecimal(m_lengthText, static_cast<std::int64_t>(m_received));
        head.fields.push_back({"content-length", m_lengthText, KnownHeader::ContentLength});
    } else if (framing == Framing::Chunked) {
        std::erase_if(head.fields,
                      [](const HeaderField& f) { return f.known == KnownHeader::ContentLength; });
    }
    head.chunked = framing == Framing::Chunked;
    if (timed) {
        // Envoy tells the upstream the deadline it applies (max_grpc_timeout is configured).
        m_grpcTimeoutText = GrpcProtocol::formatTimeout(m_timeout);
        std::erase_if(head.fields, [](const HeaderField& f) { return f.name == "grpc-timeout"; });
        head.fields.push_back({"grpc-timeout", m_grpcTimeoutText, KnownHeader::Other});
    }
    UpstreamRequestWriter::write(head, d, facts, m_out);
}

void Http2Stream::shadow(const routing::Decision& d) {
    RequestHead head = m_request.head();
    if (m_received > 0 && !head.contentLength) { // HTTP/1.1 to the mirror: the body needs a length
        m_lengthText.clear();
        appendDecimal(m_lengthText, static_cast<std::int64_t>(m_received));
        head.fields.push_back({"content-length", m_lengthText, KnownHeader::ContentLength});
    }
    head.chunked = false;
    MirrorSender::shadow(
        m_session.worker(), d, head, m_body,
        {m_session.clientAddress(), m_session.tls() ? "https" : "http", m_requestId, 1, false});
}

// Framing for the HTTP/1.1 upstream: the client's content-length when it sent one, ours when the
// whole body is here already, chunked while it is still arriving or when trailers follow (sent,
// or announced by a `trailer` header: HTTP/1.1 carries them in a chunked body only).
Http2Stream::Framing Http2Stream::upstreamFraming() const {
    const bool trailers = !m_requestTrailers.empty() || !m_request.header("trailer").empty();
    if (m_request.head().contentLength && !trailers)
        return Framing::Length;
    if (m_requestEnded && !trailers)
        return m_received > 0 ? Framing::Length : Framing::None;
    return Framing::Chunked;
}

Awaitable<bool> Http2Stream::sendHeadAndBody(Framing framing) {
    if (!co_await m_upstream.write(m_out))
        co_return false;

    std::uint64_t written = m_bodyBase; // a replayable attempt starts at 0
    for (;;) {
        if (gone() || m_upstream.expired()) // reset, or the client's body did not come in time
            co_return false;
        if (written < m_received) {
            const auto n = static_cast<std::size_t>(m_received - written);
            if (!co_await sendBody({m_body.data() + (written - m_bodyBase), n}, framing))
                co_return false;
            written += n;
            consumeUpTo(written);                      // the client may send as much again
            if (written - m_bodyBase > kRetryBuffer) { // streamed through: bounded memory, no replay
                m_body.erase(0, static_cast<std::size_t>(written - m_bodyBase));
                m_bodyBase = written;
                m_trimmed = true;
            }
            continue;
        }
        if (m_requestEnded)
            break;
        co_await m_event.wait();
    }
    if (framing == Framing::Chunked) {
        m_out.assign("0\r\n");
        for (std::size_t i = 0; i < m_requestTrailers.size(); ++i)
            appendHeaderLine(m_out, m_requestTrailers.name(i), m_requestTrailers.value(i));
        m_out += "\r\n";
        co_return co_await m_upstream.write(m_out);
    }
    co_return true;
}

} // namespace sluice::proxy
