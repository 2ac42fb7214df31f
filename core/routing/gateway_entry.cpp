// SPDX-License-Identifier: Apache-2.0
#include "gateway_entry.h"

#include "route_config.h"

#include <charconv>

namespace sluice::routing {
namespace {

bool usableHost(const std::string& h) {
    return !h.empty() && h != "*" && !h.starts_with("*.") && !h.ends_with(".*");
}

std::string firstHost(const RouteConfig* config) {
    if (!config)
        return {};
    for (const auto& vhost : config->virtualHosts())
        if (usableHost(vhost.domain))
            return vhost.domain;
    return {};
}

std::optional<GatewayEntry> entryOf(const Listener& l) {
    GatewayEntry e;
    e.gatewayPort = l.port;
    if (l.kind == Listener::Kind::Http) {
        e.defaultAuthority = firstHost(l.http.get());
    } else if (l.kind == Listener::Kind::Tls) {
        e.tls = true;
        for (const auto& chain : l.chains) {
            if (chain.mode != FilterChain::Mode::TerminateHttp)
                continue;
            e.defaultAuthority = firstHost(chain.http.get());
            for (const auto& name : chain.serverNames)
                if (e.defaultAuthority.empty() && usableHost(name))
                    e.defaultAuthority = name;
            if (!e.defaultAuthority.empty())
                break;
        }
    } else {
        return std::nullopt; // TCP: no HTTP requests
    }
    if (e.defaultAuthority.empty())
        e.defaultAuthority = "localhost";
    return e;
}

} // namespace

std::optional<GatewayEntry> gatewayEntry(const RouteTable& table, std::optional<std::uint32_t> port,
                                         bool preferTls) {
    const auto& listeners = table.listeners();
    if (port) {
        const auto it = listeners.find(*port);
        return it == listeners.end() ? std::nullopt : entryOf(it->second);
    }
    const auto find = [&](Listener::Kind kind, std::uint32_t preferred) -> std::optional<GatewayEntry> {
        if (const auto it = listeners.find(preferred); it != listeners.end() && it->second.kind == kind)
            return entryOf(it->second);
        for (const auto& [p, l] : listeners)
            if (l.kind == kind)
                return entryOf(l);
        return std::nullopt;
    };
    const auto http = find(Listener::Kind::Http, 80);
    const auto tls = find(Listener::Kind::Tls, 443);
    if (preferTls)
        return tls ? tls : http;
    return http ? http : tls;
}

std::optional<GatewayEntry> gatewayEntryFor(const RouteTable& table, std::string_view scheme,
                                            std::string_view authority) {
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
        std::uint32_t port = 0;
        const auto digits = authority.substr(colon + 1);
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (ec == std::errc() && end == digits.data() + digits.size())
            if (auto e = gatewayEntry(table, port))
                return e;
    }
    return gatewayEntry(table, std::nullopt, scheme == "https");
}

} // namespace sluice::routing
