// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster_policy.h"
#include "routing/route_table.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace sluice::proxy {

/// The workload a replica belongs to, as Istio's telemetry names it (destination_workload,
/// destination_workload_namespace, destination_app, destination_version).
struct WorkloadIdentity {
    std::string name; ///< "reviews-v2": the Deployment, Workload or Pod
    std::string ns;
    std::string app;     ///< its `app` label
    std::string version; ///< its `version` label
};

/// One upstream address of a cluster: a simulated replica's loopback port or a real process.
struct Endpoint {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;
    std::string workload;        ///< "reviews-v2-1": what answered, for logs and x-sluice-workload
    WorkloadIdentity owner = {}; ///< for metrics; empty name: unknown
};

/// Envoy cluster name ("outbound|9080|v1|reviews.default.svc.cluster.local") -> its endpoints.
using ClusterEndpoints = std::map<std::string, std::vector<Endpoint>, std::less<>>;

class TlsContextSet; // tls_context_set.h: the OpenSSL contexts, opaque here

/// Everything a worker needs to serve one version of the config. Immutable; a reload builds a
/// new one and the server swaps it in, requests in flight finishing on the one they started with.
struct ServingConfig {
    routing::RouteTablePtr table;
    ClusterEndpoints clusters;
    /// The DestinationRule policy of each cluster (compileClusterPolicies); a cluster without an
    /// entry gets Istio's defaults (least request, no limits, no outlier detection).
    ClusterPolicies policies;
    /// Clusters the gateway speaks HTTP/2 to (gRPC and HTTP2 Service ports, see UpstreamProtocol);
    /// every other cluster gets HTTP/1.1.
    std::set<std::string, std::less<>> http2Clusters;
    /// The TLS contexts of the table's terminating filter chains (buildTlsContexts); null: none,
    /// every terminating chain fails its handshakes.
    std::shared_ptr<const TlsContextSet> tls;
};

using ServingConfigPtr = std::shared_ptr<const ServingConfig>;

} // namespace sluice::proxy
