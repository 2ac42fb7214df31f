// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "asio_executor.h"
#include "client_stream.h"

#include <chrono>
#include <cstdint>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::proxy {

/// A raw bidirectional byte copy between a downstream stream and an upstream socket, as Envoy's
/// tcp_proxy does for TCP routes, TLS passthrough and upgraded (WebSocket) connections.
///
/// Half-close: when one side ends its sending (EOF), the other side's sending is shut down and
/// the opposite direction keeps flowing until it ends too. Under TLS downstream a half-close
/// cannot be expressed before the TLS shutdown, so an upstream EOF ends the tunnel (the caller
/// then closes the TLS session). A reset or error on either side closes both. No byte moves for
/// `idleTimeout` in either direction: both are closed.
class TcpTunnel {
public:
    struct Totals {
        std::uint64_t fromClient = 0; ///< bytes read from downstream (and written upstream)
        std::uint64_t toClient = 0;   ///< bytes written downstream
        bool idleTimedOut = false;
        bool reset = false; ///< ended by an error or reset rather than by both sides' EOF
    };

    /// Copies until both directions have ended. `toUpstream` and `toClient` are bytes already
    /// read from one side (a ClientHello, an upgrade's early data) and delivered first; they
    /// must stay valid until the tunnel ends.
    static Awaitable<Totals> run(ClientStream& client, TcpSocket& upstream,
                                 std::chrono::milliseconds idleTimeout, std::string_view toUpstream = {},
                                 std::string_view toClient = {});
};

} // namespace sluice::proxy
