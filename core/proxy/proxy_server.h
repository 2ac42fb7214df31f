// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster_snapshot.h"
#include "http1_request_parser.h"
#include "serving_config.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace sluice::metrics {
class MetricsCollector;
class MetricsShard;
} // namespace sluice::metrics

namespace sluice::proxy {

class ConfigCell;
class LiveConfig;

struct ServeOptions {
    std::string bindAddress = "127.0.0.1";
    /// A Gateway port P below 1024 binds P + offset (Istio's gateway Service maps 80 -> 8080).
    std::uint16_t portOffset = 8000;
    /// Bind every listener to an ephemeral port instead (tests); listeners() tells which.
    bool ephemeralPorts = false;
    unsigned workers = 0; ///< 0: one per core
    HeadLimits limits;
    std::chrono::milliseconds requestHeadersTimeout{10'000}; ///< slowloris guard
    std::chrono::milliseconds idleTimeout{3'600'000};        ///< Envoy's HTTP and TCP idle timeout: 1 h
    /// Envoy's stream_idle_timeout (HTTP/2 streams): 5 min without a byte either way ends a stream.
    std::chrono::milliseconds streamIdleTimeout{300'000};
    std::chrono::milliseconds connectTimeout{10'000}; ///< Istio's default connectTimeout
    std::size_t maxConnections = 10'000;              ///< per worker
    /// TLS listeners: the ClientHello, then the handshake, must complete within this (Envoy's
    /// listener_filters_timeout is 15 s).
    std::chrono::milliseconds tlsHandshakeTimeout{15'000};
    /// Where every request is logged (a file in Envoy's format, the Studio's ring); null: none. The caller
    /// owns it and keeps it alive as long as the server.
    class AccessLogSink* accessLog = nullptr;
    /// Where every worker records its requests (one shard each); null: no metrics. The caller owns
    /// it (and runs its collection) and keeps it alive as long as the server.
    metrics::MetricsCollector* metrics = nullptr;
};

struct BoundListener {
    std::uint32_t gatewayPort = 0; ///< the Gateway server port as written in YAML
    std::uint16_t localPort = 0;   ///< where it listens here
};

/// What a reload changed in the listeners (ProxyServer::addListeners / retireListeners).
struct ListenerChanges {
    std::vector<BoundListener> added;
    std::vector<std::uint32_t> retired; ///< Gateway ports no longer listened on
    std::vector<std::string> errors;    ///< ports that could not be bound, and why
};

/// The live proxy: one listener per Gateway server port, N workers each with its own event loop
/// and its own accept socket per port (SO_REUSEPORT), connection pools and random source; nothing
/// shared on the request path but the immutable ServingConfig and, per cluster, the circuit
/// breakers' and outlier detection's atomics (cluster-wide in Envoy too).
class ProxyServer {
public:
    /// Creates the workers (not running yet): other servers (simulated workloads) may be placed on
    /// their event loops before start().
    ProxyServer(ServeOptions options, ServingConfigPtr config);
    ~ProxyServer(); ///< stops and joins
    ProxyServer(const ProxyServer&) = delete;
    ProxyServer& operator=(const ProxyServer&) = delete;

    /// Binds every listener (not accepting yet). Bind the listeners before anything else takes
    /// loopback ports (simulated workloads' ephemeral ones), so that nothing shares their ports.
    /// Empty on success, else why (port in use...). start() calls it when it was not called.
    [[nodiscard]] std::string listen();
    /// Binds every listener if not done, and starts the workers. Empty on success, else why.
    [[nodiscard]] std::string start();
    /// After listen(): binds the Gateway ports of `table` that have no listener yet (a reload
    /// added them); every worker accepts on them at once. Before listen(): nothing (it binds all).
    [[nodiscard]] ListenerChanges addListeners(const routing::RouteTable& table);
    /// Closes the listeners whose Gateway port `table` no longer has; their connections finish the
    /// request in flight, then close (HTTP/2: GOAWAY). Returns those ports.
    std::vector<std::uint32_t> retireListeners(const routing::RouteTable& table);
    /// Stops accepting, lets requests in flight finish (up to `drain`), then stops the workers'
    /// threads. Their event loops are destroyed with the server, after what was placed on them.
    void stop(std::chrono::milliseconds drain = std::chrono::milliseconds{5000});
    /// Serves `config` from the next request on; requests in flight finish on their own.
    void swap(ServingConfigPtr config);

    /// The config served now (for the admin endpoint's /config_dump and /clusters).
    [[nodiscard]] ServingConfigPtr config() const;
    /// True from start() until stop() begins: the server takes new requests (the admin /ready).
    [[nodiscard]] bool live() const;

    [[nodiscard]] std::vector<BoundListener> listeners() const;
    [[nodiscard]] unsigned workerCount() const;
    /// Worker `index`'s event loop, for servers that run beside the proxy (simulated workloads).
    [[nodiscard]] boost::asio::io_context& workerContext(unsigned index);
    /// Worker `index`'s metrics shard (null: metrics off), for what records on that worker's loop
    /// beside it (the simulated workloads' sidecars). Only that worker's thread may record into it.
    [[nodiscard]] metrics::MetricsShard* workerMetrics(unsigned index);
    /// The config being served (and its clusters), for what serves beside the proxy and routes
    /// with it at request time: the simulated workloads' sidecars (MeshCaller). Thread-safe.
    [[nodiscard]] const ConfigCell& configCell() const;
    /// The version served now as a whole (its config, clusters and the gateway's circuit breakers
    /// and outlier detection, consistent with each other). Thread-safe.
    [[nodiscard]] std::shared_ptr<const LiveConfig> liveConfig() const;
    /// The gateway's clusters now: endpoints with health, ejections and requests in flight, circuit
    /// breaker counters and thresholds (the admin endpoint's /clusters). Thread-safe.
    [[nodiscard]] std::vector<ClusterSnapshot> clusters() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

/// The local port a Gateway port binds to: P + offset below 1024, else P.
[[nodiscard]] std::uint16_t localPortFor(std::uint32_t gatewayPort, std::uint16_t offset);

} // namespace sluice::proxy
