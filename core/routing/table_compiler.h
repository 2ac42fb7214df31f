// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "destination_resolver.h"
#include "route_builder.h"
#include "route_table.h"

#include <memory>
#include <string>
#include <vector>

namespace sluice::routing {

/// "server port 443 (https)" for notes and traces.
[[nodiscard]] std::string serverLabel(const model::Server& server);
/// Istio's sanitizeServerHostNamespace: `./h` -> `<gateway ns>/h`, `*/h` -> `h`, `*/*` -> just `*`.
[[nodiscard]] std::vector<std::string> sanitizedServerHosts(const model::Server& server,
                                                            const std::string& gatewayNamespace);

/// Builds a RouteTable the way istiod builds the gateway's listeners and routes:
/// select Gateways, merge servers per port, bind VirtualServices, build vhosts; plus the mesh view.
class TableCompiler {
public:
    TableCompiler(const model::ResourceSet& resources, const model::GatewayWorkload& workload);
    [[nodiscard]] RouteTablePtr build();

private:
    struct ServerRef {
        const model::Gateway* gateway;
        const model::Server* server;
        std::size_t index;
        std::string gatewayName; ///< "ns/name"
    };

    /// The Gateways whose selector matches the workload, in Istio's order; notes the others' ports.
    [[nodiscard]] std::vector<const model::Gateway*> applicableGateways(RouteTable& table) const;
    [[nodiscard]] bool
    visibleToGateway(const model::VirtualService& vs) const; ///< exportTo admits the workload's namespace
    [[nodiscard]] std::vector<const model::VirtualService*>
    boundVirtualServices(const std::string& gateway) const;
    [[nodiscard]] std::vector<std::string> serverHostsFor(const ServerRef& ref,
                                                          const std::string& vsNamespace) const;
    [[nodiscard]] std::vector<std::string> virtualServiceHosts(const model::VirtualService& vs) const;

    void buildListeners(RouteTable& table);
    [[nodiscard]] std::shared_ptr<const RouteConfig>
    httpRouteConfig(const std::string& name, const std::vector<ServerRef>& servers) const;
    [[nodiscard]] std::optional<TcpRoute> tcpRouteFor(const ServerRef& ref) const;
    // Why VirtualServices gave a route config nothing (binding_inspector.cpp).
    [[nodiscard]] std::shared_ptr<const BindingReport>
    inspectBindings(const std::string& routeConfig, const std::vector<ServerRef>& servers,
                    const std::vector<const model::VirtualService*>& contributed) const;
    [[nodiscard]] std::string droppedReason(const model::VirtualService& vs,
                                            const std::vector<ServerRef>& servers) const;
    // TLS-based listeners (tls_listener_builder.cpp).
    void buildTlsChains(std::uint32_t port, const std::vector<ServerRef>& servers, Listener& listener) const;
    void passthroughChains(const ServerRef& ref, std::vector<std::string>& claimedSni,
                           std::vector<FilterChain>& chains) const;
    void autoPassthroughChains(const ServerRef& ref, std::vector<FilterChain>& chains) const;
    void buildMesh(RouteTable& table) const;

    const model::ResourceSet& m_resources;
    model::GatewayWorkload m_workload;
    DestinationResolver m_resolver;
    RouteBuilder m_builder;
    std::vector<const model::VirtualService*> m_orderedVirtualServices;
};

} // namespace sluice::routing
