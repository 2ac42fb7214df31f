// SPDX-License-Identifier: Apache-2.0
// Gateway servers, VirtualService rules and the routes the engine compiled between them.

#include "flow_graph_builder.h"

#include "match_label.h"
#include "routing/delegate_merger.h"
#include "routing/host_name.h"
#include "routing/route_builder.h"
#include "routing/table_compiler.h"

#include <algorithm>

namespace sluice::flow {
namespace {

std::string joinedHosts(const std::vector<model::Located<std::string>>& hosts) {
    std::string out;
    for (const auto& h : hosts)
        out += (out.empty() ? "" : ", ") + h.value;
    return out;
}

std::string lowerProtocol(std::string p) {
    for (char& c : p)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return p;
}

std::string strippedHost(const std::string& host) {
    const auto slash = host.find('/');
    return routing::lowerAscii(slash == std::string::npos ? host : host.substr(slash + 1));
}

} // namespace

FlowGraphBuilder::FlowGraphBuilder(const model::ResourceSet& resources, const model::Diagnostics& diagnostics,
                                   const routing::RouteTable& table)
    : m_resources(resources)
    , m_diagnostics(diagnostics)
    , m_table(table)
    , m_resolver(resources, table.workload().ns) {
    for (const auto& vs : resources.virtualServices)
        m_virtualServices.emplace(vs.header.ns() + "/" + vs.header.name(), &vs); // first definition wins
    for (const auto& file : resources.files) {
        std::vector<std::size_t> newlines;
        for (std::size_t i = 0; i < file.text.size(); ++i)
            if (file.text[i] == '\n')
                newlines.push_back(i);
        auto& lines = m_documentLines.emplace_back();
        for (const auto& doc : file.documents) {
            const std::size_t last = doc.end > doc.begin ? doc.end - 1 : doc.begin;
            const auto line = std::lower_bound(newlines.begin(), newlines.end(), last) - newlines.begin();
            lines.emplace_back(doc.firstLine, static_cast<std::uint32_t>(line + 1));
        }
    }
}

std::size_t FlowGraphBuilder::addNode(FlowNode node, std::vector<Owner> owners) {
    if (const auto it = m_index.find(node.id); it != m_index.end()) {
        auto& known = m_owners[it->second];
        known.insert(known.end(), owners.begin(), owners.end());
        return it->second;
    }
    if (node.span.known() && node.span.file < m_documentLines.size())
        for (const auto& [first, last] : m_documentLines[node.span.file])
            if (node.span.line >= first && node.span.line <= last) {
                node.documentFirstLine = first;
                node.documentLastLine = last;
                break;
            }
    const std::size_t index = m_nodes.size();
    m_index.emplace(node.id, index);
    m_nodes.push_back(std::move(node));
    m_owners.push_back(std::move(owners));
    return index;
}

std::size_t FlowGraphBuilder::addEdge(std::size_t from, std::size_t to, const std::string& labelLine) {
    auto [it, inserted] = m_edgeIndex.try_emplace({from, to}, m_edges.size());
    if (inserted)
        m_edges.push_back({from, to, {}, false});
    FlowEdge& edge = m_edges[it->second];
    if (!labelLine.empty()) {
        // One line per distinct condition; the same rule bound through several hosts repeats them.
        std::size_t at = 0;
        bool seen = false;
        while (at <= edge.label.size() && !seen) {
            const std::size_t end = std::min(edge.label.find('\n', at), edge.label.size());
            seen = edge.label.compare(at, end - at, labelLine) == 0 && !edge.label.empty();
            at = end + 1;
        }
        if (!seen)
            edge.label += (edge.label.empty() ? "" : "\n") + labelLine;
    }
    return it->second;
}

const model::VirtualService* FlowGraphBuilder::virtualService(const std::string& name) const {
    const auto it = m_virtualServices.find(name);
    return it == m_virtualServices.end() ? nullptr : it->second;
}

void FlowGraphBuilder::addServers() {
    for (const model::Gateway& gw : m_resources.gateways) {
        const std::string name = gw.header.ns() + "/" + gw.header.name();
        for (std::size_t i = 0; i < gw.spec.servers.size(); ++i) {
            const model::Server& server = gw.spec.servers[i];
            if (!server.port || !server.port->number.present)
                continue;
            FlowNode node;
            node.id = "server:" + name + "#" + std::to_string(i);
            node.kind = NodeKind::GatewayServer;
            node.label = gw.header.name() + " :" + std::to_string(server.port->number.value);
            node.secondary = lowerProtocol(server.port->protocol.value) + " · " + joinedHosts(server.hosts);
            if (server.tls && server.tls->httpsRedirect.valueOr(false))
                node.secondary += " · redirects to https";
            node.span = server.span.known() ? server.span : gw.header.span;
            const std::string resource = model::resourceName(gw);
            const std::size_t index = addNode(
                std::move(node), {{resource, "spec.servers[" + std::to_string(i) + "]"}, {resource, ""}});
            m_serverModels.emplace(index, &server);
            if (auto why = serverDropped(name, server))
                m_serverDropped.emplace(index, std::move(*why));
        }
    }
}

std::optional<std::string> FlowGraphBuilder::serverDropped(const std::string& gateway,
                                                           const model::Server& server) const {
    const std::uint32_t port = server.port->number.value;
    const std::string label = routing::serverLabel(server);
    const std::string own = "Gateway " + gateway + " " + label; // notes about this very server
    std::vector<std::string> notes;
    const auto listener = m_table.listeners().find(port);
    if (listener != m_table.listeners().end())
        notes = listener->second.notes;
    if (const auto it = m_table.portNotes().find(port); it != m_table.portNotes().end())
        notes.insert(notes.end(), it->second.begin(), it->second.end());
    const auto noteAbout = [&]() -> std::optional<std::string> {
        for (const auto& prefix : {own, "Gateway " + gateway + " has", std::string()})
            for (const auto& n : notes)
                if ((!prefix.empty() && n.rfind(prefix, 0) == 0) ||
                    (prefix.empty() && n.find(gateway) != std::string::npos))
                    return n;
        return std::nullopt;
    };
    if (listener == m_table.listeners().end()) {
        if (auto note = noteAbout())
            return note;
        return "nothing listens on port " + std::to_string(port);
    }
    const routing::Listener& l = listener->second;
    for (const auto& n : l.notes)
        if (n.rfind(own, 0) == 0)
            return n;
    if (std::find(l.gateways.begin(), l.gateways.end(), gateway) == l.gateways.end()) {
        if (auto note = noteAbout())
            return note;
        return "Gateway " + gateway + " does not contribute to the listener on port " + std::to_string(port);
    }
    if (l.kind == routing::Listener::Kind::Tls &&
        std::none_of(l.chains.begin(), l.chains.end(), [&](const routing::FilterChain& c) {
            return c.gateway == gateway && c.server == label;
        }))
        return own + " produced no filter chain (a passthrough server needs a bound VirtualService with a "
                     "tls rule)";
    return std::nullopt;
}

void FlowGraphBuilder::addRules() {
    for (const model::VirtualService& vs : m_resources.virtualServices) {
        const std::string name = vs.header.ns() + "/" + vs.header.name();
        if (virtualService(name) != &vs)
            continue; // a redefinition: the loader reports it, the engine uses the first
        const std::string resource = model::resourceName(vs);
        const std::string hosts = vs.spec.hosts.empty() ? "delegate" : joinedHosts(vs.spec.hosts);
        const auto add = [&](std::string_view section, std::size_t i, const std::string& ruleName,
                             model::SourceSpan span, std::string action) {
            const std::string where = std::string(section) + "[" + std::to_string(i) + "]";
            FlowNode node;
            node.id = "rule:" + name + "/" + std::string(section) + "/" + std::to_string(i);
            node.kind = NodeKind::VirtualServiceRule;
            node.label = vs.header.name() + " · " + (ruleName.empty() ? where : ruleName);
            node.secondary = hosts + action;
            node.span = span.known() ? span : vs.header.span;
            const std::size_t index = addNode(std::move(node), {{resource, "spec." + where}, {resource, ""}});
            m_rules[index] = RuleState{&vs, std::string(section), i, false, {}, 0};
        };
        for (std::size_t i = 0; i < vs.spec.http.size(); ++i) {
            const auto& rule = vs.spec.http[i];
            if (rule.delegate)
                continue; // the delegate's own rules stand for it
            std::string action;
            if (rule.redirect)
                action = " · redirect";
            else if (rule.directResponse)
                action = " · direct response " + std::to_string(rule.directResponse->status.value);
            add("http", i, rule.name.value, rule.span, action);
        }
        for (std::size_t i = 0; i < vs.spec.tls.size(); ++i)
            add("tls", i, {}, vs.spec.tls[i].span, {});
        for (std::size_t i = 0; i < vs.spec.tcp.size(); ++i)
            add("tcp", i, {}, vs.spec.tcp[i].span, {});
    }
}

std::vector<std::size_t> FlowGraphBuilder::serversOf(const std::string& gateway, std::uint32_t port,
                                                     std::string_view domain) const {
    std::vector<std::size_t> all, matching;
    for (const model::Gateway& gw : m_resources.gateways) {
        if (gw.header.ns() + "/" + gw.header.name() != gateway)
            continue;
        for (std::size_t i = 0; i < gw.spec.servers.size(); ++i) {
            const auto& server = gw.spec.servers[i];
            if (!server.port || server.port->number.value != port)
                continue;
            const auto it = m_index.find("server:" + gateway + "#" + std::to_string(i));
            if (it == m_index.end() || m_serverDropped.count(it->second))
                continue;
            all.push_back(it->second);
            if (std::any_of(server.hosts.begin(), server.hosts.end(), [&](const auto& h) {
                    return !domain.empty() && routing::hostsMatch(domain, strippedHost(h.value));
                }))
                matching.push_back(it->second);
        }
        break;
    }
    return matching.empty() ? all : matching;
}

std::string FlowGraphBuilder::routeLabel(const model::VirtualService& vs, const routing::RouteOrigin& o,
                                         std::string_view domain) const {
    const model::HTTPRoute* rule = &vs.spec.http[static_cast<std::size_t>(o.ruleIndex)];
    std::optional<model::HTTPRoute> merged;
    if (vs.spec.hosts.empty()) {
        // A delegate's rule: its route's matches are the merge with the root rule delegating to it,
        // found among the root VirtualServices bound to this gateway for this host.
        for (const model::VirtualService& root : m_resources.virtualServices) {
            const bool serves =
                std::any_of(root.spec.hosts.begin(), root.spec.hosts.end(), [&](const auto& h) {
                    return routing::hostsMatch(
                        domain, routing::lowerAscii(routing::expandShortName(h.value, root.header.ns())));
                });
            const bool bound =
                std::any_of(root.spec.gateways.begin(), root.spec.gateways.end(), [&](const auto& g) {
                    return routing::resolveGatewayName(g.value, root.header.ns()) == o.gateway;
                });
            if (!serves || !bound)
                continue;
            for (const auto& r : root.spec.http)
                if (r.delegate && r.delegate->name.value == vs.header.name() &&
                    (r.delegate->namespace_.value.empty() ? root.header.ns()
                                                          : r.delegate->namespace_.value) == vs.header.ns() &&
                    (merged = routing::mergeDelegateRule(r, *rule)))
                    break;
            if (merged)
                break;
        }
        if (merged)
            rule = &*merged;
    }
    if (o.matchIndex >= 0 && static_cast<std::size_t>(o.matchIndex) < rule->match.size())
        return matchLabel(rule->match[static_cast<std::size_t>(o.matchIndex)]);
    return "any request";
}

void FlowGraphBuilder::bindHttp(const routing::RouteConfig& config, std::uint32_t port,
                                const std::vector<std::size_t>* servers) {
    for (const routing::VirtualHost& vh : config.virtualHosts()) {
        for (const routing::CompiledRoute& route : vh.routes) {
            const routing::RouteOrigin& o = route.origin;
            const auto* vs = virtualService(o.virtualService);
            const auto node =
                m_index.find("rule:" + o.virtualService + "/http/" + std::to_string(o.ruleIndex));
            if (!vs || node == m_index.end() || o.ruleIndex < 0 ||
                static_cast<std::size_t>(o.ruleIndex) >= vs->spec.http.size())
                continue;
            const std::string label = routeLabel(*vs, o, vh.domain);
            for (std::size_t s : servers ? *servers : serversOf(o.gateway, port, vh.domain))
                addEdge(s, node->second, label);
            RuleState& state = m_rules[node->second];
            if (!state.compiled && route.action) {
                state.compiled = true;
                state.destinations = route.action->destinations;
                state.totalWeight = route.action->totalWeight;
            }
        }
    }
}

void FlowGraphBuilder::bindTcp(const routing::TcpRoute& route, const std::string& section,
                               const std::vector<std::size_t>& servers, const std::string& label) {
    const auto node = m_index.find("rule:" + route.origin.virtualService + "/" + section + "/" +
                                   std::to_string(route.origin.ruleIndex));
    if (node == m_index.end())
        return;
    for (std::size_t s : servers)
        addEdge(s, node->second, label);
    RuleState& state = m_rules[node->second];
    if (!state.compiled) {
        state.compiled = true;
        state.destinations = route.destinations;
        state.totalWeight = route.totalWeight;
    }
}

void FlowGraphBuilder::bindRoutes() {
    for (const auto& [port, listener] : m_table.listeners()) {
        if (listener.kind == routing::Listener::Kind::Http && listener.http) {
            bindHttp(*listener.http, port, nullptr);
        } else if (listener.kind == routing::Listener::Kind::Tcp && listener.tcp) {
            const auto servers = serversOf(listener.tcp->origin.gateway, port);
            bindTcp(*listener.tcp, "tcp", servers, "port " + std::to_string(port));
        } else if (listener.kind == routing::Listener::Kind::Tls) {
            for (const routing::FilterChain& chain : listener.chains) {
                std::vector<std::size_t> servers;
                for (std::size_t s : serversOf(chain.gateway, port))
                    if (routing::serverLabel(*m_serverModels.at(s)) == chain.server)
                        servers.push_back(s);
                if (chain.http) {
                    bindHttp(*chain.http, port, &servers);
                } else if (chain.tcp && chain.mode == routing::FilterChain::Mode::Passthrough) {
                    std::string sni;
                    for (const auto& n : chain.serverNames)
                        sni += (sni.empty() ? "sni " : ",") + n;
                    bindTcp(*chain.tcp, "tls", servers, sni.empty() ? "any connection" : sni);
                } else if (chain.tcp && chain.mode == routing::FilterChain::Mode::TerminateTcp) {
                    bindTcp(*chain.tcp, "tcp", servers, "port " + std::to_string(port));
                }
                // AUTO_PASSTHROUGH chains route by SNI to every mesh Service, with no rule to draw.
            }
        }
    }
}

FlowGraph FlowGraphBuilder::build() {
    addServers();
    addRules();
    bindRoutes();
    addBackends();
    addDestinations();
    linkDestinations();
    addMeshCalls();
    attachDiagnostics();
    markGrey();
    std::vector<std::string> files;
    for (const auto& f : m_resources.files)
        files.push_back(f.path);
    return FlowGraph(std::move(m_nodes), std::move(m_edges), std::move(files));
}

FlowGraphPtr buildFlowGraph(const model::ResourceSet& resources, const model::Diagnostics& diagnostics,
                            const routing::RouteTable& table) {
    return std::make_shared<const FlowGraph>(FlowGraphBuilder(resources, diagnostics, table).build());
}

} // namespace sluice::flow
