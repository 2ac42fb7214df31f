// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/gateway.h"
#include "route_config.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::routing {

/// A TCP proxy target: weighted destinations from one VirtualService tcp/tls rule.
struct TcpRoute {
    std::vector<WeightedDestination> destinations;
    std::uint64_t totalWeight = 0;
    RouteOrigin origin;
};

/// One filter chain of a TLS-based listener, selected by SNI.
struct FilterChain {
    enum class Mode : std::uint8_t { TerminateHttp, TerminateTcp, Passthrough, AutoPassthrough };
    std::vector<std::string> serverNames; ///< lower-case; empty = matches every SNI
    Mode mode = Mode::TerminateHttp;
    bool mutualTls = false;
    std::shared_ptr<const RouteConfig> http; ///< TerminateHttp
    std::optional<TcpRoute> tcp;             ///< TerminateTcp and Passthrough
    std::string gateway;                     ///< "ns/name"
    std::string server;                      ///< "port 443 (https)"
    model::SourceSpan span;
    /// The terminating server's tls block (certificates, credentialName, versions, ciphers): what
    /// the proxy needs to build this chain's TLS context. Unset for passthrough chains.
    std::optional<model::ServerTlsSettings> tls;
};

/// The chain Envoy's filter chain match picks for `sni` (lower-case; empty when the client sent
/// none): an exact server name, else the longest matching wildcard, else the first chain without
/// server names; null when none matches (the connection is reset).
[[nodiscard]] const FilterChain* selectFilterChain(const std::vector<FilterChain>& chains,
                                                   std::string_view sni);

/// What the gateway listens on for one server port.
struct Listener {
    enum class Kind : std::uint8_t { Http, Tcp, Tls };
    std::uint32_t port = 0;
    Kind kind = Kind::Http;
    std::shared_ptr<const RouteConfig> http; ///< Kind::Http
    std::optional<TcpRoute> tcp;             ///< Kind::Tcp
    std::vector<FilterChain> chains;         ///< Kind::Tls
    std::vector<std::string> gateways;       ///< "ns/name" of the Gateways whose servers made it
    std::vector<std::string> notes;          ///< compile-time decisions (servers dropped, ...)
};

} // namespace sluice::routing
