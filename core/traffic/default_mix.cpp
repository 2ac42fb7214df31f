// SPDX-License-Identifier: Apache-2.0
#include "default_mix.h"

#include <set>
#include <tuple>

namespace sluice::traffic {
namespace {

using routing::Listener;
using routing::RouteConfig;

/// A host name a virtual host's domain accepts: the domain itself, or a name under a wildcard.
std::string hostFor(const std::string& domain) {
    if (domain.empty() || domain == "*")
        return "example.com";
    if (domain.rfind("*.", 0) == 0)
        return "www" + domain.substr(1);
    if (domain.size() > 2 && domain.compare(domain.size() - 2, 2, ".*") == 0)
        return domain.substr(0, domain.size() - 1) + "com";
    return domain;
}

/// The literal a StringMatch accepts, when it names one (exact or prefix); nullopt for regex.
std::optional<std::string> literal(const model::StringMatch& m) {
    if (m.exact.present)
        return m.exact.value;
    if (m.prefix.present)
        return m.prefix.value;
    if (m.regex.present)
        return std::nullopt;
    return std::string("1"); // presence: any value
}

/// A request meant to satisfy `match` (null: a rule without match) on `port`; nullopt when the
/// match has a condition only a regex expresses.
std::optional<routing::Request> requestFor(const model::HTTPMatchRequest* match, std::uint32_t port, bool tls,
                                           const std::string& authority) {
    routing::Request r;
    r.port = port;
    r.tls = tls;
    r.authority = authority;
    r.target = "/";
    if (!match)
        return r;
    if (match->uri) {
        auto path = literal(*match->uri);
        if (!path)
            return std::nullopt;
        r.target = path->empty() || path->front() != '/' ? "/" + *path : *path;
    }
    if (match->method) {
        auto method = literal(*match->method);
        if (!method)
            return std::nullopt;
        r.method = *method;
    }
    if (match->authority) {
        auto value = literal(*match->authority);
        if (!value)
            return std::nullopt;
        r.authority = *value;
    }
    for (const auto& [name, m] : match->headers) {
        auto value = literal(m);
        if (!value)
            return std::nullopt;
        r.headers.emplace_back(name, *value);
    }
    char separator = r.target.find('?') == std::string::npos ? '?' : '&';
    for (const auto& [name, m] : match->queryParams) {
        auto value = literal(m);
        if (!value)
            return std::nullopt;
        r.target += separator + name + "=" + (m.exact.present || m.prefix.present ? *value : "");
        separator = '&';
    }
    return r;
}

const model::HTTPRoute* ruleOf(const model::ResourceSet& resources, const routing::RouteOrigin& origin) {
    for (const auto& vs : resources.virtualServices)
        if (origin.virtualService == vs.header.ns() + "/" + vs.header.name())
            return origin.ruleIndex >= 0 && static_cast<std::size_t>(origin.ruleIndex) < vs.spec.http.size()
                       ? &vs.spec.http[static_cast<std::size_t>(origin.ruleIndex)]
                       : nullptr;
    return nullptr;
}

class MixBuilder {
public:
    MixBuilder(const model::ResourceSet& resources, const routing::RouteTable& table)
        : m_resources(resources)
        , m_table(table) {}

    void addConfig(const RouteConfig& config, std::uint32_t port, bool tls) {
        if (!m_listening) {
            m_listening = true;
            m_fallback.port = port;
            m_fallback.tls = tls;
        }
        for (const auto& vhost : config.virtualHosts()) {
            const std::string authority = hostFor(vhost.domain);
            if (m_fallback.authority.empty() && !config.isBlackhole() && vhost.domain != "*") {
                m_fallback.authority = authority;
                m_fallback.port = port;
                m_fallback.tls = tls;
            }
            for (const auto& route : vhost.routes)
                addRoute(route, port, tls, authority);
        }
    }

    RequestMix take() {
        if (m_mix.empty() && m_listening) {
            if (m_fallback.authority.empty())
                m_fallback.authority = firstGatewayHost();
            m_mix.add({m_fallback, 1, "GET " + m_fallback.authority + "/"});
        }
        return std::move(m_mix);
    }

private:
    void addRoute(const routing::CompiledRoute& route, std::uint32_t port, bool tls,
                  const std::string& authority) {
        const routing::RouteOrigin& o = route.origin;
        const auto key = std::make_tuple(o.virtualService, o.ruleIndex);
        if (m_covered.count(key))
            return;
        const model::HTTPRoute* rule = ruleOf(m_resources, o);
        if (!rule)
            return;
        const model::HTTPMatchRequest* match =
            o.matchIndex >= 0 && static_cast<std::size_t>(o.matchIndex) < rule->match.size()
                ? &rule->match[static_cast<std::size_t>(o.matchIndex)]
                : nullptr;
        auto request = requestFor(match, port, tls, authority);
        if (!request)
            return;
        // Kept only when the routing engine itself takes it to this rule (an earlier rule of the
        // same host may shadow it, a delegate's root may narrow it).
        routing::Rng rng;
        m_table.route(*request, rng, routing::Explain::No, m_decision);
        if (m_decision.origin.virtualService != o.virtualService ||
            m_decision.origin.ruleIndex != o.ruleIndex)
            return;
        m_covered.insert(key);
        std::string label = request->method + " " + (tls ? "https://" : "http://") + request->authority +
                            (port == 80 || port == 443 ? "" : ":" + std::to_string(port)) + request->target;
        for (const auto& [name, value] : request->headers)
            label += " [" + name + ": " + value + "]";
        m_mix.add({std::move(*request), 1, std::move(label)});
    }

    /// The first host of the first Gateway server, as a request would name it ("ns/" dropped).
    std::string firstGatewayHost() const {
        for (const auto& gateway : m_resources.gateways)
            for (const auto& server : gateway.spec.servers)
                for (const auto& host : server.hosts) {
                    const auto slash = host.value.find('/');
                    return hostFor(slash == std::string::npos ? host.value : host.value.substr(slash + 1));
                }
        return hostFor("*");
    }

    const model::ResourceSet& m_resources;
    const routing::RouteTable& m_table;
    RequestMix m_mix;
    routing::Request m_fallback;
    bool m_listening = false;
    routing::Decision m_decision;
    std::set<std::tuple<std::string, int>> m_covered;
};

} // namespace

RequestMix DefaultMix::build(const model::ResourceSet& resources, const routing::RouteTable& table) {
    MixBuilder builder(resources, table);
    for (const auto& [port, listener] : table.listeners()) {
        if (listener.kind == Listener::Kind::Http && listener.http)
            builder.addConfig(*listener.http, port, false);
        if (listener.kind != Listener::Kind::Tls)
            continue;
        for (const auto& chain : listener.chains)
            if (chain.mode == routing::FilterChain::Mode::TerminateHttp && chain.http)
                builder.addConfig(*chain.http, port, true);
    }
    return builder.take();
}

} // namespace sluice::traffic
