// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "destination_resolver.h"
#include "model/resource_set.h"
#include "route_action.h"

#include <map>
#include <string>
#include <vector>

namespace sluice::routing {

/// Where the routes of a VirtualService are being generated: which gateway (or "mesh"), which
/// port, and the proxy whose labels config-time filters (sourceLabels) are evaluated against.
struct RouteContext {
    std::string gateway;    ///< "ns/name", or "mesh"
    std::uint32_t port = 0; ///< Gateway server port, or Service port for the mesh
    const std::map<std::string, std::string>* proxyLabels =
        nullptr; ///< nullptr: defer source checks to request time
    std::string proxyNamespace;
};

/// Istio's gateway reference resolution: short names in the VirtualService's namespace, `./gw`,
/// legacy `gw.ns.svc.cluster.local` -> `ns/gw`; `mesh` stays `mesh`.
[[nodiscard]] std::string resolveGatewayName(std::string_view name, std::string_view vsNamespace);

/// Turns the http rules of a VirtualService into Envoy routes for one context, as Istio's
/// BuildHTTPRoutesForVirtualService does: one route per surviving match, matches filtered by
/// port / gateways / sourceLabels, delegates expanded, generation stops after a catch-all.
class RouteBuilder {
public:
    RouteBuilder(const model::ResourceSet& resources, const DestinationResolver& resolver)
        : m_resources(resources)
        , m_resolver(resolver) {}

    [[nodiscard]] std::vector<CompiledRoute> httpRoutes(const model::VirtualService& vs,
                                                        const RouteContext& ctx) const;
    /// For a VirtualService that yields no http routes in `ctx`: why, rule by rule, in words.
    [[nodiscard]] std::string whyNoHttpRoutes(const model::VirtualService& vs, const RouteContext& ctx) const;

    /// The first tcp rule whose matches pass for this context, as a TCP proxy target.
    [[nodiscard]] std::optional<std::pair<std::vector<WeightedDestination>, RouteOrigin>>
    tcpRoute(const model::VirtualService& vs, const RouteContext& ctx) const;

    [[nodiscard]] std::vector<WeightedDestination>
    destinations(const std::vector<model::RouteDestination>& route, const std::string& ns,
                 std::uint32_t port) const;

private:
    void appendRule(const model::HTTPRoute& rule, int ruleIndex, const model::VirtualService& owner,
                    const std::string& ns, const RouteContext& ctx, std::vector<CompiledRoute>& out,
                    bool& catchAll) const;
    [[nodiscard]] std::shared_ptr<const RouteAction>
    action(const model::HTTPRoute& rule, const std::string& ns, const RouteContext& ctx) const;
    /// Why a match never becomes a route for this context (port, gateways, source); nullopt: it applies.
    [[nodiscard]] std::optional<std::string>
    filteredOut(const model::HTTPMatchRequest& m, const std::string& ns, const RouteContext& ctx) const;
    [[nodiscard]] const model::VirtualService* findDelegate(const model::Delegate& d,
                                                            const std::string& rootNs) const;

    const model::ResourceSet& m_resources;
    const DestinationResolver& m_resolver;
};

} // namespace sluice::routing
