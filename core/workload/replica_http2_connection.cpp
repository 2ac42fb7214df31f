// SPDX-License-Identifier: Apache-2.0
#include "replica_http2_connection.h"

#include "proxy/asio_executor.h"
#include "proxy/http2_header_block.h"
#include "proxy/http2_request.h"
#include "proxy/http2_session.h"
#include "proxy/nghttp2_support.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::workload {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxKept = 16 * 1024 * 1024; ///< gRPC request bytes a connection keeps at once

} // namespace

/// One request stream: the request's headers and (gRPC) body, then the answer nghttp2 pulls.
struct ReplicaHttp2Connection::Stream {
    std::int32_t id = 0;
    proxy::Http2Request request;
    bool grpc = false;
    bool started = false;   ///< its answer coroutine runs
    bool closed = false;    ///< nghttp2 closed it (answered, or reset)
    bool truncated = false; ///< a gRPC body longer than what is kept
    std::string body;       ///< a gRPC request's body
    std::string response;
    std::size_t sent = 0;
    proxy::Http2HeaderBlock trailers;
};

using Callbacks = proxy::Nghttp2ServerCallbacks<ReplicaHttp2Connection>;

/// nghttp2's data provider of the answers.
struct ReplicaHttp2Body {
    static ssize_t readBody(nghttp2_session* session, std::int32_t id, std::uint8_t* buffer,
                            std::size_t length, std::uint32_t* flags, nghttp2_data_source* source, void*) {
        auto& s = *static_cast<ReplicaHttp2Connection::Stream*>(source->ptr);
        const std::size_t n = std::min(length, s.response.size() - s.sent);
        std::memcpy(buffer, s.response.data() + s.sent, n);
        s.sent += n;
        if (s.sent == s.response.size())
            proxy::endData(session, id, flags, s.trailers);
        return static_cast<ssize_t>(n);
    }
};

ReplicaHttp2Connection::ReplicaHttp2Connection(ReplicaServer& replica, proxy::TcpSocket socket,
                                               unsigned worker, ReplicaLoopState::Hold hold)
    : m_hold(std::move(hold))
    , m_socket(std::move(socket))
    , m_responder(replica, worker)
    , m_writeEvent(m_socket.get_executor()) {
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    Callbacks::install(callbacks);
    nghttp2_session_server_new(&m_session, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    proxy::submitServerSettings(m_session, proxy::Http2Settings{});
    m_in.resize(kReadChunk);
    m_hold.setSocket(&m_socket);
}

ReplicaHttp2Connection::~ReplicaHttp2Connection() {
    nghttp2_session_del(m_session);
}

proxy::Awaitable<void> ReplicaHttp2Connection::run(std::string alreadyRead) {
    auto self = shared_from_this();
    asio::co_spawn(
        m_socket.get_executor(),
        [](std::shared_ptr<ReplicaHttp2Connection> c) -> proxy::Awaitable<void> {
            co_await c->writer();
        }(self),
        asio::detached);
    bool reading = feed(alreadyRead.data(), alreadyRead.size());
    while (reading && !m_closed) {
        error_code ec;
        const std::size_t n = co_await m_socket.async_read_some(
            asio::buffer(m_in), asio::redirect_error(proxy::useAwaitable, ec));
        if (ec || n == 0) {
            close(); // the client is gone: nobody reads what its streams would answer
            break;
        }
        reading = feed(m_in.data(), n);
    }
    // The writer ends the connection once nghttp2 has sent what it wants to (the last answers, or
    // a GOAWAY after a protocol error).
}

bool ReplicaHttp2Connection::feed(const char* data, std::size_t size) {
    if (m_closed)
        return false;
    const auto rv = nghttp2_session_mem_recv(m_session, reinterpret_cast<const std::uint8_t*>(data), size);
    if (rv < 0) {
        if (rv == NGHTTP2_ERR_BAD_CLIENT_MAGIC || rv == NGHTTP2_ERR_FLOODED) {
            close(); // not HTTP/2 at all, or a peer that does not read what we send
            return false;
        }
        nghttp2_session_terminate_session(m_session, NGHTTP2_PROTOCOL_ERROR);
    }
    m_writeEvent.notify();
    return nghttp2_session_want_read(m_session) != 0;
}

proxy::Awaitable<void> ReplicaHttp2Connection::writer() {
    while (!m_closed) {
        switch (proxy::gatherFrames(m_session, m_out)) {
        case proxy::Outgoing::Frames: {
            error_code ec;
            co_await asio::async_write(m_socket, asio::buffer(m_out),
                                       asio::redirect_error(proxy::useAwaitable, ec));
            if (ec)
                close();
            break;
        }
        case proxy::Outgoing::Idle:
            co_await m_writeEvent.wait();
            break;
        case proxy::Outgoing::Done: // the last answers sent, or a GOAWAY
        case proxy::Outgoing::Failed:
            close();
            co_return;
        }
    }
}

proxy::Awaitable<void> ReplicaHttp2Connection::answer(std::shared_ptr<Stream> s) {
    const proxy::RequestHead& head = s->request.head();
    const PlannedResponse plan =
        co_await m_responder.prepare(head, "HTTP/2", s->grpc ? nullptr : &s->response);
    co_await ReplicaResponder::wait(plan.delay);
    if (s->closed || m_closed)
        co_return; // reset by the client meanwhile, or the connection is gone
    if (!s->grpc) {
        submit(*s, plan.status, false, head.method != "HEAD");
        co_return;
    }
    const GrpcAnswer a = ReplicaResponder::grpcAnswer(plan.status, s->body, s->truncated);
    if (a.code != 0) { // trailers-only, as a gRPC server answers an error
        s->trailers.add("grpc-status", std::to_string(a.code));
        s->trailers.add("grpc-message", a.message);
        submit(*s, 200, true, false);
        co_return;
    }
    s->response.assign(a.echo);
    s->trailers.add("grpc-status", "0");
    submit(*s, 200, true, true);
}

void ReplicaHttp2Connection::submit(Stream& s, int status, bool grpc, bool withBody) {
    proxy::Http2HeaderBlock headers;
    headers.add(":status", std::to_string(status));
    headers.add("content-type", grpc ? "application/grpc" : "application/json");
    headers.add("x-sluice-workload", m_responder.name());
    if (!grpc)
        headers.add("content-length", std::to_string(s.response.size()));
    if (!withBody) // trailers-only: the gRPC status rides on the one HEADERS frame
        for (std::size_t i = 0; i < s.trailers.size(); ++i)
            headers.add(s.trailers.name(i), s.trailers.value(i));
    const proxy::Nghttp2Fields nv(headers);
    nghttp2_data_provider provider{};
    provider.source.ptr = &s;
    provider.read_callback = &ReplicaHttp2Body::readBody;
    nghttp2_submit_response(m_session, s.id, nv.data(), nv.size(), withBody ? &provider : nullptr);
    m_writeEvent.notify();
}

void ReplicaHttp2Connection::close() {
    if (m_closed)
        return;
    m_closed = true;
    error_code ignored;
    m_socket.shutdown(proxy::TcpSocket::shutdown_both, ignored);
    m_socket.close(ignored);
    m_writeEvent.notify();
    for (auto& [id, s] : m_streams)
        s->closed = true;
}

ReplicaHttp2Connection::Stream* ReplicaHttp2Connection::stream(std::int32_t id) {
    const auto it = m_streams.find(id);
    return it == m_streams.end() ? nullptr : it->second.get();
}

int ReplicaHttp2Connection::onBeginHeaders(std::int32_t id) {
    auto s = std::make_shared<Stream>();
    s->id = id;
    m_streams.emplace(id, std::move(s));
    return 0;
}

int ReplicaHttp2Connection::onHeader(std::int32_t id, bool trailer, std::string_view name,
                                     std::string_view value) {
    Stream* s = stream(id);
    if (!s || trailer)
        return 0;
    s->request.add(name, value);
    // Over the header list limits: the stream is reset, as the gateway's HTTP/2 codec does.
    const proxy::Http2Settings limits;
    return s->request.listSize() <= limits.maxHeaderListBytes && s->request.fieldCount() <= limits.maxHeaders
               ? 0
               : NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
}

int ReplicaHttp2Connection::onFrame(std::uint8_t type, std::uint8_t flags, std::int32_t id, std::size_t,
                                    bool trailer) {
    if (type != NGHTTP2_HEADERS && type != NGHTTP2_DATA)
        return 0;
    const auto it = m_streams.find(id);
    if (it == m_streams.end())
        return 0;
    Stream& s = *it->second;
    if (type == NGHTTP2_HEADERS && !trailer) {
        s.request.complete();
        s.grpc = ReplicaResponder::isGrpc(s.request.head());
    }
    // Answered once the request has ended: a gRPC answer echoes its message.
    if ((flags & NGHTTP2_FLAG_END_STREAM) && !s.started) {
        s.started = true;
        // Through a function taking the shared pointers by value: the coroutine starts later.
        asio::co_spawn(
            m_socket.get_executor(),
            [](std::shared_ptr<ReplicaHttp2Connection> c,
               std::shared_ptr<Stream> stream) -> proxy::Awaitable<void> {
                co_await c->answer(std::move(stream));
            }(shared_from_this(), it->second),
            asio::detached);
    }
    return 0;
}

int ReplicaHttp2Connection::onData(std::int32_t id, const std::uint8_t* bytes, std::size_t size) {
    const std::string_view data(reinterpret_cast<const char*>(bytes), size);
    Stream* s = stream(id);
    if (!s || !s->grpc || s->truncated)
        return 0;
    const std::size_t room = std::min(ReplicaResponder::kMaxGrpcRequest - s->body.size(), kMaxKept - m_kept);
    const std::size_t n = std::min(room, data.size());
    s->body.append(data.substr(0, n));
    m_kept += n;
    s->truncated = n < data.size();
    return 0;
}

int ReplicaHttp2Connection::onStreamClose(std::int32_t id, std::uint32_t) {
    const auto it = m_streams.find(id);
    if (it == m_streams.end())
        return 0;
    it->second->closed = true;
    m_kept -= it->second->body.size();
    m_streams.erase(it);
    return 0;
}

} // namespace sluice::workload
