// SPDX-License-Identifier: Apache-2.0
// The bookkeeping half of TableCompiler: for each HTTP route config, which VirtualServices were
// considered and, for those that contributed nothing, why — in words a user can act on. Only read
// when a request finds no route, so it favours clarity over speed.

#include "host_name.h"
#include "table_compiler.h"

#include <algorithm>

namespace sluice::routing {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

std::string quotedList(const std::vector<model::Located<std::string>>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + ("\"" + i.value + "\"");
    return "[" + out + "]";
}

std::string strippedHost(const std::string& host) {
    const auto slash = host.find('/');
    return lowerAscii(slash == std::string::npos ? host : host.substr(slash + 1));
}

} // namespace

std::string TableCompiler::droppedReason(const model::VirtualService& vs,
                                         const std::vector<ServerRef>& servers) const {
    const std::string name = "VirtualService " + vs.header.ns() + "/" + vs.header.name();
    std::vector<std::string> gateways;
    for (const auto& ref : servers)
        if (std::find(gateways.begin(), gateways.end(), ref.gatewayName) == gateways.end())
            gateways.push_back(ref.gatewayName);

    if (!visibleToGateway(vs))
        return name + " is exported only to " + quotedList(vs.spec.exportTo) +
               ", so the gateway in namespace " + m_workload.ns + " cannot see it; add \"" + m_workload.ns +
               "\" (or \"*\") to its exportTo";
    if (vs.spec.gateways.empty())
        return name +
               " has no `gateways` list, so it applies only to sidecars (mesh), never to an ingress gateway; "
               "add gateways: [" +
               gateways.front() + "]";

    std::vector<const ServerRef*> bound;
    std::string resolved, hint;
    for (const auto& g : vs.spec.gateways) {
        const std::string full = resolveGatewayName(g.value, vs.header.ns());
        resolved += (resolved.empty() ? "" : ", ") +
                    (full == g.value ? full : "\"" + g.value + "\" (= " + full + ")");
        for (const auto& ref : servers)
            if (ref.gatewayName == full)
                bound.push_back(&ref);
        const auto slash = full.find('/');
        for (const auto& gw : gateways)
            if (full != "mesh" && gw != full && gw.substr(gw.find('/') + 1) == full.substr(slash + 1) &&
                g.value.find('/') == std::string::npos)
                hint = "; a gateway name without a namespace means the VirtualService's own namespace, so "
                       "write \"" +
                       gw + "\"";
    }
    if (bound.empty())
        return name + " is not bound to this gateway: its gateways list names " + resolved +
               ", but the server(s) on port " + std::to_string(servers.front().server->port->number.value) +
               " belong to " + joined(gateways) + hint;

    const auto vsHosts = virtualServiceHosts(vs);
    std::vector<std::string> admitted, written;
    std::string scoped; // a server host that would match, were it not limited to another namespace
    for (const ServerRef* ref : bound) {
        const auto hosts = serverHostsFor(*ref, vs.header.ns());
        admitted.insert(admitted.end(), hosts.begin(), hosts.end());
        for (const auto& h : ref->server->hosts) {
            written.push_back(h.value);
            const auto slash = h.value.find('/');
            const std::string ns = slash == std::string::npos ? "*" : h.value.substr(0, slash);
            const std::string owner = ns == "." ? ref->gateway->header.ns() : ns;
            if (scoped.empty() && owner != "*" && owner != vs.header.ns() &&
                !hostIntersection({h.value.substr(slash + 1)}, vsHosts).empty())
                scoped = "; the server host " + h.value + " would match, but it admits only VirtualServices from "
                                                         "namespace " + owner;
        }
        if (!hostIntersection(hosts, vsHosts).empty()) {
            const RouteContext ctx{ref->gatewayName, ref->server->port->number.value, &m_workload.labels,
                                   m_workload.ns};
            return name + ": " + m_builder.whyNoHttpRoutes(vs, ctx);
        }
    }
    if (admitted.empty())
        return name + " is bound to " + bound.front()->gatewayName + ", but its server hosts (" +
               joined(written) + ") admit no VirtualService from namespace " + vs.header.ns() + scoped;
    return name + " lists hosts " + joined(vsHosts) + ", but the server(s) of " + bound.front()->gatewayName +
           " on this port serve only " + joined(written) + "; no host is in both" + scoped;
}

std::shared_ptr<const BindingReport>
TableCompiler::inspectBindings(const std::string& routeConfig, const std::vector<ServerRef>& servers,
                               const std::vector<const model::VirtualService*>& contributed) const {
    auto report = std::make_shared<BindingReport>();
    report->routeConfig = routeConfig;
    report->port = servers.empty() ? 0 : servers.front().server->port->number.value;
    std::vector<std::string> served; // server hosts without namespace, for relevance
    for (const auto& ref : servers) {
        if (std::find(report->gateways.begin(), report->gateways.end(), ref.gatewayName) ==
            report->gateways.end())
            report->gateways.push_back(ref.gatewayName);
        for (const auto& h : ref.server->hosts) {
            report->serverHosts.push_back(h.value);
            served.push_back(strippedHost(h.value));
        }
    }
    for (const auto* vs : m_orderedVirtualServices) {
        if (vs->spec.hosts.empty())
            continue; // delegates are explained through their root
        auto hosts = virtualServiceHosts(*vs);
        for (auto& h : hosts)
            h = lowerAscii(h);
        const bool gave = std::find(contributed.begin(), contributed.end(), vs) != contributed.end();
        const bool namesGateway =
            std::any_of(vs->spec.gateways.begin(), vs->spec.gateways.end(), [&](const auto& g) {
                const std::string full = resolveGatewayName(g.value, vs->header.ns());
                return std::find(report->gateways.begin(), report->gateways.end(), full) !=
                       report->gateways.end();
            });
        const bool listsServedHost = std::any_of(hosts.begin(), hosts.end(), [&](const std::string& h) {
            return std::any_of(served.begin(), served.end(),
                               [&](const std::string& s) { return hostsMatch(h, s); });
        });
        if (!gave && !namesGateway && !listsServedHost)
            continue;
        report->virtualServices.push_back({vs->header.ns() + "/" + vs->header.name(), std::move(hosts),
                                           gave ? std::string() : droppedReason(*vs, servers),
                                           vs->header.span});
    }
    return report;
}

} // namespace sluice::routing
