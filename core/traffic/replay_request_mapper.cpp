// SPDX-License-Identifier: Apache-2.0
#include "replay_request_mapper.h"

#include <charconv>

namespace sluice::traffic {
namespace {

/// The explicit port of "host:port" / "[v6]:port"; 0 when none.
std::uint32_t explicitPort(std::string_view authority) {
    const auto colon = authority.rfind(':');
    if (colon == std::string_view::npos || authority.find(']', colon) != std::string_view::npos)
        return 0;
    if (authority.front() != '[' && authority.find(':') != colon)
        return 0; // a bare IPv6 address
    std::uint32_t port = 0;
    const std::string_view digits = authority.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    return ec == std::errc{} && end == digits.data() + digits.size() && port <= 65535 ? port : 0;
}

} // namespace

ReplayRequestMapper::ReplayRequestMapper(const routing::RouteTable& table, std::string fallbackAuthority)
    : m_table(table)
    , m_fallbackAuthority(std::move(fallbackAuthority)) {}

std::uint32_t ReplayRequestMapper::portFor(const RecordedRequest& recorded, bool https) const {
    const auto& listeners = m_table.listeners();
    if (const std::uint32_t port = explicitPort(recorded.authority); port && listeners.count(port))
        return port;
    if (const std::uint32_t port = https ? 443 : 80; listeners.count(port))
        return port;
    for (const auto& [port, listener] : listeners)
        if ((listener.kind == routing::Listener::Kind::Tls) == https)
            return port;
    return listeners.empty() ? (https ? 443 : 80) : listeners.begin()->first;
}

void ReplayRequestMapper::fill(const RecordedRequest& recorded, routing::Request& out) const {
    out.port = portFor(recorded, recorded.scheme == "https");
    // The replayer speaks what the port wants: TLS to a TLS server, plain HTTP otherwise.
    const auto listener = m_table.listeners().find(out.port);
    out.tls = listener != m_table.listeners().end() && listener->second.kind == routing::Listener::Kind::Tls;
    out.sni.reset();
    out.mesh = false;
    out.authority.assign(recorded.authority.empty() ? m_fallbackAuthority : recorded.authority);
    out.method.assign(recorded.method.empty() ? std::string_view("GET") : std::string_view(recorded.method));
    out.target.assign(recorded.path.empty() ? std::string_view("/") : std::string_view(recorded.path));
    out.headers.resize(recorded.headers.size());
    for (std::size_t i = 0; i < recorded.headers.size(); ++i) {
        out.headers[i].first.assign(recorded.headers[i].first);
        out.headers[i].second.assign(recorded.headers[i].second);
    }
}

} // namespace sluice::traffic
