// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy: includes Asio's OpenSSL layer.

#include "routing/listener.h"
#include "server_credentials.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/ssl/context.hpp>

namespace sluice::proxy {

/// The application protocols offered in ALPN, in the server's order of preference: "h2", then
/// "http/1.1", as Istio configures a gateway's TLS servers (util.ALPNHttp); the connection then
/// goes to the session of ClientStream::negotiatedProtocol().
[[nodiscard]] std::string_view servedApplicationProtocols(); ///< ALPN wire format

/// The TLS context of one terminating filter chain, as Envoy's DownstreamTlsContext for an Istio
/// Gateway server: its certificate(s), for MUTUAL the CA client certificates must chain to (a
/// missing or unverifiable client certificate fails the handshake; OPTIONAL_MUTUAL verifies one
/// only when presented), TLS 1.2 at least (or the
/// server's minProtocolVersion), its cipherSuites or Istio's default list, ALPN. Its SNI callback
/// checks that the routing engine's filter chain match gives this very chain for the name the
/// handshake carries, else the handshake fails (as Envoy resets a connection with no chain).
class TlsChainContext {
public:
    /// Null, with `problem` saying why, when OpenSSL refuses the material (a certificate or key
    /// that does not parse, a key that does not match, an unknown cipher suite).
    [[nodiscard]] static std::unique_ptr<TlsChainContext> build(const routing::Listener& listener,
                                                                std::size_t index,
                                                                const ServerCredentials& credentials,
                                                                std::string& problem);

    /// Asio takes the context by non-const reference; the SSL objects made from it only read it.
    [[nodiscard]] boost::asio::ssl::context& context() const { return m_context; }
    [[nodiscard]] const routing::Listener& listener() const { return *m_listener; }
    [[nodiscard]] const routing::FilterChain& chain() const { return m_listener->chains[m_index]; }

private:
    TlsChainContext(const routing::Listener& listener, std::size_t index);
    bool configure(const ServerCredentials& credentials, std::string& problem);

    mutable boost::asio::ssl::context m_context;
    const routing::Listener* m_listener;
    std::size_t m_index;
};

} // namespace sluice::proxy
