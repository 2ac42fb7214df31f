// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "backend_behaviour.h"
#include "model/gateway_workload.h"
#include "model/resource_set.h"
#include "proxy/serving_config.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::workload {

/// One replica the proxy can send to: simulated (a ReplicaServer with this behaviour) or a real
/// local process (a Workload with `endpoint:`).
struct PlannedReplica {
    std::string name; ///< "reviews-v2-1"; answers carry it in x-sluice-workload
    BackendBehaviour behaviour;
    std::optional<proxy::Endpoint> real;
    proxy::WorkloadIdentity owner = {}; ///< the Deployment / Workload / Pod (a Service for a default replica)
};

/// Which replicas stand behind every cluster the gateway and the mesh can route to, decided as
/// the routing engine counts endpoints (DestinationResolver::backends): the workloads a Service
/// selects, narrowed by a subset's labels; each replica of a Deployment or Workload once; one
/// default replica for a Service when the input has no workloads.
struct FleetPlan {
    std::vector<PlannedReplica> replicas;
    /// Envoy cluster name -> indices into `replicas`.
    std::map<std::string, std::vector<std::size_t>, std::less<>> clusters;
};

[[nodiscard]] FleetPlan
planFleet(const model::ResourceSet& resources,
          const model::GatewayWorkload& gateway = model::GatewayWorkload::defaultIngress());

/// `host:port` of a Workload's `endpoint:` ("localhost" means 127.0.0.1); nullopt when malformed.
[[nodiscard]] std::optional<proxy::Endpoint> parseEndpoint(std::string_view text, std::string workload);

} // namespace sluice::workload
