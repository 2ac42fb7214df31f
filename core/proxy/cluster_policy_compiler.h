// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster_policy.h"
#include "model/gateway_workload.h"
#include "model/resource_set.h"
#include "routing/destination_resolver.h"

namespace sluice::proxy {

/// Turns DestinationRules into the per-cluster policies the proxy applies (Istio's
/// applyTrafficPolicy: applyConnectionPool, applyOutlierDetection, applyLoadBalancer,
/// ApplyRingHashLoadBalancer, and consistentHashToHashPolicy for the route's hash policy). Runs
/// once per config version, never on the request path.
class ClusterPolicyCompiler {
public:
    /// The policy of every cluster of every Service port (and of every subset of it), as the
    /// DestinationRules visible from `gateway`'s namespace merge for it. The simulated workloads'
    /// sidecars use the same policies (see MeshCaller).
    [[nodiscard]] static ClusterPolicies
    compile(const model::ResourceSet& resources,
            const model::GatewayWorkload& gateway = model::GatewayWorkload::defaultIngress());

    /// One cluster's policy from the blocks that apply to it; absent blocks give Istio's defaults.
    [[nodiscard]] static ClusterPolicy fromBlocks(const routing::DestinationResolver::PolicyBlocks& blocks);
};

} // namespace sluice::proxy
