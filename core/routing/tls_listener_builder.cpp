// SPDX-License-Identifier: Apache-2.0
// The TLS half of TableCompiler (Istio's buildGatewayTCPBasedFilterChains for HTTPS/TLS ports):
// one filter chain per terminating server (matched on its hosts as SNI), one per tls-rule match on
// passthrough servers, one per (service, port, subset) on AUTO_PASSTHROUGH servers.

#include "host_name.h"
#include "table_compiler.h"

#include <algorithm>

namespace sluice::routing {
namespace {

bool isHttps(const std::string& protocol) {
    std::string p = lowerAscii(protocol);
    return p == "https";
}

std::uint64_t totalWeight(const std::vector<WeightedDestination>& destinations) {
    std::uint64_t total = 0;
    for (const auto& d : destinations)
        total += d.weight;
    return total;
}

} // namespace

void TableCompiler::buildTlsChains(std::uint32_t port, const std::vector<ServerRef>& servers,
                                   Listener& listener) const {
    std::vector<std::string> claimedSni; // Istio's tlsHostsByPort for tls-rule SNIs, shared by the port
    for (const ServerRef& ref : servers) {
        const auto& tls = ref.server->tls;
        const auto mode = tls && tls->mode.present ? tls->mode.value : model::ServerTlsMode::Passthrough;
        if (mode == model::ServerTlsMode::Passthrough) {
            passthroughChains(ref, claimedSni, listener.chains);
            continue;
        }
        if (mode == model::ServerTlsMode::AutoPassthrough) {
            autoPassthroughChains(ref, listener.chains);
            continue;
        }
        FilterChain chain;
        chain.gateway = ref.gatewayName;
        chain.server = serverLabel(*ref.server);
        chain.span = ref.server->span;
        chain.mutualTls = mode == model::ServerTlsMode::Mutual;
        chain.tls = tls;
        for (const auto& h : ref.server->hosts) {
            const auto slash = h.value.find('/');
            const std::string name =
                lowerAscii(slash == std::string::npos ? h.value : h.value.substr(slash + 1));
            if (name == "*") {
                chain.serverNames.clear();
                break;
            }
            if (std::find(chain.serverNames.begin(), chain.serverNames.end(), name) ==
                chain.serverNames.end())
                chain.serverNames.push_back(name);
        }
        if (isHttps(ref.server->port->protocol.value)) {
            chain.mode = FilterChain::Mode::TerminateHttp;
            chain.http =
                httpRouteConfig("https." + std::to_string(port) + "." + ref.server->port->name.value + "." +
                                    ref.gateway->header.name() + "." + ref.gateway->header.ns(),
                                {ref});
        } else {
            chain.mode = FilterChain::Mode::TerminateTcp;
            chain.tcp = tcpRouteFor(ref);
            if (!chain.tcp) {
                listener.notes.push_back(
                    "Gateway " + ref.gatewayName + " " + chain.server +
                    " terminates TLS and proxies TCP, but no VirtualService bound to it has a "
                    "tcp rule for this port, so it gets no filter chain");
                continue;
            }
        }
        listener.chains.push_back(std::move(chain));
    }
}

void TableCompiler::passthroughChains(const ServerRef& ref, std::vector<std::string>& claimedSni,
                                      std::vector<FilterChain>& chains) const {
    const std::uint32_t port = ref.server->port->number.value;
    for (const auto* vs : boundVirtualServices(ref.gatewayName)) {
        // The server's hosts only decide binding; the chains match the rules' sniHosts.
        if (hostIntersection(serverHostsFor(ref, vs->header.ns()), virtualServiceHosts(*vs)).empty())
            continue;
        for (std::size_t i = 0; i < vs->spec.tls.size(); ++i) {
            const auto& rule = vs->spec.tls[i];
            if (rule.route.empty())
                continue;
            for (const auto& m : rule.match) {
                if (m.port.present && m.port.value != 0 && m.port.value != port)
                    continue;
                if (!m.gateways.empty() &&
                    std::none_of(m.gateways.begin(), m.gateways.end(), [&](const auto& g) {
                        return resolveGatewayName(g.value, vs->header.ns()) == ref.gatewayName;
                    }))
                    continue;
                std::vector<std::string> names;
                for (const auto& sniHost : m.sniHosts)
                    names.push_back(lowerAscii(sniHost.value));
                // An SNI already claimed on this port skips the whole match (first wins).
                if (std::find_first_of(names.begin(), names.end(), claimedSni.begin(), claimedSni.end()) !=
                    names.end())
                    continue;
                claimedSni.insert(claimedSni.end(), names.begin(), names.end());
                FilterChain chain;
                chain.serverNames = std::move(names);
                chain.mode = FilterChain::Mode::Passthrough;
                chain.gateway = ref.gatewayName;
                chain.server = serverLabel(*ref.server);
                chain.span = m.span;
                TcpRoute route;
                route.destinations = m_builder.destinations(rule.route, vs->header.ns(), port);
                route.totalWeight = totalWeight(route.destinations);
                route.origin = {ref.gatewayName,
                                vs->header.ns() + "/" + vs->header.name(),
                                static_cast<int>(i),
                                -1,
                                {},
                                {},
                                {},
                                rule.span};
                chain.tcp = std::move(route);
                chains.push_back(std::move(chain));
            }
        }
    }
}

void TableCompiler::autoPassthroughChains(const ServerRef& ref, std::vector<FilterChain>& chains) const {
    // builtAutoPassthroughFilterChains: every mesh Service covered by a server host, per port and
    // subset, reachable by the SNI outbound_.<port>_.<subset>_.<fqdn>. No VirtualService involved.
    std::vector<std::string> hosts;
    for (const auto& h : ref.server->hosts) {
        const auto slash = h.value.find('/');
        hosts.push_back(lowerAscii(slash == std::string::npos ? h.value : h.value.substr(slash + 1)));
    }
    for (const auto& sp : m_resolver.meshPorts()) {
        if (sp.external || std::none_of(hosts.begin(), hosts.end(),
                                        [&](const std::string& h) { return hostSubsetOf(sp.host, h); }))
            continue;
        std::vector<std::string> subsets{""};
        for (auto& s : m_resolver.subsetNames(sp.host))
            subsets.push_back(std::move(s));
        for (const auto& subset : subsets) {
            FilterChain chain;
            chain.serverNames = {"outbound_." + std::to_string(sp.port) + "_." + subset + "_." + sp.host};
            chain.mode = FilterChain::Mode::AutoPassthrough;
            chain.gateway = ref.gatewayName;
            chain.server = serverLabel(*ref.server);
            chain.span = ref.server->span;
            model::Destination d;
            d.host = model::Located<std::string>(sp.host);
            d.subset = model::Located<std::string>(subset);
            TcpRoute route;
            route.destinations.push_back(m_resolver.resolve(d, "default", sp.port));
            route.destinations.back().weight = 100;
            route.totalWeight = 100;
            route.origin.gateway = ref.gatewayName;
            route.origin.span = ref.server->span;
            chain.tcp = std::move(route);
            chains.push_back(std::move(chain));
        }
    }
}

} // namespace sluice::routing
