// SPDX-License-Identifier: Apache-2.0
#include "tcp_proxy_session.h"

#include "asio_executor.h"
#include "connection_pool.h"
#include "deadline.h"
#include "tcp_tunnel.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

} // namespace

TcpProxySession::TcpProxySession(ProxyWorker& worker, ClientStream client)
    : m_worker(worker)
    , m_client(std::move(client))
    , m_started(Clock::now()) {
    ++m_worker.connections;
    m_record.start = std::chrono::system_clock::now();
    m_record.method = "-";
    m_record.path = "-";
    m_record.protocol = "-";
}

TcpProxySession::~TcpProxySession() {
    error_code ignored;
    m_client.close(ignored);
    --m_worker.connections;
}

void TcpProxySession::log(std::string_view flags) {
    AccessLogSink* accessLog = m_worker.options().accessLog;
    if (!accessLog)
        return;
    m_record.flags.assign(flags);
    m_record.durationMillis =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_started).count();
    accessLog->write(m_record);
}

Awaitable<void> TcpProxySession::finish() {
    if (!m_client.tls())
        co_return;
    // Under TLS, end with close_notify; a peer that does not answer it within a second is closed.
    Deadline deadline(m_worker.context(), std::chrono::seconds(1), [this] {
        error_code ignored;
        m_client.close(ignored);
    });
    error_code ec;
    co_await m_client.async_shutdown(asio::redirect_error(useAwaitable, ec));
}

Awaitable<void> TcpProxySession::run(ServingConfigPtr config, routing::Request request,
                                     std::string alreadyRead) {
    m_record.bytesReceived = alreadyRead.size();
    const routing::Decision d = config->table->route(request, m_worker.rng(), routing::Explain::No);
    if (d.outcome != routing::Outcome::Forward || !d.destination) {
        // No chain or route (NR), no such cluster (NC), no endpoint (UH): the connection closes.
        log(d.responseFlag.empty() ? std::string_view("NR") : std::string_view(d.responseFlag));
        co_return;
    }
    // The cluster as the worker serves it now (a reload while a ClientHello was read may have
    // replaced `config`'s), held for the connection: its balancer and outlier detection pick the
    // endpoint, its connectTimeout bounds the connect.
    const LiveConfigPtr live = m_worker.liveConfig();
    const ServedCluster* cluster = live->clusters().find(d.destination->cluster);
    std::optional<std::uint32_t> picked;
    if (cluster && !cluster->endpoints().empty())
        picked = m_worker.upstreams().select(*cluster, live->gateway().cluster(cluster->index()), {});
    if (!picked) {
        log("UH");
        co_return;
    }
    const Endpoint& endpoint = cluster->endpoints()[*picked];
    m_record.upstreamHost = endpoint.address + ":" + std::to_string(endpoint.port);
    ClusterState& state = live->gateway().cluster(cluster->index());
    // A tunnel's connection is never handed to anyone else: the lease closes it when it ends.
    UpstreamLease lease;
    const ConnectionPool::Result pooled = co_await m_worker.upstreams().pool().acquire(
        *cluster, state, *picked, Clock::time_point::max(), false, lease);
    if (pooled == ConnectionPool::Result::Overflow) {
        log("UO"); // Envoy's tcp_proxy closes the downstream connection on a pool overflow
        co_return;
    }
    if (pooled != ConnectionPool::Result::Ready) {
        // Outlier detection counts a connect failure as a 503 (Envoy's local-origin mapping).
        state.outlier().report(*picked, 503, Clock::now());
        log("UF"); // Envoy's tcp_proxy closes the downstream connection on a connect failure
        co_return;
    }
    TcpSocket* upstream = &lease.socket();
    const TcpTunnel::Totals totals =
        co_await TcpTunnel::run(m_client, *upstream, m_worker.options().idleTimeout, alreadyRead);
    m_record.bytesReceived = totals.fromClient;
    m_record.bytesSent = totals.toClient;
    lease.release();
    if (!totals.reset && !totals.idleTimedOut)
        co_await finish();
    log({});
}

} // namespace sluice::proxy
