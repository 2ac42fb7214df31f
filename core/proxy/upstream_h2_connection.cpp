// SPDX-License-Identifier: Apache-2.0
#include "upstream_h2_connection.h"

#include "asio_executor.h"
#include "http1_session.h"
#include "nghttp2_support.h"
#include "proxy_worker.h"

#include <array>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

constexpr std::int32_t kStreamWindow = 64 * 1024;
constexpr std::int32_t kConnectionWindow = 1024 * 1024;
constexpr std::size_t kWriteBatch = 64 * 1024;

std::string_view text(const std::uint8_t* p, std::size_t n) {
    return {reinterpret_cast<const char*>(p), n};
}

} // namespace

/// nghttp2's C callbacks, forwarded to the connection that owns the client session.
struct UpstreamH2Callbacks {
    static UpstreamH2Connection& of(void* user) { return *static_cast<UpstreamH2Connection*>(user); }

    static int beginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user) {
        if (frame->hd.type == NGHTTP2_HEADERS)
            of(user).m_incoming[frame->hd.stream_id] = Http2HeaderBlock{};
        return 0;
    }

    static int header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
                      std::size_t nameLength, const std::uint8_t* value, std::size_t valueLength,
                      std::uint8_t, void* user) {
        auto& incoming = of(user).m_incoming;
        if (const auto it = incoming.find(frame->hd.stream_id); it != incoming.end())
            it->second.add(text(name, nameLength), text(value, valueLength));
        return 0;
    }

    static int frameRecv(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
        UpstreamH2Connection& c = of(user);
        const std::int32_t id = frame->hd.stream_id;
        const bool end = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
        if (frame->hd.type == NGHTTP2_HEADERS) {
            const auto it = c.m_incoming.find(id);
            if (it == c.m_incoming.end())
                return 0;
            Http2HeaderBlock block = std::move(it->second);
            c.m_incoming.erase(it);
            UpstreamH2Receiver* r = c.receiver(id);
            if (!r)
                return 0;
            const std::string_view status = block.find(":status");
            if (!status.empty() && status.front() == '1' && !end)
                return 0; // interim (100 Continue): this hop's business
            if (!status.empty())
                r->onResponseHeaders(std::move(block), end);
            else
                r->onResponseTrailers(std::move(block));
        } else if (frame->hd.type != NGHTTP2_DATA) {
            return 0;
        }
        if (end) {
            // The response is complete: the receiver is done even if the request is not (then the
            // rest of it is not wanted: CANCEL, as Envoy's codec does).
            if (UpstreamH2Receiver* r = c.receiver(id)) {
                c.m_receivers.erase(id);
                if (nghttp2_session_get_stream_local_close(session, id) == 0)
                    nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
                r->onResponseClosed(0, false);
            }
        }
        return 0;
    }

    static int dataChunk(nghttp2_session* session, std::uint8_t, std::int32_t id, const std::uint8_t* data,
                         std::size_t size, void* user) {
        if (UpstreamH2Receiver* r = of(user).receiver(id))
            r->onResponseData(text(data, size));
        else // nobody takes these bytes: give the window back at once
            nghttp2_session_consume(session, id, size);
        return 0;
    }

    static int streamClose(nghttp2_session*, std::int32_t id, std::uint32_t errorCode, void* user) {
        UpstreamH2Connection& c = of(user);
        c.m_incoming.erase(id);
        if (UpstreamH2Receiver* r = c.receiver(id)) {
            c.m_receivers.erase(id);
            r->onResponseClosed(errorCode ? errorCode
                                          : std::uint32_t{NGHTTP2_INTERNAL_ERROR}, // closed before its end
                                false);
        }
        return 0;
    }

    static ssize_t readBody(nghttp2_session* session, std::int32_t id, std::uint8_t* buffer,
                            std::size_t length, std::uint32_t* flags, nghttp2_data_source*, void* user) {
        UpstreamH2Receiver* r = of(user).receiver(id);
        if (!r)
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; // cancelled: the stream is reset
        bool end = false;
        const std::ptrdiff_t n = r->readRequestBody(buffer, length, end);
        if (n < 0)
            return NGHTTP2_ERR_DEFERRED;
        if (end)
            endData(session, id, flags, r->requestTrailers());
        return static_cast<ssize_t>(n);
    }
};

UpstreamH2Connection::UpstreamH2Connection(ProxyWorker& worker, Endpoint endpoint)
    : m_worker(worker)
    , m_endpoint(std::move(endpoint))
    , m_socket(worker.context())
    , m_writeEvent(worker.context().get_executor()) {
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &UpstreamH2Callbacks::beginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &UpstreamH2Callbacks::header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &UpstreamH2Callbacks::frameRecv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &UpstreamH2Callbacks::dataChunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &UpstreamH2Callbacks::streamClose);
    nghttp2_option* option = nullptr;
    nghttp2_option_new(&option);
    nghttp2_option_set_no_auto_window_update(option, 1); // windows open as the client takes the body
    nghttp2_session_client_new2(&m_session, callbacks, this, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(callbacks);
    const std::array<nghttp2_settings_entry, 2> entries{{
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<std::uint32_t>(kStreamWindow)},
    }};
    nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, entries.data(), entries.size());
    nghttp2_session_set_local_window_size(m_session, NGHTTP2_FLAG_NONE, 0, kConnectionWindow);
    m_in.resize(kReadChunk);
}

UpstreamH2Connection::~UpstreamH2Connection() {
    nghttp2_session_del(m_session);
}

UpstreamH2Receiver* UpstreamH2Connection::receiver(std::int32_t id) {
    const auto it = m_receivers.find(id);
    return it == m_receivers.end() ? nullptr : it->second;
}

Awaitable<bool> UpstreamH2Connection::connect() {
    auto self = shared_from_this();
    error_code ec;
    const tcp::endpoint to(asio::ip::make_address(m_endpoint.address, ec), m_endpoint.port);
    if (ec)
        co_return false;
    SteadyTimer timeout(m_worker.context());
    timeout.expires_after(m_worker.options().connectTimeout);
    timeout.async_wait([self](const error_code& e) {
        if (!e) {
            error_code ignored;
            self->m_socket.cancel(ignored);
        }
    });
    co_await m_socket.async_connect(to, asio::redirect_error(useAwaitable, ec));
    timeout.cancel();
    if (ec || m_closed) {
        close();
        co_return false;
    }
    m_socket.set_option(tcp::no_delay(true), ec);
    m_connected = true;
    asio::co_spawn(
        m_worker.context(),
        [](std::shared_ptr<UpstreamH2Connection> c) -> Awaitable<void> {
            co_await c->reader();
        }(self),
        asio::detached);
    asio::co_spawn(
        m_worker.context(),
        [](std::shared_ptr<UpstreamH2Connection> c) -> Awaitable<void> {
            co_await c->writer();
        }(self),
        asio::detached);
    co_return true;
}

bool UpstreamH2Connection::usable() const {
    if (!m_connected || m_closed || m_retired || nghttp2_session_check_request_allowed(m_session) == 0)
        return false;
    return m_receivers.size() <
           nghttp2_session_get_remote_settings(m_session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
}

std::int32_t UpstreamH2Connection::submit(const Http2HeaderBlock& headers, bool withBody,
                                          UpstreamH2Receiver& receiver) {
    if (m_closed)
        return -1;
    const Nghttp2Fields nv(headers);
    nghttp2_data_provider provider{};
    provider.read_callback = &UpstreamH2Callbacks::readBody;
    const std::int32_t id = nghttp2_submit_request(m_session, nullptr, nv.data(), nv.size(),
                                                   withBody ? &provider : nullptr, nullptr);
    if (id < 0)
        return -1;
    m_receivers[id] = &receiver;
    wantWrite();
    return id;
}

void UpstreamH2Connection::resumeBody(std::int32_t id) {
    if (m_closed)
        return;
    nghttp2_session_resume_data(m_session, id);
    wantWrite();
}

void UpstreamH2Connection::consumed(std::int32_t id, std::size_t bytes) {
    if (m_closed || bytes == 0)
        return;
    nghttp2_session_consume(m_session, id, bytes);
    wantWrite();
}

void UpstreamH2Connection::cancel(std::int32_t id) {
    if (m_receivers.erase(id) == 0 || m_closed)
        return;
    nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    wantWrite();
}

void UpstreamH2Connection::abandon(std::int32_t id, std::uint64_t unconsumed, bool ended) {
    if (unconsumed > 0)
        consumed(id, static_cast<std::size_t>(unconsumed));
    if (!ended)
        cancel(id);
}

void UpstreamH2Connection::retire() {
    if (m_retired || m_closed)
        return;
    m_retired = true;
    if (!m_connected) {
        close();
        return;
    }
    nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE, 0, NGHTTP2_NO_ERROR, nullptr, 0);
    wantWrite();
}

AttemptEnd unansweredStreamEnd(std::uint32_t errorCode, bool connectionEnded) {
    if (connectionEnded)
        return AttemptEnd::Reset;
    return errorCode == NGHTTP2_REFUSED_STREAM ? AttemptEnd::RefusedStream : AttemptEnd::RemoteReset;
}

void UpstreamH2Connection::close() {
    if (m_closed)
        return;
    m_closed = true;
    error_code ignored;
    m_socket.shutdown(TcpSocket::shutdown_both, ignored);
    m_socket.close(ignored);
    m_writeEvent.notify();
    auto receivers = std::move(m_receivers);
    m_receivers.clear();
    for (auto& [id, r] : receivers)
        r->onResponseClosed(NGHTTP2_INTERNAL_ERROR, true); // the connection is gone: a reset for each
}

Awaitable<void> UpstreamH2Connection::reader() {
    while (!m_closed) {
        error_code ec;
        const std::size_t n =
            co_await m_socket.async_read_some(asio::buffer(m_in), asio::redirect_error(useAwaitable, ec));
        if (ec || n == 0)
            break;
        const auto rv =
            nghttp2_session_mem_recv(m_session, reinterpret_cast<const std::uint8_t*>(m_in.data()), n);
        if (rv < 0) {
            nghttp2_session_terminate_session(m_session, NGHTTP2_PROTOCOL_ERROR);
            wantWrite();
            co_return;
        }
        wantWrite();
    }
    close();
}

Awaitable<void> UpstreamH2Connection::writer() {
    while (!m_closed) {
        switch (gatherFrames(m_session, m_out, kWriteBatch)) {
        case Outgoing::Frames: {
            error_code ec;
            co_await asio::async_write(m_socket, asio::buffer(m_out), asio::redirect_error(useAwaitable, ec));
            if (ec)
                close();
            break;
        }
        case Outgoing::Idle:
            co_await m_writeEvent.wait();
            break;
        case Outgoing::Done: // GOAWAY sent or received and every stream done
        case Outgoing::Failed:
            close();
            co_return;
        }
    }
}

} // namespace sluice::proxy
