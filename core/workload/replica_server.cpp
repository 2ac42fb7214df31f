// SPDX-License-Identifier: Apache-2.0
#include "replica_server.h"

#include "proxy/asio_executor.h"
#include "proxy/chunked_decoder.h"
#include "proxy/http1_request_parser.h"
#include "proxy/http2_session.h"
#include "proxy/response_writers.h"
#include "replica_http2_connection.h"
#include "replica_loop_state.h"
#include "replica_responder.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::workload {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kPrefaceSize = 24; ///< "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

/// A gRPC answer over HTTP/1.1: 200, the message as one chunk, grpc-status in the chunked trailers.
void grpcHead(const std::string& name, const GrpcAnswer& a, bool keepAlive, std::string& out) {
    out += "HTTP/1.1 200 OK\r\ncontent-type: application/grpc\r\nx-sluice-workload: ";
    out += name;
    out += keepAlive ? "\r\ntransfer-encoding: chunked\r\n\r\n"
                     : "\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
    if (!a.echo.empty()) {
        char size[20];
        const int n = std::snprintf(size, sizeof size, "%zx\r\n", a.echo.size());
        out.append(size, static_cast<std::size_t>(n));
        out += a.echo;
        out += "\r\n";
    }
    out += "0\r\ngrpc-status: " + std::to_string(a.code) + "\r\n";
    if (!a.message.empty())
        out += "grpc-message: " + a.message + "\r\n";
    out += "\r\n";
}

/// The body's bytes `raw` (chunked framing removed) kept for a gRPC echo, up to its limit.
void keepBody(std::string_view raw, bool chunked, proxy::ChunkedDecoder& decoder, std::string& kept,
              bool& truncated) {
    if (truncated)
        return;
    if (chunked)
        decoder.decode(raw, kept);
    else
        kept += raw;
    if (kept.size() > ReplicaResponder::kMaxGrpcRequest) {
        kept.resize(ReplicaResponder::kMaxGrpcRequest);
        truncated = true;
    }
}

proxy::Awaitable<void> serveConnection(ReplicaServer& replica, proxy::TcpSocket socket, unsigned worker,
                                       ReplicaLoopState::Hold hold) {
    hold.setSocket(&socket);
    error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    proxy::Http1RequestParser parser;
    std::string in(16 * 1024, '\0');
    std::size_t used = 0;
    std::string out;
    std::string body;
    std::string grpcRequest; ///< a gRPC request's body (its message)
    proxy::ChunkedDecoder decoder;
    ReplicaResponder responder(replica, worker);
    const auto readMore = [&]() -> proxy::Awaitable<bool> {
        if (in.size() - used < 4096)
            in.resize(in.size() * 2);
        const std::size_t n = co_await socket.async_read_some(
            asio::buffer(in.data() + used, in.size() - used), asio::redirect_error(proxy::useAwaitable, ec));
        used += n;
        co_return !ec && n > 0;
    };
    // HTTP/2 with prior knowledge on the same port: the client preface, read until it is complete
    // or ruled out (an HTTP/1.1 method differs from "PRI" within three bytes).
    do {
        hold.setIdle(used == 0);
        if (!co_await readMore())
            co_return;
        hold.setIdle(false);
    } while (used < kPrefaceSize && proxy::startsWithHttp2Preface({in.data(), used}));
    if (proxy::startsWithHttp2Preface({in.data(), used})) {
        auto connection =
            std::make_shared<ReplicaHttp2Connection>(replica, std::move(socket), worker, std::move(hold));
        co_await connection->run(std::string(in.data(), used));
        co_return;
    }
    for (;;) {
        auto step = parser.parseHead({in.data(), used});
        while (step.progress == proxy::Http1RequestParser::Progress::NeedMore) {
            hold.setIdle(used == 0); // between requests: a retiring replica closes it at once
            if (!co_await readMore())
                co_return;
            hold.setIdle(false);
            step = parser.parseHead({in.data(), used});
        }
        bool keepAlive = parser.head().keepAlive;
        int status = 0;
        bool grpc = false;
        bool truncated = false;
        out.clear();
        body.clear();
        grpcRequest.clear();
        if (step.progress == proxy::Http1RequestParser::Progress::Failed) {
            status = parser.error().status;
            keepAlive = false;
            body = parser.error().reason + "\n";
        } else {
            const proxy::RequestHead& head = parser.head();
            grpc = ReplicaResponder::isGrpc(head);
            const bool chunked = head.chunked;
            // The calls come first (the head's views stay valid: nothing is read meanwhile).
            const auto plan = co_await responder.prepare(head, head.version == 10 ? "HTTP/1.0" : "HTTP/1.1",
                                                         grpc ? nullptr : &body);
            status = plan.status;
            // The body is read before answering, as a real service would: dropped, or kept as a
            // gRPC request's message.
            decoder.reset();
            std::size_t consumed = step.consumed;
            auto rest = parser.parseBody({in.data() + consumed, used - consumed});
            if (grpc)
                keepBody({in.data() + consumed, rest.consumed}, chunked, decoder, grpcRequest, truncated);
            consumed += rest.consumed;
            while (rest.progress == proxy::Http1RequestParser::Progress::NeedMore) {
                std::memmove(in.data(), in.data() + consumed, used - consumed);
                used -= consumed;
                consumed = 0;
                if (!co_await readMore())
                    co_return;
                rest = parser.parseBody({in.data(), used});
                if (grpc)
                    keepBody({in.data(), rest.consumed}, chunked, decoder, grpcRequest, truncated);
                consumed = rest.consumed;
            }
            if (rest.progress == proxy::Http1RequestParser::Progress::Failed)
                co_return;
            step.consumed = consumed;
            co_await ReplicaResponder::wait(plan.delay);
        }
        keepAlive = keepAlive && !hold.stopping(); // retiring: this answer is the last
        if (grpc) {
            grpcHead(responder.name(), ReplicaResponder::grpcAnswer(status, grpcRequest, truncated),
                     keepAlive, out);
        } else {
            out += "HTTP/1.1 ";
            out += std::to_string(status);
            out += ' ';
            out += proxy::LocalReplyWriter::reason(status);
            out += "\r\ncontent-type: application/json\r\nx-sluice-workload: ";
            out += responder.name();
            out += "\r\ncontent-length: ";
            out += std::to_string(body.size());
            out += keepAlive ? "\r\n\r\n" : "\r\nconnection: close\r\n\r\n";
        }
        const bool head = parser.head().method == "HEAD";
        const std::array<asio::const_buffer, 2> buffers{asio::buffer(out),
                                                        asio::buffer(body.data(), head ? 0 : body.size())};
        co_await asio::async_write(socket, buffers, asio::redirect_error(proxy::useAwaitable, ec));
        if (ec || !keepAlive)
            break;
        std::memmove(in.data(), in.data() + step.consumed, used - step.consumed);
        used -= step.consumed;
        parser.reset();
    }
    socket.shutdown(proxy::TcpSocket::shutdown_both, ec);
}

proxy::Awaitable<void> acceptLoop(ReplicaServer& replica, std::shared_ptr<ReplicaLoopState> state,
                                  ReplicaLoopState::Hold hold) {
    proxy::TcpAcceptor& acceptor = state->acceptor();
    for (;;) {
        error_code ec;
        proxy::TcpSocket socket =
            co_await acceptor.async_accept(asio::redirect_error(proxy::useAwaitable, ec));
        if (!acceptor.is_open() || ec == asio::error::operation_aborted || hold.stopping())
            co_return;
        if (!ec)
            asio::co_spawn(state->context(),
                           serveConnection(replica, std::move(socket), state->worker(),
                                           ReplicaLoopState::Hold(state, nullptr)),
                           asio::detached);
    }
}

} // namespace

ReplicaServer::ReplicaServer(ReplicaIdentity identity, ReplicaCalls calls)
    : m_identity(std::move(identity))
    , m_calls(std::move(calls)) {}

ReplicaServer::~ReplicaServer() {
    // Retired, or its loops no longer run: what is left of them must not reach the sidecar.
    for (auto& loop : m_loops)
        loop->detach();
}

std::string ReplicaServer::listenOn(asio::io_context& context, std::uint16_t port, unsigned worker) {
    if (port == 0)
        port = m_port;
    auto state = std::make_shared<ReplicaLoopState>(context, worker, m_calls.sidecar.get());
    if (std::string error = state->listen(port); !error.empty())
        return "workload " + m_identity.name + " cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
               error;
    m_port = state->port();
    m_loops.push_back(state);
    // The accept loop holds the state from now: the loop cannot retire before it ends.
    ReplicaLoopState::Hold hold(state, nullptr);
    asio::co_spawn(context, acceptLoop(*this, std::move(state), std::move(hold)), asio::detached);
    return {};
}

void ReplicaServer::stop(std::chrono::milliseconds grace) {
    for (auto& loop : m_loops)
        loop->stop(grace);
}

bool ReplicaServer::retired() const {
    for (const auto& loop : m_loops)
        if (!loop->retired())
            return false;
    return true;
}

} // namespace sluice::workload
