// SPDX-License-Identifier: Apache-2.0
#include "mirror_sender.h"

#include "asio_executor.h"
#include "http1_response_parser.h"
#include "http1_session.h" // readRoom

#include <cstring>
#include <memory>
#include <optional>

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

struct Shadow {
    ProxyWorker& worker;
    LiveConfigPtr live; // the version the request came with: its cluster and breakers (before lease)
    const ServedCluster& cluster;
    std::string request;
    bool headRequest;
    std::chrono::milliseconds timeout;
    UpstreamLease lease; // here, not in the coroutine: the timer may outlive it
};

/// True when the answer was read to its end on a connection that may serve again.
Awaitable<bool> sendShadow(TcpSocket& socket, const Shadow& shadow) {
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(shadow.request), asio::redirect_error(useAwaitable, ec));
    if (ec)
        co_return false;
    Http1ResponseParser parser(shadow.worker.options().limits);
    parser.expect(shadow.headRequest);
    std::string buffer(kReadChunk, '\0');
    std::size_t used = 0;
    bool headDone = false;
    for (;;) {
        const std::size_t n =
            co_await socket.async_read_some(readRoom(buffer, used), asio::redirect_error(useAwaitable, ec));
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

Awaitable<void> run(std::shared_ptr<Shadow> shadow) {
    using Clock = std::chrono::steady_clock;
    ProxyWorker& worker = shadow->worker;
    const ServedCluster& cluster = shadow->cluster;
    ClusterState& state = shadow->live->gateway().cluster(cluster.index());
    const std::optional<std::uint32_t> picked = worker.upstreams().select(cluster, state, {});
    if (!picked)
        co_return; // every endpoint ejected
    const Clock::time_point deadline = Clock::now() + shadow->timeout;
    // A shadow is never sent twice: an idle connection is peeked at before it is reused.
    const auto pooled = co_await worker.upstreams().pool().acquire(cluster, state, *picked, deadline,
                                                                   /*probe=*/true, shadow->lease);
    if (pooled != ConnectionPool::Result::Ready) {
        if (pooled == ConnectionPool::Result::ConnectFailed)
            state.outlier().report(*picked, 503, Clock::now());
        co_return;
    }
    SteadyTimer timer(worker.context());
    timer.expires_at(deadline);
    timer.async_wait([shadow](const error_code& ec) {
        if (!ec && shadow->lease) {
            error_code ignored;
            shadow->lease.socket().cancel(ignored);
        }
    });
    const bool reusable = co_await sendShadow(shadow->lease.socket(), *shadow);
    timer.cancel();
    if (reusable && !worker.draining())
        shadow->lease.keep();
    shadow->lease.release();
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
        // The mirror cluster of the version the worker serves now; the shadow holds that version.
        const LiveConfigPtr& live = worker.liveConfig();
        const ServedCluster* cluster = live->clusters().find(mirror.destination.cluster);
        if (!cluster || cluster->endpoints().empty())
            continue;
        std::string request;
        UpstreamRequestWriter::write(head, decision, facts, request);
        request.append(body);
        send(worker, live, *cluster, std::move(request), head.method == "HEAD", timeout);
    }
}

void MirrorSender::send(ProxyWorker& worker, LiveConfigPtr live, const ServedCluster& cluster,
                        std::string request, bool headRequest, std::chrono::milliseconds timeout) {
    auto shadow = std::make_shared<Shadow>(
        Shadow{worker, std::move(live), cluster, std::move(request), headRequest, timeout, {}});
    asio::co_spawn(worker.context(), run(std::move(shadow)), asio::detached);
}

} // namespace sluice::proxy
