// SPDX-License-Identifier: Apache-2.0
#include "http2_session.h"

#include "asio_executor.h"
#include "http1_session.h"
#include "http2_stream.h"
#include "nghttp2_support.h"

#include <algorithm>
#include <array>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::size_t kWriteBatch = 64 * 1024; ///< frames gathered into one write

std::string_view text(const std::uint8_t* p, std::size_t n) {
    return {reinterpret_cast<const char*>(p), n};
}

} // namespace

bool startsWithHttp2Preface(std::string_view data) {
    const std::size_t n = std::min(data.size(), kPreface.size());
    return n > 0 && data.substr(0, n) == kPreface.substr(0, n);
}

using Http2Callbacks = Nghttp2ServerCallbacks<Http2Session>;

void submitServerSettings(nghttp2_session* session, const Http2Settings& settings) {
    const std::array<nghttp2_settings_entry, 5> entries{{
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, settings.maxConcurrentStreams},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<std::uint32_t>(settings.streamWindow)},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, settings.maxHeaderListBytes},
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        // RFC 9113 deprecated RFC 7540's priority tree and the gateway honours none of it; saying
        // so (RFC 9218) spares nghttp2 the tree's upkeep per stream (~400 instructions a request).
        {NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1},
    }};
    nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, entries.data(), entries.size());
    nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, settings.connectionWindow);
}

Http2Session::Http2Session(ProxyWorker& worker, std::unique_ptr<DownstreamTransport> transport,
                           std::uint32_t gatewayPort, bool tls, Http2Settings settings)
    : m_worker(worker)
    , m_transport(std::move(transport))
    , m_gatewayPort(gatewayPort)
    , m_tls(tls)
    , m_settings(settings)
    , m_writeEvent(worker.context().get_executor())
    , m_closedEvent(worker.context().get_executor())
    , m_watchdog(worker.context()) {
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    Http2Callbacks::install(callbacks);
    nghttp2_option* option = nullptr;
    nghttp2_option_new(&option);
    // Request bodies are acknowledged as they reach the upstream, so a client cannot send faster
    // than the upstream takes them.
    nghttp2_option_set_no_auto_window_update(option, 1);
    nghttp2_session_server_new2(&m_session, callbacks, this, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(callbacks);

    submitServerSettings(m_session, m_settings);
    m_in.resize(kReadChunk);
}

Http2Session::~Http2Session() {
    m_streams.clear();
    nghttp2_session_del(m_session);
}

Awaitable<void> Http2Session::run(std::string alreadyRead) {
    auto self = shared_from_this();
    m_idleSince = Clock::now();
    asio::co_spawn(
        m_worker.context(),
        [](std::shared_ptr<Http2Session> s) -> Awaitable<void> {
            co_await s->writer();
        }(self),
        asio::detached);
    asio::co_spawn(
        m_worker.context(),
        [](std::shared_ptr<Http2Session> s) -> Awaitable<void> {
            co_await s->watch();
        }(self),
        asio::detached);
    bool reading = feed(alreadyRead.data(), alreadyRead.size());
    while (reading && !m_closed) {
        error_code ec;
        const std::size_t n = co_await m_transport->readSome(asio::buffer(m_in), ec);
        if (ec || n == 0) {
            m_clientGone = true;
            close(); // the client is gone: nobody reads what its streams would answer
            break;
        }
        reading = feed(m_in.data(), n);
    }
    // The writer ends the connection once nghttp2 has sent what it wants to (a GOAWAY after an
    // error, the last responses after a graceful one); the connection counts until then.
    while (!m_closed)
        co_await m_closedEvent.wait();
}

bool Http2Session::feed(const char* data, std::size_t size) {
    if (m_closed)
        return false;
    const auto rv = nghttp2_session_mem_recv(m_session, reinterpret_cast<const std::uint8_t*>(data), size);
    if (rv < 0) {
        if (rv == NGHTTP2_ERR_BAD_CLIENT_MAGIC || rv == NGHTTP2_ERR_FLOODED) {
            close(); // not HTTP/2 at all, or a peer that does not read what we send
            return false;
        }
        terminate(NGHTTP2_PROTOCOL_ERROR);
    }
    wantWrite();
    return nghttp2_session_want_read(m_session) != 0;
}

Awaitable<void> Http2Session::writer() {
    while (!m_closed) {
        switch (gatherFrames(m_session, m_out, kWriteBatch)) {
        case Outgoing::Frames: {
            error_code ec;
            co_await m_transport->write(asio::buffer(m_out), ec);
            if (ec)
                close();
            break;
        }
        case Outgoing::Idle:
            co_await m_writeEvent.wait();
            break;
        case Outgoing::Done: // GOAWAY sent or received and every stream answered
        case Outgoing::Failed:
            close();
            co_return;
        }
    }
}

Awaitable<void> Http2Session::watch() {
    while (!m_closed) {
        m_watchdog.expires_after(std::chrono::seconds(1));
        error_code ec;
        co_await m_watchdog.async_wait(asio::redirect_error(useAwaitable, ec));
        if (m_closed)
            break;
        const auto now = Clock::now();
        // Envoy's delayed_close_timeout (1 s): after a final GOAWAY with nothing left to answer, a
        // client that does not read it does not keep the connection.
        if (m_closeBy && now >= *m_closeBy) {
            close();
            break;
        }
        for (auto& [id, s] : m_streams)
            s->checkIdle(now, m_worker.options().streamIdleTimeout);
        if (!m_streams.empty())
            m_idleSince = now;
        else if (now - m_idleSince >= m_worker.options().idleTimeout)
            goAway(); // Envoy's idle timeout: GOAWAY, then the connection closes
        if (m_worker.draining(m_gatewayPort) && !m_goingAway) {
            // Graceful drain as Envoy does it: a shutdown notice (GOAWAY with the last stream id
            // 2^31-1) lets streams in flight arrive; the real GOAWAY follows a tick later.
            if (!m_noticeSent) {
                m_noticeSent = true;
                nghttp2_submit_shutdown_notice(m_session);
                wantWrite();
            } else {
                goAway();
            }
        }
    }
}

void Http2Session::goAway() {
    if (m_goingAway || m_closed)
        return;
    m_goingAway = true;
    nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(m_session),
                          NGHTTP2_NO_ERROR, nullptr, 0);
    if (m_streams.empty())
        m_closeBy = Clock::now() + std::chrono::seconds(1);
    wantWrite();
}

void Http2Session::terminate(std::uint32_t errorCode) {
    if (m_closed)
        return;
    nghttp2_session_terminate_session(m_session, errorCode);
    m_goingAway = true;
    m_closeBy = Clock::now() + std::chrono::seconds(1);
    wantWrite();
}

void Http2Session::close() {
    if (m_closed)
        return;
    m_closed = true;
    m_transport->close();
    m_writeEvent.notify();
    m_closedEvent.notify();
    m_watchdog.cancel();
    auto streams = std::move(m_streams);
    m_streams.clear();
    for (auto& [id, s] : streams)
        s->onConnectionClosed(m_clientGone);
}

Http2Stream* Http2Session::stream(std::int32_t id) {
    const auto it = m_streams.find(id);
    return it == m_streams.end() ? nullptr : it->second.get();
}

int Http2Session::onBeginHeaders(std::int32_t id) {
    auto s = std::make_shared<Http2Stream>(*this, id);
    m_streams.emplace(id, std::move(s));
    return 0;
}

int Http2Session::onHeader(std::int32_t id, bool trailer, std::string_view name, std::string_view value) {
    Http2Stream* s = stream(id);
    if (!s)
        return 0;
    if (trailer) {
        s->addTrailer(name, value);
        return 0;
    }
    // Over the header list limits: Envoy's codec resets the stream (header_overflow).
    return s->addHeader(name, value) ? 0 : NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
}

int Http2Session::onFrame(std::uint8_t type, std::uint8_t flags, std::int32_t id, std::size_t length,
                          bool trailer) {
    // Envoy's max_consecutive_inbound_frames_with_empty_payload (1): a stream of empty DATA frames
    // costs us work and the client nothing (CVE-2019-9518).
    if (type == NGHTTP2_DATA && length == 0 && !(flags & NGHTTP2_FLAG_END_STREAM)) {
        if (++m_emptyFrames > 1) {
            terminate(NGHTTP2_PROTOCOL_ERROR);
            return 0;
        }
    } else if (type == NGHTTP2_DATA || type == NGHTTP2_HEADERS) {
        m_emptyFrames = 0;
    }
    switch (type) {
    case NGHTTP2_HEADERS:
        if (Http2Stream* s = stream(id)) {
            if (!trailer)
                Http2Stream::start(m_streams.at(id), shared_from_this());
            if (flags & NGHTTP2_FLAG_END_STREAM)
                s->onRequestEnd();
        }
        break;
    case NGHTTP2_DATA:
        if (Http2Stream* s = stream(id); s && (flags & NGHTTP2_FLAG_END_STREAM))
            s->onRequestEnd();
        break;
    case NGHTTP2_WINDOW_UPDATE:
    case NGHTTP2_SETTINGS: // the initial window may have changed
        if (id != 0) {
            if (Http2Stream* s = stream(id))
                s->onWindowUpdate();
        } else {
            for (auto& [streamId, s] : m_streams)
                s->onWindowUpdate();
        }
        break;
    default:
        break;
    }
    return 0;
}

int Http2Session::onData(std::int32_t id, const std::uint8_t* data, std::size_t size) {
    if (Http2Stream* s = stream(id))
        s->onData(text(data, size));
    else // no one will forward these: give the window back at once
        nghttp2_session_consume_connection(m_session, size);
    return 0;
}

int Http2Session::onStreamClose(std::int32_t id, std::uint32_t errorCode) {
    const auto it = m_streams.find(id);
    if (it == m_streams.end())
        return 0;
    const std::shared_ptr<Http2Stream> s = std::move(it->second);
    m_streams.erase(it);
    // Request bytes received but never forwarded still count against the connection window.
    if (const std::size_t pending = s->unconsumed())
        nghttp2_session_consume_connection(m_session, pending);
    s->onClosed(errorCode);
    if (m_streams.empty())
        m_idleSince = Clock::now();
    return 0;
}

} // namespace sluice::proxy
