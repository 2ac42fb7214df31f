// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a DestinationRule's traffic policy makes of one Envoy cluster, compiled once per config
// version (ClusterPolicyCompiler) into plain values the proxy reads on the request path. The
// defaults are the ones Istio sets when a block is absent (pilot/pkg/networking/core/
// cluster_traffic_policy.go) or, where Istio leaves a field unset, Envoy's.

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::proxy {

/// Envoy's lb_policy values Istio produces.
enum class LbPolicy : std::uint8_t {
    RoundRobin,
    LeastRequest, ///< Istio's default (defaultLBAlgorithm) and what LEAST_CONN maps to
    Random,
    RingHash, ///< consistentHash without maglev
    Maglev,
};

/// "ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "RING_HASH", "MAGLEV" (Envoy's names).
[[nodiscard]] std::string_view lbPolicyName(LbPolicy policy);

/// The route's hash policy (Istio's consistentHashToHashPolicy): what a request is hashed on.
struct HashPolicy {
    enum class Source : std::uint8_t { None, Header, Cookie, QueryParameter, SourceIp };
    Source source = Source::None;
    std::string name; ///< header (lowercased), cookie or query parameter name
    std::string cookiePath;
    /// Set: a cookie is generated when the request has none (Envoy); zero makes a session cookie.
    std::optional<std::chrono::seconds> cookieTtl;
};

inline constexpr std::uint32_t kUnlimited = std::numeric_limits<std::uint32_t>::max();

/// connectionPool: Envoy's circuit-breaker thresholds (Istio sets every one to 2^32-1 unless
/// given) and the HTTP protocol options.
struct ConnectionLimits {
    std::uint32_t maxConnections = kUnlimited;        ///< tcp.maxConnections
    std::uint32_t maxPendingRequests = kUnlimited;    ///< http.http1MaxPendingRequests
    std::uint32_t maxRequests = kUnlimited;           ///< http.http2MaxRequests
    std::uint32_t maxRetries = kUnlimited;            ///< http.maxRetries (concurrent retries)
    std::uint32_t maxRequestsPerConnection = 0;       ///< http.maxRequestsPerConnection; 0: no limit
    std::chrono::milliseconds connectTimeout{10'000}; ///< tcp.connectTimeout (mesh default 10 s)
    std::chrono::milliseconds idleTimeout{3'600'000}; ///< http.idleTimeout, else tcp.idleTimeout; Envoy 1 h

    [[nodiscard]] bool countsRequests() const { return maxRequests != kUnlimited; }
    [[nodiscard]] bool countsPending() const { return maxPendingRequests != kUnlimited; }
};

/// outlierDetection, as Istio's applyOutlierDetection hands it to Envoy's detector.
struct OutlierPolicy {
    bool enabled = false;             ///< the DestinationRule has an outlierDetection block
    std::uint32_t consecutive5xx = 5; ///< Envoy's default, enforced unless consecutive5xxErrors: 0
    bool enforce5xx = true;
    std::uint32_t consecutiveGatewayErrors = 5; ///< enforced only when consecutiveGatewayErrors > 0
    bool enforceGatewayErrors = false;
    std::chrono::milliseconds interval{10'000};
    std::chrono::milliseconds baseEjectionTime{30'000};
    std::chrono::milliseconds maxEjectionTime{300'000}; ///< Envoy: max(300 s, baseEjectionTime)
    std::uint32_t maxEjectionPercent = 10;
    /// The healthy panic threshold: below this share of healthy endpoints every endpoint is used.
    /// Istio sets it from minHealthPercent, default 0 (panic mode off).
    std::uint32_t minHealthPercent = 0;
};

/// Everything the proxy applies to requests sent to one cluster.
struct ClusterPolicy {
    LbPolicy lb = LbPolicy::LeastRequest;
    HashPolicy hash; ///< only meaningful for RingHash and Maglev
    std::uint64_t minimumRingSize = 1024;
    std::uint64_t maglevTableSize = 65537; ///< Envoy's default (a prime)
    ConnectionLimits pool;
    OutlierPolicy outlier;

    [[nodiscard]] bool hashed() const { return lb == LbPolicy::RingHash || lb == LbPolicy::Maglev; }
};

/// Envoy cluster name -> its policy. Clusters without an entry get ClusterPolicy{}.
using ClusterPolicies = std::map<std::string, ClusterPolicy, std::less<>>;

} // namespace sluice::proxy
