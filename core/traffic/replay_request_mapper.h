// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "recorded_request.h"
#include "routing/request.h"
#include "routing/route_table.h"

#include <cstdint>
#include <string>

namespace sluice::traffic {

/// Turns a recorded request into the request the gateway receives when it is replayed: method,
/// path, headers and authority as recorded (the original Host is kept), on the Gateway port the
/// recording names or implies:
/// - the authority's explicit port, when the gateway listens on it;
/// - else 443 for an https request and 80 otherwise, when the gateway listens there;
/// - else the gateway's first port of the matching kind (TLS for https), else its first port.
/// It speaks TLS exactly when that port is a TLS server. A request recorded without an authority
/// (nginx logs) goes to `fallbackAuthority`.
class ReplayRequestMapper {
public:
    ReplayRequestMapper(const routing::RouteTable& table, std::string fallbackAuthority);

    /// Fills `out`, reusing its storage (a replay converts every request into the same one).
    void fill(const RecordedRequest& recorded, routing::Request& out) const;

private:
    [[nodiscard]] std::uint32_t portFor(const RecordedRequest& recorded, bool https) const;

    const routing::RouteTable& m_table;
    std::string m_fallbackAuthority;
};

} // namespace sluice::traffic
