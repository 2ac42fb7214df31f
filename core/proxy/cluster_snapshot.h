// SPDX-License-Identifier: Apache-2.0
#pragma once

// Plain values describing the upstream side of the proxy at one instant, for the admin
// endpoint's /clusters (ProxyServer::clusters()). No Asio, no references into live state.

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::proxy {

struct EndpointSnapshot {
    std::string address;
    std::uint16_t port = 0;
    std::string workload;              ///< "reviews-v2-1"
    bool healthy = true;               ///< false while ejected by outlier detection
    std::uint32_t ejections = 0;       ///< times ejected since the config version started
    std::int64_t ejectedForMillis = 0; ///< how much longer it stays out, when ejected
    std::uint32_t activeRequests = 0;  ///< Envoy's rq_active
    std::uint32_t consecutive5xx = 0;
    std::uint32_t consecutiveGatewayErrors = 0;
};

struct ClusterSnapshot {
    std::string name;         ///< "outbound|9080|v1|reviews.default.svc.cluster.local"
    std::string loadBalancer; ///< Envoy's lb_policy name: "LEAST_REQUEST", "RING_HASH", ...
    bool outlierDetection = false;
    // Circuit breakers: in use now, and the thresholds (4294967295: Istio's "unlimited").
    std::uint32_t connections = 0;
    std::uint32_t pendingRequests = 0;
    std::uint32_t requests = 0; ///< counted only under a maxRequests threshold; else the endpoints' sum
    std::uint32_t retries = 0;
    std::uint32_t maxConnections = 0;
    std::uint32_t maxPendingRequests = 0;
    std::uint32_t maxRequests = 0;
    std::uint32_t maxRetries = 0;
    std::vector<EndpointSnapshot> endpoints;
};

} // namespace sluice::proxy
