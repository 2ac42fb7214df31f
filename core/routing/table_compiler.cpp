// SPDX-License-Identifier: Apache-2.0
#include "table_compiler.h"

#include "host_name.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace sluice::routing {
namespace {

enum class Family { Http, Tls, Tcp };

std::string upper(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return s;
}

Family familyOf(const std::string& protocol) {
    const std::string p = upper(protocol);
    if (p == "HTTP" || p == "HTTP2" || p == "GRPC" || p == "GRPC-WEB")
        return Family::Http;
    if (p == "HTTPS" || p == "TLS")
        return Family::Tls;
    return Family::Tcp;
}

std::string_view familyName(Family f) {
    switch (f) {
    case Family::Http:
        return "plaintext HTTP";
    case Family::Tls:
        return "TLS";
    case Family::Tcp:
        return "TCP";
    }
    return "";
}

template <class R> auto creationKey(const R& r) {
    return std::tie(r.header.metadata.creationTimestamp.value, r.header.metadata.name.value,
                    r.header.metadata.namespace_.value);
}

bool isCatchAll(const CompiledRoute& r) {
    return r.match.isCatchAll() && r.sourceLabels.empty() && r.sourceNamespace.empty();
}

} // namespace

std::string serverLabel(const model::Server& s) {
    return "server port " + std::to_string(s.port ? s.port->number.value : 0) + " (" +
           (s.port ? s.port->name.value : std::string()) + ")";
}

std::vector<std::string> sanitizedServerHosts(const model::Server& server,
                                              const std::string& gatewayNamespace) {
    std::vector<std::string> out;
    for (const auto& h : server.hosts) {
        const auto slash = h.value.find('/');
        if (slash == std::string::npos) {
            out.push_back(h.value);
            continue;
        }
        const std::string ns = h.value.substr(0, slash), name = h.value.substr(slash + 1);
        if (ns == ".")
            out.push_back(gatewayNamespace + "/" + name);
        else if (ns != "*")
            out.push_back(h.value);
        else if (name == "*")
            return {"*"};
        else
            out.push_back(name);
    }
    return out;
}

TableCompiler::TableCompiler(const model::ResourceSet& resources, const model::GatewayWorkload& workload)
    : m_resources(resources)
    , m_workload(workload)
    , m_resolver(resources, workload.ns)
    , m_builder(resources, m_resolver) {
    for (const auto& vs : resources.virtualServices)
        m_orderedVirtualServices.push_back(&vs);
    std::stable_sort(m_orderedVirtualServices.begin(), m_orderedVirtualServices.end(),
                     [](const auto* a, const auto* b) { return creationKey(*a) < creationKey(*b); });
}

std::vector<const model::Gateway*> TableCompiler::applicableGateways(RouteTable& table) const {
    std::vector<const model::Gateway*> out;
    for (const model::Gateway& gw : m_resources.gateways) {
        const bool selected =
            std::all_of(gw.spec.selector.begin(), gw.spec.selector.end(), [&](const auto& kv) {
                const auto it = m_workload.labels.find(kv.first);
                return it != m_workload.labels.end() && it->second == kv.second.value;
            });
        if (selected) {
            out.push_back(&gw);
            continue;
        }
        std::string selector, labels;
        for (const auto& [k, v] : gw.spec.selector)
            selector += (selector.empty() ? "" : ", ") + k + ": " + v.value;
        for (const auto& [k, v] : m_workload.labels)
            labels += (labels.empty() ? "" : ", ") + k + ": " + v;
        for (const auto& server : gw.spec.servers)
            if (server.port)
                table.m_portNotes[server.port->number.value].push_back(
                    "Gateway " + gw.header.ns() + "/" + gw.header.name() + " has a server on port " +
                    std::to_string(server.port->number.value) + ", but its selector {" + selector +
                    "} does not match the gateway workload " + m_workload.ns + "/" + m_workload.name + " {" +
                    labels + "}");
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto* a, const auto* b) { return creationKey(*a) < creationKey(*b); });
    return out;
}

bool TableCompiler::visibleToGateway(const model::VirtualService& vs) const {
    const auto& exportTo = vs.spec.exportTo;
    return exportTo.empty() || std::any_of(exportTo.begin(), exportTo.end(), [&](const auto& e) {
               return e.value == "*" || e.value == m_workload.ns ||
                      (e.value == "." && vs.header.ns() == m_workload.ns);
           });
}

std::vector<const model::VirtualService*>
TableCompiler::boundVirtualServices(const std::string& gateway) const {
    std::vector<const model::VirtualService*> out;
    for (const auto* vs : m_orderedVirtualServices) {
        if (vs->spec.hosts.empty())
            continue; // delegates never bind on their own
        const bool bound =
            std::any_of(vs->spec.gateways.begin(), vs->spec.gateways.end(), [&](const auto& g) {
                return resolveGatewayName(g.value, vs->header.ns()) == gateway;
            });
        if (bound && visibleToGateway(*vs))
            out.push_back(vs);
    }
    return out;
}

std::vector<std::string> TableCompiler::serverHostsFor(const ServerRef& ref,
                                                       const std::string& vsNamespace) const {
    std::vector<std::string> out;
    for (const auto& h : ref.server->hosts) {
        const std::string_view text = h.value;
        const auto slash = text.find('/');
        std::string_view ns = slash == std::string_view::npos ? "*" : text.substr(0, slash);
        const std::string_view name = slash == std::string_view::npos ? text : text.substr(slash + 1);
        if (ns == ".")
            ns = ref.gateway->header.ns();
        if (ns == "*" || ns == vsNamespace)
            out.emplace_back(name);
    }
    return out;
}

std::vector<std::string> TableCompiler::virtualServiceHosts(const model::VirtualService& vs) const {
    std::vector<std::string> out;
    for (const auto& h : vs.spec.hosts)
        out.push_back(expandShortName(h.value, vs.header.ns()));
    return out;
}

std::shared_ptr<const RouteConfig>
TableCompiler::httpRouteConfig(const std::string& name, const std::vector<ServerRef>& servers) const {
    std::vector<VirtualHost> vhosts;
    std::map<std::string, std::size_t> byDomain;
    auto vhostFor = [&](const std::string& domain) -> VirtualHost& {
        const std::string key = lowerAscii(domain);
        const auto [it, inserted] = byDomain.emplace(key, vhosts.size());
        if (inserted)
            vhosts.push_back(VirtualHost{key, false, {}, {}, {}});
        return vhosts[it->second];
    };
    std::vector<const model::VirtualService*> contributed;
    for (const ServerRef& ref : servers) {
        const bool redirect = ref.server->tls && ref.server->tls->httpsRedirect.valueOr(false);
        const RouteContext ctx{ref.gatewayName, ref.server->port->number.value, &m_workload.labels,
                               m_workload.ns};
        for (const auto* vs : boundVirtualServices(ref.gatewayName)) {
            const auto hosts =
                hostIntersection(serverHostsFor(ref, vs->header.ns()), virtualServiceHosts(*vs));
            if (hosts.empty())
                continue;
            auto routes = m_builder.httpRoutes(*vs, ctx);
            if (routes.empty())
                continue;
            if (std::find(contributed.begin(), contributed.end(), vs) == contributed.end())
                contributed.push_back(vs);
            for (const auto& h : hosts) {
                VirtualHost& vh = vhostFor(h);
                vh.routes.insert(vh.routes.end(), routes.begin(), routes.end());
                vh.requireTls = vh.requireTls || redirect;
                vh.sources.push_back(vs->header.span);
            }
        }
        if (redirect)
            for (const auto& h : ref.server->hosts) {
                const auto slash = h.value.find('/');
                vhostFor(slash == std::string::npos ? h.value : h.value.substr(slash + 1)).requireTls = true;
            }
    }
    for (auto& vh : vhosts) {
        // SortVHostRoutes: catch-all routes move to the end, order otherwise kept.
        std::stable_partition(vh.routes.begin(), vh.routes.end(),
                              [](const CompiledRoute& r) { return !isCatchAll(r); });
        vh.index.build(vh.routes);
    }
    std::shared_ptr<RouteConfig> config;
    if (vhosts.empty()) {
        config = std::make_shared<RouteConfig>(name,
                                               std::vector<VirtualHost>{VirtualHost{"*", false, {}, {}, {}}});
        config->markBlackhole();
    } else {
        config = std::make_shared<RouteConfig>(name, std::move(vhosts));
    }
    config->setReport(inspectBindings(name, servers, contributed));
    return config;
}

std::optional<TcpRoute> TableCompiler::tcpRouteFor(const ServerRef& ref) const {
    const RouteContext ctx{ref.gatewayName, ref.server->port->number.value, &m_workload.labels,
                           m_workload.ns};
    for (const auto* vs : boundVirtualServices(ref.gatewayName)) {
        if (hostIntersection(serverHostsFor(ref, vs->header.ns()), virtualServiceHosts(*vs)).empty())
            continue;
        if (auto found = m_builder.tcpRoute(*vs, ctx)) {
            TcpRoute route{std::move(found->first), 0, std::move(found->second)};
            for (const auto& d : route.destinations)
                route.totalWeight += d.weight;
            return route;
        }
    }
    return std::nullopt;
}

void TableCompiler::buildListeners(RouteTable& table) {
    struct PortState {
        Family family;
        std::vector<ServerRef> servers;
        std::vector<std::string> gateways;
        std::vector<std::string> notes;
    };
    std::map<std::uint32_t, PortState> ports;
    std::map<std::uint32_t, std::vector<std::string>> tlsHosts; // mergeGateways' tlsHostsByPort
    for (const auto* gw : applicableGateways(table)) {
        const std::string gwName = gw->header.ns() + "/" + gw->header.name();
        for (std::size_t i = 0; i < gw->spec.servers.size(); ++i) {
            const model::Server& server = gw->spec.servers[i];
            if (!server.port || !server.port->number.present)
                continue;
            const std::uint32_t port = server.port->number.value;
            const Family family = familyOf(server.port->protocol.value);
            // Istio checks every server with a tls block (httpsRedirect included) for hosts already
            // claimed on the port before anything else; a repeat skips the whole server.
            if (server.tls) {
                const auto hosts = sanitizedServerHosts(server, gw->header.ns());
                auto& known = tlsHosts[port];
                const auto dup = std::find_first_of(hosts.begin(), hosts.end(), known.begin(), known.end());
                if (dup != hosts.end()) {
                    ports[port].notes.push_back(
                        "Gateway " + gwName + " " + serverLabel(server) + " was dropped: host " + *dup +
                        " is already served on this port by an earlier server (first wins)");
                    continue;
                }
                known.insert(known.end(), hosts.begin(), hosts.end());
            }
            auto [it, inserted] = ports.try_emplace(port, PortState{family, {}, {}, {}});
            PortState& state = it->second;
            if (state.servers.empty() && state.gateways.empty())
                state.family = family;
            else if (state.family != family) {
                state.notes.push_back(
                    "Gateway " + gwName + " " + serverLabel(server) + " (" + std::string(familyName(family)) +
                    ") was dropped: the port already serves " + std::string(familyName(state.family)) +
                    " for " + state.gateways.front() + ", and the first Gateway wins");
                continue;
            } else if (family == Family::Tcp) {
                state.notes.push_back("Gateway " + gwName + " " + serverLabel(server) +
                                      " was dropped: the TCP server of " + state.gateways.front() +
                                      " already owns the port (first wins)");
                continue;
            }
            state.servers.push_back({gw, &server, i, gwName});
            if (std::find(state.gateways.begin(), state.gateways.end(), gwName) == state.gateways.end())
                state.gateways.push_back(gwName);
        }
    }
    for (auto& [port, state] : ports) {
        if (state.servers.empty())
            continue;
        Listener listener;
        listener.port = port;
        listener.gateways = state.gateways;
        listener.notes = state.notes;
        if (state.family == Family::Http) {
            listener.kind = Listener::Kind::Http;
            listener.http = httpRouteConfig("http." + std::to_string(port), state.servers);
        } else if (state.family == Family::Tcp) {
            listener.kind = Listener::Kind::Tcp;
            listener.tcp = tcpRouteFor(state.servers.front());
            if (!listener.tcp) {
                // No tcp route: no filter chain, so no listener at all (unlike HTTP's 404 blackhole).
                auto& notes = table.m_portNotes[port];
                notes.insert(notes.end(), state.notes.begin(), state.notes.end());
                notes.push_back("Gateway " + state.gateways.front() + " has a TCP " +
                                serverLabel(*state.servers.front().server) +
                                ", but no VirtualService bound to it has a tcp rule (with a route) for this "
                                "port, so Istio builds "
                                "no listener");
                continue;
            }
        } else {
            listener.kind = Listener::Kind::Tls;
            buildTlsChains(port, state.servers, listener);
            if (listener.chains.empty()) {
                auto& notes = table.m_portNotes[port];
                notes.insert(notes.end(), listener.notes.begin(), listener.notes.end());
                notes.push_back(
                    "the TLS server(s) of " + state.gateways.front() +
                    " on this port produced no filter chain (passthrough servers need a bound "
                    "VirtualService with a tls rule whose sniHosts the client sends), so Istio builds no "
                    "listener");
                continue;
            }
        }
        table.m_listeners.emplace(port, std::move(listener));
    }
}

RouteTablePtr TableCompiler::build() {
    auto table = std::make_shared<RouteTable>();
    table->m_workload = m_workload;
    for (const auto& f : m_resources.files)
        table->m_files.push_back(f.path);
    buildListeners(*table);
    buildMesh(*table);
    return table;
}

RouteTablePtr compile(const model::ResourceSet& resources, const model::GatewayWorkload& workload) {
    return TableCompiler(resources, workload).build();
}

} // namespace sluice::routing
