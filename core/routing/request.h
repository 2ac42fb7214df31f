// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::routing {

/// A request as it reaches the gateway (or, for the mesh view, a sidecar).
struct Request {
    /// Ingress: the Gateway server port as written in YAML (80, 443...). Mesh: the Service port.
    std::uint32_t port = 80;
    std::string authority; ///< Host / :authority as sent, possibly with ":port"
    std::string method = "GET";
    std::string target = "/";                                 ///< path with query, as sent
    std::vector<std::pair<std::string, std::string>> headers; ///< names compared case-insensitively
    bool tls = false;                                         ///< the client speaks TLS to this port
    std::optional<std::string> sni; ///< defaults to the authority's host when tls is set
    /// Route as a sidecar would (gateway `mesh`): `authority` names a Service, `port` its port.
    bool mesh = false;
    /// Mesh view only: the calling workload (sourceLabels / sourceNamespace matches).
    std::string sourceNamespace = "default";
    std::map<std::string, std::string> sourceLabels;

    /// The scheme Envoy reports: https over TLS, else http (or the x-forwarded-proto given).
    [[nodiscard]] std::string scheme() const { return tls ? "https" : "http"; }
    /// First value of a header, case-insensitive name; nullopt when absent.
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

} // namespace sluice::routing
