// SPDX-License-Identifier: Apache-2.0
#include "proxy_worker.h"

#include "asio_executor.h"
#include "coarse_clock.h"
#include "downstream_connection.h"
#include "http1_session.h"
#include "http2_stream_buffers.h"
#include "response_writers.h"

#include <algorithm>
#include <chrono>
#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pthread.h>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

/// Owns the session for as long as it runs: coroutine parameters live in the coroutine's frame,
/// and awaitables start lazily, after the accept loop has dropped its own reference.
Awaitable<void> runSession(std::shared_ptr<Http1Session> session) {
    co_await session->run();
}

Awaitable<void> acceptLoop(ProxyWorker& worker, TcpAcceptor& acceptor, std::uint32_t gatewayPort) {
    for (;;) {
        boost::system::error_code ec;
        TcpSocket socket = co_await acceptor.async_accept(asio::redirect_error(useAwaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            co_return;
        if (ec)
            continue; // EMFILE and friends: the next accept may succeed
        if (worker.connections >= worker.options().maxConnections) {
            socket.close(ec); // over the limit: refuse by closing, as Envoy's overload manager does
            continue;
        }
        const auto& listeners = worker.config()->table->listeners();
        if (const auto l = listeners.find(gatewayPort);
            l == listeners.end() || l->second.kind != routing::Listener::Kind::Http) {
            // TCP and TLS listeners (and a port a reload changed) look at the connection first.
            asio::co_spawn(worker.context(),
                           DownstreamConnection::serve(worker, std::move(socket), gatewayPort),
                           asio::detached);
            continue;
        }
        auto session = std::make_shared<Http1Session>(worker, ClientStream(std::move(socket)), gatewayPort);
        asio::co_spawn(worker.context(), runSession(std::move(session)), asio::detached);
    }
}

/// A worker's generator starts from the system's entropy, as Envoy's random generator does:
/// request IDs (UUIDv4) must not repeat from one run to the next, nor the draws behind weighted
/// destinations, fault percentages and retry jitter.
std::uint64_t entropySeed() {
    std::random_device device;
    return (std::uint64_t{device()} << 32) ^ device();
}

} // namespace

ProxyWorker::ProxyWorker(unsigned index, const ServeOptions& options, const ConfigCell& cell,
                         metrics::MetricsShard* metrics)
    : m_options(options)
    , m_cell(cell)
    , m_streamBuffers(std::make_unique<Http2StreamBufferPool>())
    , m_rng(entropySeed() + index * 0x9E3779B97F4A7C15ull)
    , m_upstreams(m_context.get_executor(), m_rng)
    , m_metrics(metrics) {}

ProxyWorker::~ProxyWorker() {
    stopNow();
    join();
}

void ProxyWorker::serve(TcpAcceptor acceptor, std::uint32_t gatewayPort) {
    asio::post(m_context, [this, acceptor = std::move(acceptor), gatewayPort]() mutable {
        std::erase(m_retiredPorts, gatewayPort);
        m_acceptors.push_back({std::move(acceptor), gatewayPort});
        asio::co_spawn(m_context, acceptLoop(*this, m_acceptors.back().acceptor, gatewayPort),
                       asio::detached);
    });
}

void ProxyWorker::retire(std::uint32_t gatewayPort) {
    asio::post(m_context, [this, gatewayPort] {
        for (auto& l : m_acceptors)
            if (l.gatewayPort == gatewayPort) {
                boost::system::error_code ignored;
                l.acceptor.close(ignored);
            }
        if (!isRetired(gatewayPort))
            m_retiredPorts.push_back(gatewayPort);
    });
}

bool ProxyWorker::isRetired(std::uint32_t gatewayPort) const {
    return std::find(m_retiredPorts.begin(), m_retiredPorts.end(), gatewayPort) != m_retiredPorts.end();
}

void ProxyWorker::start() {
    m_thread = std::thread([this] {
        // Named for top -H, perf -t and the benchmarks, which measure the worker alone.
        pthread_setname_np(pthread_self(), "sluice-worker");
        m_context.run();
    });
}

void ProxyWorker::stopAccepting() {
    asio::post(m_context, [this] {
        m_draining.store(true, std::memory_order_relaxed);
        for (auto& l : m_acceptors) {
            boost::system::error_code ignored;
            l.acceptor.close(ignored);
        }
        m_upstreams.pool().closeIdle();
        m_h2Pool.clear();
    });
}

void ProxyWorker::stopNow() {
    m_context.stop();
}

void ProxyWorker::join() {
    if (m_thread.joinable())
        m_thread.join();
}

const ServingConfigPtr& ProxyWorker::config() {
    if (const std::uint64_t version = m_cell.version(); version != m_configVersion) {
        LiveConfigPtr live = m_cell.loadLive();
        // The previous version's idle connections close (its breakers live on in m_live until then).
        m_upstreams.bind(live->clusters());
        m_live = std::move(live);
        m_config = servingConfigOf(m_live);
        m_configVersion = version;
        m_h2Pool.clear(); // endpoints may have moved
    }
    return m_config;
}

std::optional<ProxyWorker::ClusterChoice> ProxyWorker::clusterNow(std::string_view name,
                                                                  ServingConfigPtr& held) {
    if (held == config())
        return std::nullopt;
    held = m_config;
    ClusterChoice choice;
    choice.cluster = m_live->clusters().find(name);
    if (choice.cluster)
        choice.state = &m_live->gateway().cluster(choice.cluster->index());
    return choice;
}

std::string_view ProxyWorker::date() {
    const std::int64_t second = coarseUnixSecond();
    if (second != m_dateSecond) {
        m_dateSecond = second;
        m_date = httpDate(second);
    }
    return m_date;
}

} // namespace sluice::proxy
