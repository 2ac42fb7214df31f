// SPDX-License-Identifier: Apache-2.0
#pragma once

// networking.istio.io DestinationRule (v1alpha3, v1beta1 and v1 share this schema).

#include "duration.h"
#include "object_meta.h"
#include "selectors.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::model {

enum class SimpleLb : std::uint8_t { Unspecified, LeastConn, Random, Passthrough, RoundRobin, LeastRequest };

struct CookieAttribute {
    Located<std::string> name;
    Located<std::string> value;
    SourceSpan span;
};

struct HttpCookie {
    Located<std::string> name;
    Located<std::string> path;
    Located<Duration> ttl;
    std::vector<CookieAttribute> attributes;
    SourceSpan span;
};

struct RingHash {
    Located<std::uint64_t> minimumRingSize;
    SourceSpan span;
};

struct MagLev {
    Located<std::uint64_t> tableSize;
    SourceSpan span;
};

struct ConsistentHashLb {
    Located<std::string> httpHeaderName;
    std::optional<HttpCookie> httpCookie;
    Located<bool> useSourceIp;
    Located<std::string> httpQueryParameterName;
    std::optional<RingHash> ringHash;
    std::optional<MagLev> maglev;
    Located<std::uint64_t> minimumRingSize; ///< deprecated: use ringHash.minimumRingSize
    SourceSpan span;
};

struct LocalityDistribute {
    Located<std::string> from;
    MessageMap<Located<std::uint32_t>> to;
    SourceSpan span;
};

struct LocalityFailover {
    Located<std::string> from;
    Located<std::string> to;
    SourceSpan span;
};

struct LocalityLoadBalancerSetting {
    std::vector<LocalityDistribute> distribute;
    std::vector<LocalityFailover> failover;
    std::vector<Located<std::string>> failoverPriority;
    Located<bool> enabled;
    SourceSpan span;
};

struct WarmupConfiguration {
    Located<Duration> duration;
    Located<double> minimumPercent;
    Located<double> aggression;
    SourceSpan span;
};

struct LoadBalancerSettings {
    Located<SimpleLb> simple;
    std::optional<ConsistentHashLb> consistentHash;
    std::optional<LocalityLoadBalancerSetting> localityLbSetting;
    Located<Duration> warmupDurationSecs; ///< deprecated: use warmup.duration
    std::optional<WarmupConfiguration> warmup;
    SourceSpan span;
};

struct TcpKeepalive {
    Located<std::uint32_t> probes;
    Located<Duration> time;
    Located<Duration> interval;
    SourceSpan span;
};

struct TcpSettings {
    Located<std::int32_t> maxConnections;
    Located<Duration> connectTimeout;
    std::optional<TcpKeepalive> tcpKeepalive;
    Located<Duration> maxConnectionDuration;
    Located<Duration> idleTimeout;
    SourceSpan span;
};

struct Http2KeepAlive {
    Located<Duration> interval;
    Located<Duration> timeout;
    SourceSpan span;
};

enum class H2UpgradePolicy : std::uint8_t { Default, DoNotUpgrade, Upgrade };

struct HttpSettings {
    Located<std::int32_t> http1MaxPendingRequests;
    Located<std::int32_t> http2MaxRequests;
    Located<std::int32_t> maxRequestsPerConnection;
    Located<std::int32_t> maxRetries;
    Located<Duration> idleTimeout;
    Located<H2UpgradePolicy> h2UpgradePolicy;
    std::optional<Http2KeepAlive> http2KeepAlive;
    Located<bool> useClientProtocol;
    Located<std::int32_t> maxConcurrentStreams;
    SourceSpan span;
};

struct ConnectionPoolSettings {
    std::optional<TcpSettings> tcp;
    std::optional<HttpSettings> http;
    SourceSpan span;
};

struct OutlierDetection {
    Located<bool> splitExternalLocalOriginErrors;
    Located<std::uint32_t> consecutiveLocalOriginFailures;
    Located<std::uint32_t> consecutiveGatewayErrors;
    Located<std::uint32_t> consecutive5xxErrors;
    Located<Duration> interval;
    Located<Duration> baseEjectionTime;
    Located<std::int32_t> maxEjectionPercent;
    Located<std::int32_t> minHealthPercent;
    Located<std::int32_t> consecutiveErrors; ///< deprecated: use consecutive5xxErrors
    SourceSpan span;
};

enum class ClientTlsMode : std::uint8_t { Disable, Simple, Mutual, IstioMutual };

struct ClientTlsSettings {
    Located<ClientTlsMode> mode;
    Located<std::string> clientCertificate;
    Located<std::string> privateKey;
    Located<std::string> caCertificates;
    Located<std::string> credentialName;
    std::vector<Located<std::string>> subjectAltNames;
    Located<std::string> sni;
    Located<bool> insecureSkipVerify;
    Located<std::string> caCrl;
    SourceSpan span;
};

struct PortTrafficPolicy {
    std::optional<PortSelector> port;
    std::optional<LoadBalancerSettings> loadBalancer;
    std::optional<ConnectionPoolSettings> connectionPool;
    std::optional<OutlierDetection> outlierDetection;
    std::optional<ClientTlsSettings> tls;
    SourceSpan span;
};

struct TunnelSettings {
    Located<std::string> protocol;
    Located<std::string> targetHost;
    Located<std::uint32_t> targetPort;
    SourceSpan span;
};

enum class ProxyProtocolVersion : std::uint8_t { V1, V2 };

struct ProxyProtocol {
    Located<ProxyProtocolVersion> version;
    SourceSpan span;
};

struct RetryBudget {
    Located<double> percent;
    Located<std::uint32_t> minRetryConcurrency;
    SourceSpan span;
};

struct TrafficPolicy {
    std::optional<LoadBalancerSettings> loadBalancer;
    std::optional<ConnectionPoolSettings> connectionPool;
    std::optional<OutlierDetection> outlierDetection;
    std::optional<ClientTlsSettings> tls;
    std::vector<PortTrafficPolicy> portLevelSettings;
    std::optional<TunnelSettings> tunnel;
    std::optional<ProxyProtocol> proxyProtocol;
    std::optional<RetryBudget> retryBudget;
    SourceSpan span;
};

struct Subset {
    Located<std::string> name;
    StringMap labels;
    std::optional<TrafficPolicy> trafficPolicy;
    SourceSpan span;
};

struct DestinationRuleSpec {
    Located<std::string> host;
    std::optional<TrafficPolicy> trafficPolicy;
    std::vector<Subset> subsets;
    std::vector<Located<std::string>> exportTo;
    std::optional<WorkloadSelector> workloadSelector;
    SourceSpan span;
};

struct DestinationRule {
    static constexpr std::string_view kKind = "DestinationRule";
    ResourceHeader header;
    DestinationRuleSpec spec;
};

} // namespace sluice::model
