// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "replay_source.h"
#include "routing/route_table.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::traffic {

/// The recorded requests that go to one Gateway port over connections of one kind: over TLS, one
/// server name. A TLS connection is bound to the SNI of its handshake and the gateway picks the
/// filter chain (certificate, routes) by it, so each request is sent with its own authority's
/// host as SNI, as the client that recorded it did: requests to several hosts on one TLS port make
/// one group per host. One LoadEngine replays each group, all on one timeline.
struct ReplayGroup {
    std::uint32_t gatewayPort = 0;
    bool tls = false;
    std::string sni;                   ///< TLS: the server name; empty otherwise
    std::vector<std::size_t> requests; ///< indices in the prepared requests, in time order
};

struct ReplayGrouping {
    /// By Gateway port, then TLS, then server name.
    std::vector<ReplayGroup> groups;
    /// Requests no Gateway server of the table listens for (routing::gatewayEntryFor), in order.
    std::vector<std::size_t> unrouted;
};

/// Groups `requests` by where the gateway compiled in `table` takes them: the Gateway port their
/// scheme and authority go to (routing::gatewayEntryFor) and, over TLS, their server name.
/// What `sluice replay -f` and the Studio's replay send through the embedded gateway.
[[nodiscard]] ReplayGrouping groupReplayByGateway(const routing::RouteTable& table,
                                                  const std::vector<PreparedRequest>& requests);

} // namespace sluice::traffic
