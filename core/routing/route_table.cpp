// SPDX-License-Identifier: Apache-2.0
#include "route_table.h"

#include "host_name.h"
#include "route_executor.h"

#include <algorithm>

namespace sluice::routing {
namespace {

using Kind = TraceStep::Kind;
constexpr std::size_t kMaxExplainedRules = 64;

std::string_view chainModeName(FilterChain::Mode mode) {
    switch (mode) {
    case FilterChain::Mode::TerminateHttp:
        return "TLS terminated, HTTP routing";
    case FilterChain::Mode::TerminateTcp:
        return "TLS terminated, TCP proxy";
    case FilterChain::Mode::Passthrough:
        return "TLS passthrough by SNI";
    case FilterChain::Mode::AutoPassthrough:
        return "AUTO_PASSTHROUGH";
    }
    return "";
}

bool sourceMatches(const CompiledRoute& route, const Request& request) {
    if (!route.sourceNamespace.empty() && route.sourceNamespace != request.sourceNamespace)
        return false;
    for (const auto& [k, v] : route.sourceLabels) {
        const auto it = request.sourceLabels.find(k);
        if (it == request.sourceLabels.end() || it->second != v)
            return false;
    }
    return true;
}

std::string domainsOf(const RouteConfig& config) {
    std::string out;
    for (const auto& vh : config.virtualHosts()) {
        if (out.size() > 200) {
            out += ", ...";
            break;
        }
        out += (out.empty() ? "" : ", ") + vh.domain;
    }
    return out;
}

[[nodiscard]] bool hasUpperAscii(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

} // namespace

// Envoy's server_names: exact beats the longest wildcard; an empty list matches everything.
const FilterChain* selectFilterChain(const std::vector<FilterChain>& chains, std::string_view sni) {
    const FilterChain* wildcard = nullptr;
    std::size_t wildcardLength = 0;
    const FilterChain* any = nullptr;
    for (const auto& chain : chains) {
        if (chain.serverNames.empty()) {
            if (!any)
                any = &chain;
            continue;
        }
        for (const auto& name : chain.serverNames) {
            if (name == sni)
                return &chain;
            if (isWildcard(name) && name.size() > wildcardLength && sni.size() >= name.size() &&
                sni.ends_with(std::string_view(name).substr(1))) {
                wildcard = &chain;
                wildcardLength = name.size();
            }
        }
    }
    return wildcard ? wildcard : any;
}

std::string_view outcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::Forward:
        return "forward";
    case Outcome::Redirect:
        return "redirect";
    case Outcome::DirectResponse:
        return "direct_response";
    case Outcome::FaultAbort:
        return "fault_abort";
    case Outcome::NoRoute:
        return "no_route";
    case Outcome::ClusterNotFound:
        return "cluster_not_found";
    case Outcome::NoHealthyUpstream:
        return "no_healthy_upstream";
    case Outcome::ConnectionRefused:
        return "conn_refused";
    case Outcome::ConnectionReset:
        return "conn_reset";
    }
    return "";
}

Decision RouteTable::route(const Request& request, Rng& rng, Explain explain) const {
    Decision d;
    route(request, rng, explain, d);
    return d;
}

void RouteTable::route(const Request& request, Rng& rng, Explain explain, Decision& decision) const {
    decision.reset();
    if (request.mesh)
        routeMesh(request, rng, explain, decision);
    else
        routeIngress(request, rng, explain, decision);
}

void RouteTable::routeIngress(const Request& request, Rng& rng, Explain explain, Decision& d) const {
    d.traced = explain == Explain::Yes;
    const auto it = m_listeners.find(request.port);
    if (it == m_listeners.end()) {
        d.outcome = Outcome::ConnectionRefused;
        d.status = 0;
        std::string served;
        for (const auto& [port, l] : m_listeners)
            served += (served.empty() ? "" : ", ") + std::to_string(port);
        if (const auto notes = m_portNotes.find(request.port); notes != m_portNotes.end()) {
            for (const auto& n : notes->second)
                d.note(Kind::Info, n);
            d.note(Kind::Failed, "nothing listens on port " + std::to_string(request.port) +
                                     ": connection refused (ports served: " +
                                     (served.empty() ? std::string("none") : served) + ")");
        } else {
            d.note(Kind::Failed, "no Gateway selecting " + m_workload.ns + "/" + m_workload.name +
                                     " has a server on port " + std::to_string(request.port) +
                                     ", so nothing listens there: connection refused (ports served: " +
                                     (served.empty() ? std::string("none") : served) + ")");
        }
        return;
    }
    const Listener& listener = it->second;
    if (d.traced) {
        d.note(Kind::Info, "listener on port " + std::to_string(listener.port) + " from Gateway " +
                               (listener.gateways.empty() ? std::string("?") : listener.gateways.front()));
        for (const auto& n : listener.notes)
            d.note(Kind::Info, n);
    }

    switch (listener.kind) {
    case Listener::Kind::Http:
        if (request.tls) {
            d.outcome = Outcome::ConnectionReset;
            d.status = 0;
            d.note(Kind::Failed,
                   "port " + std::to_string(request.port) + " serves plaintext HTTP; a TLS handshake fails");
            return;
        }
        routeHttp(*listener.http, request, request.authority, rng, explain, d);
        return;
    case Listener::Kind::Tcp:
        if (d.traced)
            d.note(Kind::Info, "TCP proxy (neither Host nor SNI is looked at)");
        routeTcp(*listener.tcp, rng, d);
        return;
    case Listener::Kind::Tls:
        break;
    }
    if (!request.tls) {
        d.outcome = Outcome::ConnectionReset;
        d.status = 0;
        d.note(Kind::Failed, "port " + std::to_string(request.port) +
                                 " expects TLS (HTTPS/TLS server); a plaintext request fails the handshake");
        return;
    }
    // Server names are compiled lower-case; an SNI usually already is, so it is only copied when not.
    const std::string_view sentSni =
        request.sni ? std::string_view(*request.sni) : stripPort(request.authority);
    std::string lowered;
    const std::string_view sni =
        hasUpperAscii(sentSni) ? std::string_view(lowered = lowerAscii(sentSni)) : sentSni;
    const FilterChain* chain = selectFilterChain(listener.chains, sni);
    if (!chain) {
        d.outcome = Outcome::ConnectionReset;
        d.status = 0;
        d.responseFlag = "NR";
        std::string names;
        for (const auto& c : listener.chains)
            for (const auto& n : c.serverNames)
                names += (names.empty() ? "" : ", ") + n;
        d.note(Kind::Failed, "SNI \"" + std::string(sni) + "\" matches no filter chain (server names: " +
                                 (names.empty() ? "none" : names) +
                                 ") and there is no default chain: connection reset");
        return;
    }
    if (d.traced)
        d.note(Kind::Matched,
               "SNI \"" + std::string(sni) + "\" selects the chain of " + chain->gateway + " " +
                   chain->server + " (" + std::string(chainModeName(chain->mode)) + ")",
               chain->span);
    if (chain->mutualTls && d.traced)
        d.note(Kind::Info, "MUTUAL TLS: the client must present a certificate signed by the server's CA");
    if (chain->mode == FilterChain::Mode::TerminateHttp && chain->http) {
        routeHttp(*chain->http, request, request.authority, rng, explain, d);
        return;
    }
    if (chain->tcp) {
        routeTcp(*chain->tcp, rng, d);
        return;
    }
    d.outcome = Outcome::ConnectionReset;
    d.status = 0;
    d.note(Kind::Failed, "the chain has no route (no VirtualService tcp rule applies): connection closed");
    return;
}

void RouteTable::routeMesh(const Request& request, Rng& rng, Explain explain, Decision& d) const {
    d.traced = explain == Explain::Yes;
    d.origin.gateway = "mesh";
    const std::string host = meshHost(stripPort(request.authority), request.sourceNamespace);
    const auto it = m_mesh.find(request.port);
    if (it == m_mesh.end() || !it->second->find(host)) {
        d.outcome = Outcome::ConnectionRefused;
        d.status = 0;
        d.note(Kind::Failed, "no Service or ServiceEntry exposes " + host + ":" +
                                 std::to_string(request.port) + ", so the sidecar has no route for it");
        return;
    }
    if (d.traced)
        d.note(Kind::Info, "sidecar outbound route config \"" + it->second->name() + "\" for " + host +
                               " (caller in namespace " + request.sourceNamespace + ")");
    routeHttp(*it->second, request, host, rng, explain, d);
    return;
}

void RouteTable::routeTcp(const TcpRoute& route, Rng& rng, Decision& d) const {
    if (!d.traced) {
        // nothing to explain
    } else if (route.origin.virtualService.empty())
        d.note(Kind::Matched, "AUTO_PASSTHROUGH: the SNI names the cluster directly (no VirtualService)",
               route.origin.span);
    else
        d.note(Kind::Matched,
               "tcp/tls rule " + std::to_string(route.origin.ruleIndex) + " of VirtualService " +
                   route.origin.virtualService,
               route.origin.span);
    executeTcpRoute(route, rng, d);
}

void RouteTable::routeHttp(const RouteConfig& config, const Request& request, std::string_view lookupHost,
                           Rng& rng, Explain explain, Decision& d) const {
    // The vhost is looked up by `lookupHost` (the sidecar's FQDN for a short name, else the Host
    // sent); matchers and the upstream see the Host exactly as sent.
    const auto host = [&] {
        return lowerAscii(stripPort(lookupHost));
    }; // only failures need it
    const VirtualHost* vhost = config.find(lookupHost);
    if (!vhost) {
        d.outcome = Outcome::NoRoute;
        d.status = 404;
        d.responseFlag = "NR";
        if (config.report() && explain == Explain::Yes)
            explainUnservedHost(*config.report(), host(), d);
        d.note(Kind::Failed, "Host \"" + host() + "\" matches no virtual host of " + config.name() +
                                 " (domains: " + domainsOf(config) + "): 404 NR");
        return;
    }
    d.origin.routeConfig = config.name();
    d.origin.virtualHost = vhost->domain;
    if (config.isBlackhole()) {
        d.outcome = Outcome::NoRoute;
        d.status = 404;
        d.responseFlag = "NR";
        if (config.report() && explain == Explain::Yes)
            explainBlackhole(*config.report(), host(), d);
        d.note(Kind::Failed, "no VirtualService produced routes for the Gateway server(s) on this port, so " +
                                 config.name() + " has only its blackhole virtual host: 404 NR");
        return;
    }
    if (d.traced)
        d.note(Kind::Matched, "virtual host \"" + vhost->domain + "\" in route config " + config.name());
    const MatchInput input(request);
    if (vhost->requireTls && !request.tls) {
        d.outcome = Outcome::Redirect;
        d.status = 301;
        d.location = "https://" + redirectHost(request.authority, "https", false, input.scheme()) +
                     input.path() + (input.target().hasQuery ? "?" + input.target().query : "");
        d.note(Kind::Matched,
               "the Gateway server sets tls.httpsRedirect: every plaintext request is redirected, routes "
               "are not consulted: 301 to " +
                   d.location);
        return;
    }

    const CompiledRoute* matched = nullptr;
    if (explain == Explain::No && vhost->index.enabled() && !request.mesh) {
        vhost->index.forEachCandidate(input.path(), [&](std::uint32_t i) {
            if (vhost->routes[i].match.matches(input)) {
                matched = &vhost->routes[i];
                return true;
            }
            return false;
        });
    } else {
        std::size_t explained = 0, skipped = 0;
        for (const auto& route : vhost->routes) {
            if (request.mesh && !sourceMatches(route, request)) {
                ++skipped;
                continue;
            }
            if (explain == Explain::No) {
                if (route.match.matches(input)) {
                    matched = &route;
                    break;
                }
                continue;
            }
            const auto why = route.match.mismatch(input);
            if (!why) {
                matched = &route;
                break;
            }
            if (explained++ < kMaxExplainedRules)
                d.note(Kind::Skipped,
                       route.origin.virtualService + " rule " + std::to_string(route.origin.ruleIndex) +
                           (route.origin.ruleName.empty() ? "" : " (" + route.origin.ruleName + ")") +
                           (route.origin.matchIndex >= 0 ? " match " + std::to_string(route.origin.matchIndex)
                                                         : "") +
                           " skipped: " + *why,
                       route.origin.span);
            else
                ++skipped;
        }
        if (skipped && explain == Explain::Yes)
            d.note(Kind::Skipped, std::to_string(skipped) + " more rule(s) skipped");
    }
    if (!matched) {
        d.outcome = Outcome::NoRoute;
        d.status = 404;
        d.responseFlag = "NR";
        if (config.report() && explain == Explain::Yes)
            explainDroppedForHost(*config.report(), host(), d);
        d.note(Kind::Failed, "no rule of virtual host \"" + vhost->domain + "\" matches " + request.method +
                                 " " + input.path() + ": 404 NR");
        return;
    }
    if (d.traced)
        d.note(Kind::Matched,
               "matched " + matched->origin.virtualService + " rule " +
                   std::to_string(matched->origin.ruleIndex) +
                   (matched->origin.ruleName.empty() ? "" : " (" + matched->origin.ruleName + ")") + ": " +
                   matched->match.describe(),
               matched->origin.span);
    executeRoute(*matched, input, rng, d);
}

} // namespace sluice::routing
