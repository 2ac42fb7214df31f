// SPDX-License-Identifier: Apache-2.0
#include "replay_groups.h"

#include "routing/gateway_entry.h"
#include "target_address.h"

#include <map>
#include <tuple>

namespace sluice::traffic {

ReplayGrouping groupReplayByGateway(const routing::RouteTable& table,
                                    const std::vector<PreparedRequest>& requests) {
    ReplayGrouping out;
    std::map<std::tuple<std::uint32_t, bool, std::string>, ReplayGroup> groups;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const PreparedRequest& p = requests[i];
        const auto entry = routing::gatewayEntryFor(table, p.scheme, p.authority);
        if (!entry) {
            out.unrouted.push_back(i);
            continue;
        }
        std::string sni = entry->tls ? authorityHost(p.authority) : std::string();
        ReplayGroup& g = groups[{entry->gatewayPort, entry->tls, sni}];
        if (g.requests.empty()) {
            g.gatewayPort = entry->gatewayPort;
            g.tls = entry->tls;
            g.sni = std::move(sni);
        }
        g.requests.push_back(i);
    }
    out.groups.reserve(groups.size());
    for (auto& [key, g] : groups)
        out.groups.push_back(std::move(g));
    return out;
}

} // namespace sluice::traffic
