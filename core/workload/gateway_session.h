// SPDX-License-Identifier: Apache-2.0
#pragma once

// One run of the live gateway as `sluice serve` and the Studio drive it: the proxy in front of
// the config's replicas (LiveGateway), its metrics (MetricsCollector) and an optional access log,
// started on a config, hot-reloaded with new ones, stopped. No Asio, no OpenSSL in this header.

#include "live_gateway.h"
#include "metrics/metrics_collector.h"
#include "model/diagnostic.h"
#include "model/resource_set.h"
#include "proxy/access_log_sink.h"
#include "proxy/proxy_server.h"
#include "routing/route_table.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::proxy {
class DevCertificateAuthority;
}

namespace sluice::workload {

struct SessionOptions {
    /// Where and how the proxy listens (bind address, port offset or ephemeral ports, workers...).
    /// Its accessLog and metrics are the session's: set them below, not there.
    proxy::ServeOptions serve;
    /// Every request goes there (the caller owns it and keeps it alive longer than the session);
    /// null: no access log.
    proxy::AccessLogSink* accessLog = nullptr;
    bool metrics = true; ///< keep request metrics (a MetricsCollector per run, every 100 ms)
    std::chrono::milliseconds metricsInterval{100};
    /// Certificates for TLS servers that have none (null: their handshakes fail).
    const proxy::DevCertificateAuthority* devCa = nullptr;
    /// Refuse a config whose TLS servers lack certificates (else serve it: their handshakes fail).
    bool refuseMissingTls = false;
    /// How long stop() lets requests in flight finish by default.
    std::chrono::milliseconds drain{5000};
};

/// Where one Gateway port listens here, and how to reach it.
struct LocalListener {
    std::uint32_t gatewayPort = 0;
    std::uint16_t localPort = 0;
    std::string scheme; ///< "http", "https" or "tcp"
    std::string url;    ///< "http://127.0.0.1:8080"
    std::string host;   ///< the Host to send ("bookinfo.example.com"); empty for TCP

    /// "http://127.0.0.1:8080  Host: bookinfo.example.com" (without the Host for TCP).
    [[nodiscard]] std::string text() const;
};

/// A live gateway run: start() on a config, apply() newer ones (a refused one leaves the last
/// good config serving), stop() to free the ports. A stopped session can be started again.
///
/// Threads: call it from one thread at a time (start() and stop() block: the Studio calls them
/// off its GUI thread). metrics() subscribers run on the collector's thread.
class GatewaySession {
public:
    explicit GatewaySession(SessionOptions options);
    ~GatewaySession(); ///< stops with the default drain
    GatewaySession(const GatewaySession&) = delete;
    GatewaySession& operator=(const GatewaySession&) = delete;

    /// Errors that make Istio's webhook refuse the config, hence the session too. With
    /// `devCerts`, a credentialName whose Secret is missing or unusable does not count (the
    /// development CA stands in).
    [[nodiscard]] static std::size_t blockingErrors(const model::Diagnostics& diagnostics, bool devCerts);

    /// Binds the listeners, starts the replicas and the workers and serves `table` (compiled from
    /// `resources`). Empty on success, else why, in plain words (a port in use, nothing to listen
    /// on, TLS servers without certificates...); on failure nothing is left running.
    /// `tlsRefused` is set when the refusal is TLS servers without a certificate.
    [[nodiscard]] std::string start(const model::ResourceSet& resources, routing::RouteTablePtr table,
                                    bool* tlsRefused = nullptr);
    /// Serves a new config from the next request on (hot reload). When it is refused, the last
    /// good config keeps serving and the reason comes back (empty: applied). listenerChanges()
    /// tells which Gateway ports it added or retired.
    [[nodiscard]] std::string apply(const model::ResourceSet& resources, routing::RouteTablePtr table);
    /// Stops accepting, lets requests in flight finish for up to `drain`, then frees the ports and
    /// stops the replicas and the metrics. Nothing when not running.
    void stop(std::chrono::milliseconds drain);
    void stop() { stop(m_options.drain); }

    [[nodiscard]] bool running() const { return m_gateway != nullptr; }
    /// Every listener with its local URL and the Host to use (empty when not running).
    [[nodiscard]] std::vector<LocalListener> listeners() const;
    /// What the last successful apply() changed in the listeners.
    [[nodiscard]] const proxy::ListenerChanges& listenerChanges() const;
    /// The run's metrics hub (null when stopped or metrics are off). Valid until stop().
    [[nodiscard]] metrics::MetricsCollector* metrics() const { return m_metrics.get(); }
    /// The gateway of the run. Precondition: running().
    [[nodiscard]] LiveGateway& gateway() { return *m_gateway; }
    [[nodiscard]] const LiveGateway& gateway() const { return *m_gateway; }
    [[nodiscard]] const SessionOptions& options() const { return m_options; }

private:
    SessionOptions m_options;
    // Declared before the gateway, whose workers record into them: destroyed after it.
    std::unique_ptr<metrics::MetricsCollector> m_metrics;
    std::unique_ptr<LiveGateway> m_gateway;
};

} // namespace sluice::workload
