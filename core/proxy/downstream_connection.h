// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "asio_executor.h"
#include "proxy_worker.h"

#include <cstdint>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::proxy {

/// What a listener that is not plain HTTP does with an accepted connection, by the listener's kind
/// in the worker's current config:
/// - TCP: proxied as TCP (TcpProxySession) to the cluster of the port's tcp route.
/// - TLS: the ClientHello is read (ClientHelloReader: no TLS, malformed, too large or too slow
///   closes the connection) and its SNI picks the filter chain as the routing engine's match
///   does (none: closed, NR). Passthrough chains forward the ClientHello and everything after it
///   untouched (TcpProxySession); terminating chains do the handshake with the chain's context,
///   the ClientHello bytes replayed into it, then serve HTTP/2 (Http2Session) when ALPN agreed on
///   "h2", else HTTP/1.1 (Http1Session), or TCP.
/// Plain HTTP listeners go straight to Http1Session.
class DownstreamConnection {
public:
    static Awaitable<void> serve(ProxyWorker& worker, TcpSocket socket, std::uint32_t gatewayPort);

private:
    static Awaitable<void> serveTls(ProxyWorker& worker, TcpSocket socket, std::uint32_t gatewayPort,
                                    ServingConfigPtr config);
};

} // namespace sluice::proxy
