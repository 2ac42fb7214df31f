// SPDX-License-Identifier: Apache-2.0
#include "routing_diff.h"

#include "embedded_gateway.h"

namespace sluice::traffic {

routing::Request routingRequestOf(const PreparedRequest& p, std::uint32_t gatewayPort, bool tls) {
    routing::Request r;
    r.port = gatewayPort;
    r.tls = tls;
    r.authority = p.authority;
    r.method = p.method;
    r.target = p.path;
    r.headers = p.headers;
    return r;
}

RoutingDiff diffRouting(const routing::RouteTable& before, const routing::RouteTable& after,
                        const Recording& recording, const std::vector<PreparedRequest>& requests) {
    RoutingDiff diff;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const PreparedRequest& p = requests[i];
        std::optional<GatewayEntry> entry = gatewayEntryFor(before, p.scheme, p.authority);
        if (!entry)
            entry = gatewayEntryFor(after, p.scheme, p.authority);
        const std::uint32_t port = entry ? entry->gatewayPort : (p.scheme == "https" ? 443 : 80);
        const bool tls = entry ? entry->tls : p.scheme == "https";
        const routing::Request request = routingRequestOf(p, port, tls);
        RouteSummary a = summarizeRoute(before, request);
        RouteSummary b = summarizeRoute(after, request);
        ++diff.compared;
        if (a.sameRouting(b))
            continue;
        RoutingChange c;
        c.request = i;
        c.record = p.record;
        c.line = p.record < recording.requests.size() ? recording.requests[p.record].source.line : 0;
        c.method = p.method;
        c.authority = p.authority;
        c.path = p.path;
        c.gatewayPort = port;
        c.before = std::move(a);
        c.after = std::move(b);
        diff.changes.push_back(std::move(c));
    }
    return diff;
}

} // namespace sluice::traffic
