// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where requests enter a compiled gateway: a Gateway port and the Host to send to it. Used by the
// traffic commands (which listener to load) and the live session (the address to show).

#include "route_table.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::routing {

/// Which Gateway port requests go to, and the Host to use when nothing else names one.
struct GatewayEntry {
    std::uint32_t gatewayPort = 0;
    bool tls = false;             ///< a TLS listener (terminating HTTPS)
    std::string defaultAuthority; ///< the first host its routes serve that is not a wildcard
};

/// The entry for port `port` when given (nullopt if nothing listens there); else the first HTTP
/// listener (port 80 first), else the first TLS one when `preferTls` or when there is no HTTP one.
[[nodiscard]] std::optional<GatewayEntry>
gatewayEntry(const routing::RouteTable& table, std::optional<std::uint32_t> port, bool preferTls = false);

/// The entry for a request recorded with `scheme` ("https": a TLS listener first) and `authority`:
/// the authority's port when the table listens on it, else by scheme.
[[nodiscard]] std::optional<GatewayEntry>
gatewayEntryFor(const routing::RouteTable& table, std::string_view scheme, std::string_view authority);

} // namespace sluice::routing
