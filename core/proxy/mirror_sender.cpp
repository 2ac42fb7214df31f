// SPDX-License-Identifier: Apache-2.0
#include "mirror_sender.h"

#include "http1_response_parser.h"
#include "http1_session.h" // readRoom

#include <cstring>
#include <memory>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct Shadow {
    ProxyWorker& worker;
    Endpoint endpoint; // a copy: a reload may drop the config the request came with
    std::string request;
    bool headRequest;
    std::chrono::milliseconds timeout;
    std::optional<tcp::socket> socket; // here, not in the coroutine: the timer may outlive it
};

/// True when the answer was read to its end on a connection that may serve again.
asio::awaitable<bool> exchange(tcp::socket& socket, const Shadow& shadow) {
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(shadow.request),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return false;
    Http1ResponseParser parser(shadow.worker.options().limits);
    parser.expect(shadow.headRequest);
    std::string buffer(kReadChunk, '\0');
    std::size_t used = 0;
    bool headDone = false;
    for (;;) {
        const std::size_t n = co_await socket.async_read_some(readRoom(buffer, used),
                                                              asio::redirect_error(asio::use_awaitable, ec));
        if (ec || n == 0)
            co_return false;
        used += n;
        auto step =
            headDone ? parser.parseBody({buffer.data(), used}) : parser.parseHead({buffer.data(), used});
        if (!headDone && step.progress == Http1ResponseParser::Progress::Done) {
            headDone = true;
            const std::size_t head = step.consumed;
            step = parser.parseBody({buffer.data() + head, used - head});
            step.consumed += head;
        }
        if (step.progress == Http1ResponseParser::Progress::Failed)
            co_return false;
        used -= step.consumed; // bodies are dropped as they come
        std::memmove(buffer.data(), buffer.data() + step.consumed, used);
        if (headDone && step.progress == Http1ResponseParser::Progress::Done)
            co_return used == 0 && parser.head().keepAlive && !parser.head().closeDelimited;
    }
}

asio::awaitable<void> run(std::shared_ptr<Shadow> shadow) {
    ProxyWorker& worker = shadow->worker;
    std::optional<tcp::socket>& socket = shadow->socket;
    socket = worker.pool().take(shadow->endpoint, /*probe=*/true);
    if (!socket) {
        error_code ec;
        tcp::socket fresh(worker.context());
        const tcp::endpoint to(asio::ip::make_address(shadow->endpoint.address, ec), shadow->endpoint.port);
        if (!ec)
            co_await fresh.async_connect(to, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return;
        socket.emplace(std::move(fresh));
    }
    asio::steady_timer timer(worker.context());
    timer.expires_after(shadow->timeout);
    timer.async_wait([shadow](const error_code& ec) {
        if (!ec && shadow->socket) {
            error_code ignored;
            shadow->socket->cancel(ignored);
        }
    });
    const bool reusable = co_await exchange(*socket, *shadow);
    timer.cancel();
    if (reusable && !worker.draining())
        worker.pool().giveBack(shadow->endpoint, std::move(*socket));
    socket.reset();
}

} // namespace

void MirrorSender::shadow(ProxyWorker& worker, const routing::Decision& decision, const RequestHead& head,
                          std::string_view body, const DownstreamFacts& facts) {
    // Without a route timeout a shadow could wait forever on a silent upstream: cap it.
    const auto timeout = decision.timeout && decision.timeout->nanos > 0
                             ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::nanoseconds(decision.timeout->nanos))
                             : std::chrono::milliseconds(60'000);
    for (const routing::MirrorPolicy& mirror : decision.mirrors) {
        if (!mirror.clusterExists || (mirror.percent < 100 && worker.rng().percent() >= mirror.percent))
            continue;
        const auto cluster = worker.config()->clusters.find(mirror.destination.cluster);
        if (cluster == worker.config()->clusters.end())
            continue;
        const Endpoint* endpoint = worker.pickEndpoint(cluster->second);
        if (!endpoint)
            continue;
        std::string request;
        UpstreamRequestWriter::write(head, decision, facts, request);
        request.append(body);
        send(worker, *endpoint, std::move(request), head.method == "HEAD", timeout);
    }
}

void MirrorSender::send(ProxyWorker& worker, const Endpoint& endpoint, std::string request, bool headRequest,
                        std::chrono::milliseconds timeout) {
    auto shadow = std::make_shared<Shadow>(
        Shadow{worker, endpoint, std::move(request), headRequest, timeout, std::nullopt});
    asio::co_spawn(worker.context(), run(std::move(shadow)), asio::detached);
}

} // namespace sluice::proxy
