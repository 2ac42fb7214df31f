// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "access_log.h"
#include "asio_executor.h"
#include "client_stream.h"
#include "proxy_worker.h"
#include "routing/request.h"

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::proxy {

/// One downstream connection proxied as TCP, as Envoy's tcp_proxy filter does for a TCP route, a
/// TLS passthrough chain or a TLS-terminated TCP chain: the routing engine decides the cluster
/// for the connection (port, SNI), an endpoint is connected (one attempt, within the connect
/// timeout) through the worker's connection pool under the cluster's circuit breakers, as
/// Envoy's TCP connection pool does (tcp.maxConnections reached: the connection waits as a
/// pending request for one of the host pool's connections to close; past
/// http1MaxPendingRequests it is closed with UO), and a TcpTunnel carries the bytes. With an
/// access log on, one line per connection in Envoy's format ("- - -" 0 and the response flags:
/// NR no chain/route, NC no cluster, UH no endpoint, UF connect failure, UO overflow).
class TcpProxySession {
public:
    TcpProxySession(ProxyWorker& worker, ClientStream client);
    ~TcpProxySession();
    TcpProxySession(const TcpProxySession&) = delete;
    TcpProxySession& operator=(const TcpProxySession&) = delete;

    /// Routes `request` (port, tls, sni) on `config` and proxies the connection to its end.
    /// `alreadyRead`: client bytes read before (a passthrough's ClientHello), sent upstream first.
    Awaitable<void> run(ServingConfigPtr config, routing::Request request, std::string alreadyRead);

private:
    Awaitable<void> finish();
    void log(std::string_view flags);

    ProxyWorker& m_worker;
    ClientStream m_client;
    RequestRecord m_record;
    std::chrono::steady_clock::time_point m_started;
};

} // namespace sluice::proxy
