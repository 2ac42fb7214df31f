// SPDX-License-Identifier: Apache-2.0
#include "config_dump.h"

#include <nlohmann/json.hpp>

namespace sluice::routing {
namespace {

using Json = nlohmann::ordered_json;

Json durationOrNull(const std::optional<model::Duration>& d) {
    return d ? Json(d->toString()) : Json(nullptr);
}

/// Envoy's StringMatcher shape: {"exact": "/a"}, {"prefix": ...}, {"safe_regex": {"regex": ...}}.
Json stringMatch(const StringMatcher& m) {
    Json out = Json::object();
    switch (m.kind()) {
    case StringMatcher::Kind::Exact:
        out["exact"] = m.value();
        break;
    case StringMatcher::Kind::Prefix:
        out["prefix"] = m.value();
        break;
    case StringMatcher::Kind::Regex:
        out["safe_regex"] = {{"regex", m.value()}};
        break;
    case StringMatcher::Kind::Present:
        out["present_match"] = true;
        break;
    }
    if (m.ignoreCase())
        out["ignore_case"] = true;
    return out;
}

Json match(const RequestMatcher& m) {
    Json out = stringMatch(m.uri()); // the path match sits at the top, as in Envoy's RouteMatch
    if (const auto exact = out.find("exact"); exact != out.end()) {
        Json path = *exact;
        out.erase(exact);
        out["path"] = std::move(path);
    }
    if (out.contains("present_match")) {
        out.erase("present_match");
        out["prefix"] = "/";
    }
    out["conditions"] = m.describe(); // headers, query parameters, method, authority, as the trace words them
    out["catch_all"] = m.isCatchAll();
    return out;
}

Json headerOps(const HeaderOperations& ops) {
    Json out = Json::object();
    for (const auto& [name, value] : ops.set)
        out["set"][name] = value;
    for (const auto& [name, value] : ops.add)
        out["add"][name] = value;
    if (!ops.remove.empty())
        out["remove"] = ops.remove;
    return out;
}

Json destination(const WeightedDestination& d) {
    return {
        {"name", d.destination.cluster},  {"host", d.destination.host}, {"port", d.destination.port},
        {"subset", d.destination.subset}, {"weight", d.weight},         {"cluster_exists", d.clusterExists},
        {"endpoints", d.endpoints},       {"policy", d.policy}};
}

Json retries(const RetryPolicy& r) {
    return {{"num_retries", r.attempts},
            {"retry_on", r.retryOn},
            {"retriable_status_codes", r.retriableStatusCodes},
            {"per_try_timeout", durationOrNull(r.perTryTimeout)},
            {"istio_default", r.isDefault}};
}

Json action(const RouteAction& a) {
    Json out = Json::object();
    switch (a.kind) {
    case RouteAction::Kind::Redirect: {
        const RedirectSpec& r = a.redirect;
        Json redirect = {{"response_code", r.code}};
        if (r.uri)
            redirect["path_redirect"] = *r.uri;
        if (r.prefixRewrite)
            redirect["prefix_rewrite"] = *r.prefixRewrite;
        if (!r.authority.empty())
            redirect["host_redirect"] = r.authority;
        if (r.port)
            redirect["port_redirect"] = r.port;
        if (!r.scheme.empty())
            redirect["scheme_redirect"] = r.scheme;
        out["redirect"] = std::move(redirect);
        return out;
    }
    case RouteAction::Kind::DirectResponse:
        out["direct_response"] = {{"status", a.directStatus}, {"body", a.directBody}};
        return out;
    case RouteAction::Kind::Route:
        break;
    }
    Json route = Json::object();
    Json clusters = Json::array();
    for (const auto& d : a.destinations)
        clusters.push_back(destination(d));
    route["weighted_clusters"] = {{"clusters", std::move(clusters)}, {"total_weight", a.totalWeight}};
    route["timeout"] = durationOrNull(a.timeout);
    route["retry_policy"] = retries(a.retries);
    if (a.rewrite.uri)
        route["prefix_rewrite"] = *a.rewrite.uri;
    if (a.rewrite.regex)
        route["regex_rewrite"] = {{"substitution", a.rewrite.regexSubstitution}};
    if (!a.rewrite.authority.empty())
        route["host_rewrite_literal"] = a.rewrite.authority;
    Json mirrors = Json::array();
    for (const auto& m : a.mirrors)
        mirrors.push_back(
            {{"cluster", m.destination.cluster}, {"percent", m.percent}, {"host", m.authority}});
    if (!mirrors.empty())
        route["request_mirror_policies"] = std::move(mirrors);
    if (!a.cors.empty())
        route["cors"] = a.cors;
    out["route"] = std::move(route);
    if (!a.fault.empty())
        out["fault"] = {
            {"delay", durationOrNull(a.fault.delay)},
            {"delay_percent", a.fault.delayPercent},
            {"abort_http_status", a.fault.abortStatus ? Json(*a.fault.abortStatus) : Json(nullptr)},
            {"abort_grpc_status", a.fault.abortGrpcStatus},
            {"abort_percent", a.fault.abortPercent}};
    return out;
}

Json origin(const RouteOrigin& o, const RouteTable& table) {
    Json out = {{"virtual_service", o.virtualService}, {"rule", o.ruleIndex}};
    if (!o.ruleName.empty())
        out["rule_name"] = o.ruleName;
    if (o.matchIndex >= 0)
        out["match"] = o.matchIndex;
    if (o.span.known() && o.span.file < table.files().size())
        out["source"] = table.files()[o.span.file] + ":" + std::to_string(o.span.line);
    return out;
}

/// Istio names a virtual host "host:port" and lets it match the host with any port.
Json routeConfig(const RouteConfig& config, const RouteTable& table, std::uint32_t port) {
    Json vhosts = Json::array();
    for (const VirtualHost& vh : config.virtualHosts()) {
        Json routes = Json::array();
        for (const CompiledRoute& r : vh.routes) {
            Json route = {{"name", r.origin.ruleName}, {"match", match(r.match)}};
            route.update(action(*r.action));
            if (!r.action->requestHeaders.empty())
                route["request_headers"] = headerOps(r.action->requestHeaders);
            if (!r.action->responseHeaders.empty())
                route["response_headers"] = headerOps(r.action->responseHeaders);
            route["metadata"] = origin(r.origin, table);
            routes.push_back(std::move(route));
        }
        vhosts.push_back({{"name", vh.domain + ":" + std::to_string(port)},
                          {"domains", Json::array({vh.domain, vh.domain + ":*"})},
                          {"require_tls", vh.requireTls ? "ALL" : "NONE"},
                          {"routes", std::move(routes)}});
    }
    return {
        {"name", config.name()}, {"blackhole", config.isBlackhole()}, {"virtual_hosts", std::move(vhosts)}};
}

Json tcpRoute(const TcpRoute& t, const RouteTable& table) {
    Json clusters = Json::array();
    for (const auto& d : t.destinations)
        clusters.push_back(destination(d));
    return {{"weighted_clusters", std::move(clusters)}, {"metadata", origin(t.origin, table)}};
}

std::string_view chainMode(FilterChain::Mode mode) {
    switch (mode) {
    case FilterChain::Mode::TerminateHttp:
        return "terminate_http";
    case FilterChain::Mode::TerminateTcp:
        return "terminate_tcp";
    case FilterChain::Mode::Passthrough:
        return "passthrough";
    case FilterChain::Mode::AutoPassthrough:
        return "auto_passthrough";
    }
    return "unknown";
}

Json listener(const Listener& l, const RouteTable& table) {
    static constexpr std::string_view kinds[] = {"http", "tcp", "tls"};
    Json out = {{"name", "0.0.0.0_" + std::to_string(l.port)},
                {"port", l.port},
                {"kind", kinds[static_cast<int>(l.kind)]},
                {"gateways", l.gateways}};
    if (l.http)
        out["route_config"] = routeConfig(*l.http, table, l.port);
    if (l.tcp)
        out["tcp_proxy"] = tcpRoute(*l.tcp, table);
    Json chains = Json::array();
    for (const FilterChain& c : l.chains) {
        Json chain = {{"server_names", c.serverNames},
                      {"mode", chainMode(c.mode)},
                      {"mutual_tls", c.mutualTls},
                      {"gateway", c.gateway},
                      {"server", c.server}};
        if (c.http)
            chain["route_config"] = routeConfig(*c.http, table, l.port);
        if (c.tcp)
            chain["tcp_proxy"] = tcpRoute(*c.tcp, table);
        chains.push_back(std::move(chain));
    }
    if (!chains.empty())
        out["filter_chains"] = std::move(chains);
    if (!l.notes.empty())
        out["notes"] = l.notes;
    return out;
}

} // namespace

std::string ConfigDump::json(const RouteTable& table, int indent) {
    Json out = Json::object();
    const model::GatewayWorkload& w = table.workload();
    out["gateway"] = {{"name", w.name}, {"namespace", w.ns}, {"labels", w.labels}};
    out["files"] = table.files();
    Json listeners = Json::array();
    for (const auto& [port, l] : table.listeners())
        listeners.push_back(listener(l, table));
    out["listeners"] = std::move(listeners);
    Json mesh = Json::array();
    for (const auto& [port, config] : table.mesh())
        if (config)
            mesh.push_back(routeConfig(*config, table, port));
    out["mesh_route_configs"] = std::move(mesh);
    Json notes = Json::object();
    for (const auto& [port, reasons] : table.portNotes())
        notes[std::to_string(port)] = reasons;
    out["port_notes"] = std::move(notes);
    return out.dump(indent, ' ', false, Json::error_handler_t::replace);
}

} // namespace sluice::routing
