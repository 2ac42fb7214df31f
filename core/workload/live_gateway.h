// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fleet_plan.h"
#include "proxy/cluster_policy.h"
#include "proxy/proxy_server.h"
#include "proxy/tls_context_builder.h"
#include "routing/route_table.h"
#include "workload_fleet.h"

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace sluice::workload {

/// The gateway as `sluice serve`, `sluice test --live` and the integration tests run it: the
/// proxy in front of the simulated replicas (and real endpoints) of a config. apply() swaps in a
/// new config with its own replicas; the replicas of the replaced config retire: they stop
/// accepting, their idle connections close, a request they are serving is answered (then its
/// connection closes), and what is still open after `retireGrace` is closed. A retired fleet (no
/// connection of it left on any worker) is destroyed by the next apply() or collectRetired(), so
/// memory stays flat however many reloads.
class LiveGateway {
public:
    /// The server is created (its workers exist, nothing listens yet) for `table`'s listeners.
    LiveGateway(proxy::ServeOptions options, routing::RouteTablePtr table);
    ~LiveGateway(); ///< stops the proxy (requests in flight get `drainOnDestroy`), then the replicas
    LiveGateway(const LiveGateway&) = delete;
    LiveGateway& operator=(const LiveGateway&) = delete;

    /// Binds the Gateway listeners. Call it before apply(): the replicas' ephemeral loopback ports
    /// must never land on a Gateway port. Empty on success, else why.
    [[nodiscard]] std::string listen();
    /// Starts the replicas of `plan` on the workers and serves `table` in front of them, with the
    /// clusters' DestinationRule `policies` (a cluster without one gets Istio's defaults). The
    /// gateway speaks HTTP/2 to the clusters in `http2Clusters`, HTTP/1.1 to the others.
    [[nodiscard]] std::string apply(FleetPlan plan, routing::RouteTablePtr table,
                                    std::shared_ptr<const proxy::TlsContextSet> tls = nullptr,
                                    proxy::ClusterPolicies policies = {},
                                    std::set<std::string, std::less<>> http2Clusters = {});
    /// The same with the replicas the routing engine counts for `resources`, the policies of its
    /// DestinationRules (ClusterPolicyCompiler), HTTP/2 to the clusters of its gRPC / HTTP2 Service
    /// ports (UpstreamProtocol) whatever their endpoints (simulated replicas speak HTTP/1.1 and
    /// HTTP/2, gRPC included), as Istio does, and the TLS contexts of its terminating servers
    /// (certificates from its Secrets or files, else the development CA when one is in use).
    /// `tlsRefused` is set when the refusal is TLS servers without a certificate (see
    /// refuseMissingTls()).
    [[nodiscard]] std::string apply(const model::ResourceSet& resources, routing::RouteTablePtr table,
                                    bool* tlsRefused = nullptr);
    /// Certificates for TLS servers that have none come from `devCa` (null: none).
    void useDevCa(const proxy::DevCertificateAuthority* devCa) { m_devCa = devCa; }
    /// With true, a config whose TLS servers lack certificates is refused; with false (the
    /// default) it is served and their handshakes fail, as on a gateway whose Secret is missing.
    void refuseMissingTls(bool refuse) { m_refuseMissingTls = refuse; }
    /// The listeners the last apply() added (Gateway ports new in its config), retired (ports it
    /// no longer has) or could not bind.
    [[nodiscard]] const proxy::ListenerChanges& listenerChanges() const { return m_listenerChanges; }
    /// What building the current config's TLS contexts found (problems, development certificates).
    [[nodiscard]] const proxy::TlsSetup& tls() const { return m_tls; }
    /// Starts the workers (listen() first when it was not called).
    [[nodiscard]] std::string start();
    /// listen(), apply(), start(): everything, for a config served once. Empty, or why not.
    [[nodiscard]] std::string run(FleetPlan plan, proxy::ClusterPolicies policies = {});

    [[nodiscard]] proxy::ProxyServer& server() { return *m_server; }
    [[nodiscard]] const proxy::ProxyServer& server() const { return *m_server; }
    /// The replicas of the config served now (after a successful apply()).
    [[nodiscard]] const WorkloadFleet& fleet() const { return *m_current; }
    /// Destroys the replaced fleets that have retired; returns how many are still retiring.
    std::size_t collectRetired();
    /// Simulated replicas alive: the current config's and those of replaced configs still retiring.
    [[nodiscard]] std::size_t replicaCount() const;
    [[nodiscard]] const routing::RouteTablePtr& table() const { return m_table; }
    /// Where Gateway port `gatewayPort` listens locally; 0 when it does not.
    [[nodiscard]] std::uint16_t localPort(std::uint32_t gatewayPort) const;

    std::chrono::milliseconds drainOnDestroy{5000};
    /// How long a replaced config's replicas keep connections still open before closing them.
    std::chrono::milliseconds retireGrace{30'000};

private:
    routing::RouteTablePtr m_table;
    std::unique_ptr<proxy::ProxyServer> m_server;
    std::unique_ptr<WorkloadFleet> m_current;
    std::vector<std::unique_ptr<WorkloadFleet>> m_retiring; ///< replaced (or failed to start), stopped
    const proxy::DevCertificateAuthority* m_devCa = nullptr;
    bool m_refuseMissingTls = false;
    proxy::TlsSetup m_tls;
    proxy::ListenerChanges m_listenerChanges;
};

} // namespace sluice::workload
