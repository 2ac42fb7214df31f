// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy: includes Asio, so only the proxy's own .cpp files include it.

#include "asio_executor.h"
#include "config_cell.h"
#include "deadline_queue.h"
#include "proxy_server.h"
#include "routing/rng.h"
#include "upstream_h2_pool.h"
#include "worker_upstreams.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::metrics {
class MetricsShard;
}

namespace sluice::proxy {

class Http2StreamBufferPool;

/// One event loop on one thread with everything its connections need: the config it serves
/// (refreshed from the ConfigCell between requests), the gateway's upstream side on this worker
/// (balancer cursors, connection pools), a random source and the cached Date header. Nothing here
/// is shared with other workers but the config version's circuit breakers and outlier detectors.
class ProxyWorker {
public:
    /// `metrics`: this worker's shard (null: metrics off).
    ProxyWorker(unsigned index, const ServeOptions& options, const ConfigCell& cell,
                metrics::MetricsShard* metrics = nullptr);
    ~ProxyWorker();

    /// Accepts on `acceptor` (already bound and listening, on this worker's context) for Gateway
    /// port `gatewayPort`. Thread-safe: the worker takes it on its own thread.
    void serve(TcpAcceptor acceptor, std::uint32_t gatewayPort);
    /// Stops accepting for Gateway port `gatewayPort` (a reload removed it); its connections end
    /// after the request in flight (HTTP/2: GOAWAY). Thread-safe.
    void retire(std::uint32_t gatewayPort);
    void start();
    /// Closes the acceptors; connections finish their current request, then close.
    void stopAccepting();
    void join();
    void stopNow();

    [[nodiscard]] boost::asio::io_context& context() { return m_context; }
    [[nodiscard]] const ServeOptions& options() const { return m_options; }
    /// The config for the next request (refreshed when a newer one was published). Holding it
    /// keeps the whole version (live()) alive.
    [[nodiscard]] const ServingConfigPtr& config();
    /// What an attempt forwards to: a cluster and the gateway's state for it (breakers, outliers).
    struct ClusterChoice {
        const ServedCluster* cluster = nullptr; ///< null: the config has no cluster of that name
        ClusterState* state = nullptr;
    };
    /// For the next attempt of a request that holds `held`: nullopt while `held` is the current
    /// version (a pointer comparison); after a reload, the cluster named `name` as the worker
    /// serves it now, `held` moved to that version. Envoy's router takes each attempt's host from
    /// the cluster as it is then: decodeHeaders runs after the fault filter's delay, and doRetry
    /// fetches the thread-local cluster again by name. So a request routed just before a reload
    /// reaches the new config's endpoints, never the replaced ones that are going away.
    [[nodiscard]] std::optional<ClusterChoice> clusterNow(std::string_view name, ServingConfigPtr& held);
    /// `held` is the version being served now: clusterNow() has nothing to do (the hot path's
    /// check before each attempt, inline).
    [[nodiscard]] bool serves(const ServingConfigPtr& held) const {
        return held == m_config && m_cell.version() == m_configVersion;
    }
    /// The version config() returned last: clusters, balancers, the gateway's upstream state.
    [[nodiscard]] const LiveConfig& live() const { return *m_live; }
    /// The same, shared: for work that outlives the request (a mirror's shadow, a TCP tunnel).
    [[nodiscard]] const LiveConfigPtr& liveConfig() const { return m_live; }
    [[nodiscard]] routing::Rng& rng() { return m_rng; }
    /// The gateway's endpoint choice and connection pools on this worker.
    [[nodiscard]] WorkerUpstreams& upstreams() { return m_upstreams; }
    /// HTTP/2 connections to upstreams (clusters of gRPC / HTTP2 Service ports).
    [[nodiscard]] UpstreamH2Pool& h2Pool() { return m_h2Pool; }
    /// Deadlines of the worker's HTTP/2 streams' upstream attempts.
    [[nodiscard]] DeadlineQueue& deadlines() { return m_deadlines; }
    [[nodiscard]] metrics::MetricsShard* metrics() { return m_metrics; }
    [[nodiscard]] Http2StreamBufferPool& streamBuffers() { return *m_streamBuffers; }
    /// The Date header value, recomputed at most once a second.
    [[nodiscard]] std::string_view date();

    [[nodiscard]] bool draining() const { return m_draining.load(std::memory_order_relaxed); }
    /// Connections on Gateway port `gatewayPort` close once idle: the server stops, or a reload
    /// removed the port. Worker thread only.
    [[nodiscard]] bool draining(std::uint32_t gatewayPort) const {
        return draining() || (!m_retiredPorts.empty() && isRetired(gatewayPort));
    }
    /// Open downstream connections (written by this worker, read by stop() on another thread).
    std::atomic<std::size_t> connections{0};

private:
    ServeOptions m_options;
    const ConfigCell& m_cell;
    /// Before m_context: streams that its shutdown destroys still hand their buffers back.
    std::unique_ptr<Http2StreamBufferPool> m_streamBuffers;
    /// Sockets and timers of a worker are only ever used on its thread (listeners and replicas made
    /// elsewhere are handed over by post()), so the reactor's per-descriptor locks are not needed.
    boost::asio::io_context m_context{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    DeadlineQueue m_deadlines{m_context};
    struct Listener {
        TcpAcceptor acceptor;
        std::uint32_t gatewayPort;
    };
    [[nodiscard]] bool isRetired(std::uint32_t gatewayPort) const;

    /// A deque: each accept loop holds a reference to its acceptor, which a later listener must not
    /// move. A retired listener stays (closed): its loop may still be unwinding.
    std::deque<Listener> m_acceptors;
    std::vector<std::uint32_t> m_retiredPorts; ///< Gateway ports a reload removed
    std::thread m_thread;
    LiveConfigPtr m_live;
    ServingConfigPtr m_config;
    std::uint64_t m_configVersion = ~std::uint64_t{0};
    routing::Rng m_rng;
    WorkerUpstreams m_upstreams; ///< after m_live and m_context: closes its idle sockets first
    UpstreamH2Pool m_h2Pool{*this};
    std::string m_date;
    std::int64_t m_dateSecond = -1;
    std::atomic<bool> m_draining{false};
    metrics::MetricsShard* m_metrics = nullptr;
};

} // namespace sluice::proxy
