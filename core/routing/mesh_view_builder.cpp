// SPDX-License-Identifier: Apache-2.0
// The sidecar (gateway `mesh`) half of TableCompiler: one outbound route config per Service port,
// one vhost per Service, routes from the first mesh-bound VirtualService for that host (sidecars do
// not merge VirtualServices; istioctl reports the conflict as IST0109), else the default route.

#include "host_name.h"
#include "table_compiler.h"

#include <algorithm>
#include <map>

namespace sluice::routing {
namespace {

bool boundToMesh(const model::VirtualService& vs) {
    if (vs.spec.hosts.empty())
        return false;
    if (vs.spec.gateways.empty())
        return true;
    return std::any_of(vs.spec.gateways.begin(), vs.spec.gateways.end(),
                       [](const auto& g) { return g.value == "mesh"; });
}

} // namespace

void TableCompiler::buildMesh(RouteTable& table) const {
    const DestinationResolver meshResolver(m_resources, std::string());
    const RouteBuilder meshBuilder(m_resources, meshResolver);
    std::map<std::uint32_t, std::vector<VirtualHost>> byPort;
    for (const auto& servicePort : meshResolver.meshPorts()) {
        const std::string& host = servicePort.host;
        const std::uint32_t port = servicePort.port;
        VirtualHost vh{host, false, {}, {}, {}};
        const RouteContext ctx{"mesh", port, nullptr, {}};
        for (const auto* vs : m_orderedVirtualServices) {
            if (!boundToMesh(*vs))
                continue;
            const auto hosts = virtualServiceHosts(*vs);
            const bool covers = std::any_of(hosts.begin(), hosts.end(), [&](const std::string& h) {
                return hostSubsetOf(host, lowerAscii(h));
            });
            if (!covers)
                continue;
            vh.routes = meshBuilder.httpRoutes(*vs, ctx);
            vh.sources.push_back(vs->header.span);
            break;
        }
        if (vh.routes.empty()) {
            // No VirtualService: the sidecar's default route sends everything to the Service itself.
            auto action = std::make_shared<RouteAction>();
            model::Destination d;
            d.host = model::Located<std::string>(host);
            WeightedDestination wd = meshResolver.resolve(d, "default", port);
            wd.weight = 100;
            action->destinations.push_back(std::move(wd));
            action->totalWeight = 100;
            RouteOrigin origin;
            origin.gateway = "mesh";
            origin.ruleName = "default";
            vh.routes.push_back({RequestMatcher::matchAll(), std::move(action), std::move(origin), {}, {}});
        }
        vh.index.build(vh.routes);
        byPort[port].push_back(std::move(vh));
    }
    for (auto& [port, vhosts] : byPort)
        table.m_mesh.emplace(port, std::make_shared<RouteConfig>(std::to_string(port), std::move(vhosts)));
}

} // namespace sluice::routing
