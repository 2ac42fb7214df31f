// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "decision.h"
#include "listener.h"
#include "model/gateway_workload.h"
#include "model/resource_set.h"
#include "request.h"
#include "rng.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sluice::routing {

enum class Explain : std::uint8_t { No, Yes };

/// The compiled, immutable routing state of one gateway workload plus the mesh (sidecar) view.
/// Built once per config version by compile(); shared read-only by every thread that routes.
class RouteTable {
public:
    /// What the gateway does with `request`. With Explain::Yes the decision carries a trace of
    /// every step (listener, filter chain, vhost, each rule tried and why it failed).
    /// Thread-safe: const, no shared mutable state (the Rng is the caller's).
    [[nodiscard]] Decision route(const Request& request, Rng& rng, Explain explain = Explain::Yes) const;
    /// The same, into `decision` (reset first): a caller that routes many requests reuses one
    /// Decision and its storage.
    void route(const Request& request, Rng& rng, Explain explain, Decision& decision) const;

    [[nodiscard]] const std::map<std::uint32_t, Listener>& listeners() const { return m_listeners; }
    /// Sidecar outbound route configs by service port (Envoy names them by port: "9080").
    [[nodiscard]] const std::map<std::uint32_t, std::shared_ptr<const RouteConfig>>& mesh() const {
        return m_mesh;
    }
    [[nodiscard]] const model::GatewayWorkload& workload() const { return m_workload; }
    /// Ports some Gateway names but nothing listens on, with the reasons in words.
    [[nodiscard]] const std::map<std::uint32_t, std::vector<std::string>>& portNotes() const {
        return m_portNotes;
    }
    [[nodiscard]] const std::vector<std::string>& files() const { return m_files; }

private:
    friend class TableCompiler;

    // Both complete `decision` in place (no Decision is copied or moved on the way out).
    void routeHttp(const RouteConfig& config, const Request& request, std::string_view lookupHost, Rng& rng,
                   Explain explain, Decision& decision) const;
    void routeTcp(const TcpRoute& route, Rng& rng, Decision& decision) const;
    void routeIngress(const Request& request, Rng& rng, Explain explain, Decision& decision) const;
    void routeMesh(const Request& request, Rng& rng, Explain explain, Decision& decision) const;

    model::GatewayWorkload m_workload;
    std::map<std::uint32_t, Listener> m_listeners;
    std::map<std::uint32_t, std::shared_ptr<const RouteConfig>> m_mesh;
    /// Ports some Gateway names but nothing listens on, with the reasons (for connection refused).
    std::map<std::uint32_t, std::vector<std::string>> m_portNotes;
    std::vector<std::string> m_files;
};

using RouteTablePtr = std::shared_ptr<const RouteTable>;

/// Compiles everything `resources` holds into the routing state of `workload` (default: Istio's
/// ingress gateway in istio-system) and of the mesh. Never throws; problems the validator reports
/// (bad regexes, missing targets) become routes that fail at request time, as in Envoy.
[[nodiscard]] RouteTablePtr
compile(const model::ResourceSet& resources,
        const model::GatewayWorkload& workload = model::GatewayWorkload::defaultIngress());

} // namespace sluice::routing
