// SPDX-License-Identifier: Apache-2.0
#include "route_config.h"

#include "host_name.h"

#include <algorithm>

namespace sluice::routing {

RouteConfig::RouteConfig(std::string name, std::vector<VirtualHost> vhosts)
    : m_name(std::move(name))
    , m_vhosts(std::move(vhosts)) {
    for (std::size_t i = 0; i < m_vhosts.size(); ++i) {
        const std::string domain = lowerAscii(m_vhosts[i].domain);
        if (domain == "*") {
            if (m_star == SIZE_MAX)
                m_star = i;
        } else if (domain.starts_with("*")) {
            const std::string suffix = domain.substr(1);
            if (m_suffix.emplace(suffix, i).second)
                m_suffixLengths.push_back(suffix.size());
        } else if (domain.ends_with("*")) {
            m_prefix.emplace_back(domain.substr(0, domain.size() - 1), i);
        } else {
            m_exact.emplace(domain, i);
        }
    }
    std::sort(m_suffixLengths.begin(), m_suffixLengths.end(), std::greater<>());
    m_suffixLengths.erase(std::unique(m_suffixLengths.begin(), m_suffixLengths.end()), m_suffixLengths.end());
    std::stable_sort(m_prefix.begin(), m_prefix.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

const VirtualHost* RouteConfig::find(std::string_view authority) const {
    // Lower-cased on the stack: no allocation for any realistic Host (DNS names are <= 253 bytes).
    const std::string_view raw = stripPort(authority);
    char buffer[256];
    std::string heap;
    std::string_view host;
    if (raw.size() <= sizeof buffer) {
        for (std::size_t i = 0; i < raw.size(); ++i)
            buffer[i] = raw[i] >= 'A' && raw[i] <= 'Z' ? static_cast<char>(raw[i] - 'A' + 'a') : raw[i];
        host = std::string_view(buffer, raw.size());
    } else {
        heap = lowerAscii(raw);
        host = heap;
    }
    if (const auto it = m_exact.find(host); it != m_exact.end())
        return &m_vhosts[it->second];
    // Envoy: a wildcard must match at least one character, so "*.example.com" never matches ".example.com".
    for (std::size_t length : m_suffixLengths) {
        if (length >= host.size())
            continue;
        if (const auto it = m_suffix.find(std::string_view(host).substr(host.size() - length));
            it != m_suffix.end())
            return &m_vhosts[it->second];
    }
    for (const auto& [prefix, index] : m_prefix)
        if (host.size() > prefix.size() && host.starts_with(prefix))
            return &m_vhosts[index];
    return m_star == SIZE_MAX ? nullptr : &m_vhosts[m_star];
}

} // namespace sluice::routing
