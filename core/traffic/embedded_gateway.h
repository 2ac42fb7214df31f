// SPDX-License-Identifier: Apache-2.0
#pragma once

// The gateway `sluice load -f` and `sluice replay -f` send through: the live proxy on ephemeral
// loopback ports in front of the config's simulated replicas, in this process (as `sluice serve`
// runs it, without the file watching, the admin endpoint and the access log).

#include "model/resource_set.h"
#include "routing/gateway_entry.h"
#include "routing/route_table.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace sluice::metrics {
class MetricsCollector;
}

namespace sluice::proxy {
class DevCertificateAuthority;
}

namespace sluice::workload {
class LiveGateway;
struct FleetPlan;
} // namespace sluice::workload

namespace sluice::traffic {

// The entry of a Gateway port (routing/gateway_entry.h), as the traffic commands have always
// named it.
using routing::GatewayEntry;
using routing::gatewayEntry;
using routing::gatewayEntryFor;

class EmbeddedGateway {
public:
    EmbeddedGateway();
    ~EmbeddedGateway(); ///< stops the proxy and the replicas
    EmbeddedGateway(const EmbeddedGateway&) = delete;
    EmbeddedGateway& operator=(const EmbeddedGateway&) = delete;

    /// Serves `table` (compiled from `resources`) with `workers` proxy threads (0: 1). TLS servers
    /// without a usable certificate get one from `devCa` when given (`--dev-certs`; it must
    /// outlive the gateway), else their handshakes fail. Empty, or why.
    [[nodiscard]] std::string start(const model::ResourceSet& resources, routing::RouteTablePtr table,
                                    unsigned workers, const proxy::DevCertificateAuthority* devCa = nullptr);
    /// Where Gateway port `gatewayPort` listens on 127.0.0.1; 0 when it does not.
    [[nodiscard]] std::uint16_t localPort(std::uint32_t gatewayPort) const;
    [[nodiscard]] const routing::RouteTablePtr& table() const { return m_table; }
    /// The replicas behind each cluster (for WorkloadAttribution). Precondition: started.
    [[nodiscard]] const workload::FleetPlan& plan() const;
    /// TLS servers left without a certificate (their handshakes fail).
    [[nodiscard]] const std::vector<std::string>& tlsProblems() const { return m_tlsProblems; }
    /// Servers given a development certificate ("shop.example.com (Gateway ...)").
    [[nodiscard]] const std::vector<std::string>& devCertificates() const { return m_devCertificates; }
    /// A MUTUAL server was given a development certificate: it trusts the CA's client certificates.
    [[nodiscard]] bool mutualWithDevCa() const { return m_mutualWithDevCa; }
    /// Stops the proxy and the replicas, then counts what the proxy recorded (responseFlags()).
    void stop();

    /// The Envoy response flags the gateway gave the requests it finished, per flag ("UF": 3),
    /// as its access log would show them. Complete once stop() returned.
    ///
    /// Why from here: the load generator sees status codes and the x-sluice-workload header, but
    /// flags are not on the wire (Envoy does not send them either, and the proxy's request path
    /// stays as it is). The proxy computes each request's flags for its access log and records
    /// them in the MetricsCollector series this gateway gives it (one series per route, cluster,
    /// replica, status and flags; mesh calls between workloads are not recorded there). This
    /// gateway serves nothing but the run, so the totals are the run's: the same counts the
    /// simulator keeps for its gateway (the client's request, not the calls behind it). They are
    /// the gateway's view, as Envoy's access log is: a request that never reached it (connect or
    /// TLS handshake failure) has no flags; one the client gave up on (its timeout, Ctrl-C) is
    /// counted with what the gateway recorded when it ended (DC: the downstream went away).
    [[nodiscard]] const std::map<std::string, std::uint64_t>& responseFlags() const { return m_flags; }

private:
    void countFlags();

    routing::RouteTablePtr m_table;
    std::unique_ptr<metrics::MetricsCollector> m_metrics; ///< outlives the gateway's workers
    std::unique_ptr<workload::LiveGateway> m_gateway;
    std::vector<std::string> m_tlsProblems;
    std::vector<std::string> m_devCertificates;
    bool m_mutualWithDevCa = false;
    std::map<std::string, std::uint64_t> m_flags;
};

} // namespace sluice::traffic
