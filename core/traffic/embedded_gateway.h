// SPDX-License-Identifier: Apache-2.0
#pragma once

// The gateway `sluice load -f` and `sluice replay -f` send through: the live proxy on ephemeral
// loopback ports in front of the config's simulated replicas, in this process (as `sluice serve`
// runs it, without the file watching, the admin endpoint and the access log).

#include "model/resource_set.h"
#include "routing/gateway_entry.h"
#include "routing/route_table.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

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

    /// Serves `table` (compiled from `resources`) with `workers` proxy threads (0: 1). Empty, or why.
    [[nodiscard]] std::string start(const model::ResourceSet& resources, routing::RouteTablePtr table,
                                    unsigned workers);
    /// Where Gateway port `gatewayPort` listens on 127.0.0.1; 0 when it does not.
    [[nodiscard]] std::uint16_t localPort(std::uint32_t gatewayPort) const;
    [[nodiscard]] const routing::RouteTablePtr& table() const { return m_table; }
    /// The replicas behind each cluster (for WorkloadAttribution). Precondition: started.
    [[nodiscard]] const workload::FleetPlan& plan() const;
    /// TLS servers left without a certificate (their handshakes fail).
    [[nodiscard]] const std::vector<std::string>& tlsProblems() const { return m_tlsProblems; }
    void stop();

private:
    routing::RouteTablePtr m_table;
    std::unique_ptr<workload::LiveGateway> m_gateway;
    std::vector<std::string> m_tlsProblems;
};

} // namespace sluice::traffic
