// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "binding_report.h"
#include "virtual_host.h"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::routing {

/// An Envoy route configuration: virtual hosts and the lookup Envoy does on the Host header
/// (exact domain, then the longest `*.suffix`, then the longest `prefix.*`, then `*`).
class RouteConfig {
public:
    RouteConfig() = default;
    RouteConfig(std::string name, std::vector<VirtualHost> vhosts);

    [[nodiscard]] const std::string& name() const { return m_name; }
    [[nodiscard]] const std::vector<VirtualHost>& virtualHosts() const { return m_vhosts; }
    /// The vhost for a Host header value (port and case ignored); nullptr when none matches.
    [[nodiscard]] const VirtualHost* find(std::string_view authority) const;
    /// True for the blackhole config Istio emits when no VirtualService produced a vhost.
    [[nodiscard]] bool isBlackhole() const { return m_blackhole; }
    void markBlackhole() { m_blackhole = true; }
    /// What the compiler decided about each VirtualService for this config; nullptr for the mesh.
    [[nodiscard]] const BindingReport* report() const { return m_report.get(); }
    void setReport(std::shared_ptr<const BindingReport> report) { m_report = std::move(report); }

private:
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    std::string m_name;
    std::vector<VirtualHost> m_vhosts;
    std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> m_exact;
    std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>>
        m_suffix;                                              ///< ".example.com" -> vhost
    std::vector<std::size_t> m_suffixLengths;                  ///< longest first
    std::vector<std::pair<std::string, std::size_t>> m_prefix; ///< "api." -> vhost, longest first
    std::size_t m_star = SIZE_MAX;
    bool m_blackhole = false;
    std::shared_ptr<const BindingReport> m_report;
};

} // namespace sluice::routing
