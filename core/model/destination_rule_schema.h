// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "destination_rule.h"
#include "selectors_schema.h"

namespace sluice::model::schema {

template <>
struct Enum<SimpleLb> {
    static constexpr std::array values{
        EnumValue<SimpleLb>{"UNSPECIFIED", SimpleLb::Unspecified, 0},
        EnumValue<SimpleLb>{"LEAST_CONN", SimpleLb::LeastConn, 1},
        EnumValue<SimpleLb>{"RANDOM", SimpleLb::Random, 2},
        EnumValue<SimpleLb>{"PASSTHROUGH", SimpleLb::Passthrough, 3},
        EnumValue<SimpleLb>{"ROUND_ROBIN", SimpleLb::RoundRobin, 4},
        EnumValue<SimpleLb>{"LEAST_REQUEST", SimpleLb::LeastRequest, 5},
    };
};

template <>
struct Message<CookieAttribute> {
    static constexpr std::string_view name = "HTTPCookie.Attribute";
    static constexpr auto fields = std::tuple{
        Field{"name", &CookieAttribute::name},
        Field{"value", &CookieAttribute::value},
    };
};

template <>
struct Message<HttpCookie> {
    static constexpr std::string_view name = "ConsistentHashLB.HTTPCookie";
    static constexpr auto fields = std::tuple{
        Field{"name", &HttpCookie::name},
        Field{"path", &HttpCookie::path},
        Field{"ttl", &HttpCookie::ttl},
        Field{"attributes", &HttpCookie::attributes},
    };
};

template <>
struct Message<RingHash> {
    static constexpr std::string_view name = "ConsistentHashLB.RingHash";
    static constexpr auto fields = std::tuple{
        Field{"minimumRingSize", &RingHash::minimumRingSize},
    };
};

template <>
struct Message<MagLev> {
    static constexpr std::string_view name = "ConsistentHashLB.MagLev";
    static constexpr auto fields = std::tuple{
        Field{"tableSize", &MagLev::tableSize},
    };
};

template <>
struct Message<ConsistentHashLb> {
    static constexpr std::string_view name = "ConsistentHashLB";
    static constexpr auto fields = std::tuple{
        Field{"httpHeaderName", &ConsistentHashLb::httpHeaderName},
        Field{"httpCookie", &ConsistentHashLb::httpCookie},
        Field{"useSourceIp", &ConsistentHashLb::useSourceIp},
        Field{"httpQueryParameterName", &ConsistentHashLb::httpQueryParameterName},
        Field{"ringHash", &ConsistentHashLb::ringHash},
        Field{"maglev", &ConsistentHashLb::maglev},
        Field{"minimumRingSize", &ConsistentHashLb::minimumRingSize, "use ringHash.minimumRingSize"},
    };
};

template <>
struct Message<LocalityDistribute> {
    static constexpr std::string_view name = "LocalityLoadBalancerSetting.Distribute";
    static constexpr auto fields = std::tuple{
        Field{"from", &LocalityDistribute::from},
        Field{"to", &LocalityDistribute::to},
    };
};

template <>
struct Message<LocalityFailover> {
    static constexpr std::string_view name = "LocalityLoadBalancerSetting.Failover";
    static constexpr auto fields = std::tuple{
        Field{"from", &LocalityFailover::from},
        Field{"to", &LocalityFailover::to},
    };
};

template <>
struct Message<LocalityLoadBalancerSetting> {
    static constexpr std::string_view name = "LocalityLoadBalancerSetting";
    static constexpr auto fields = std::tuple{
        Field{"distribute", &LocalityLoadBalancerSetting::distribute},
        Field{"failover", &LocalityLoadBalancerSetting::failover},
        Field{"failoverPriority", &LocalityLoadBalancerSetting::failoverPriority},
        Field{"enabled", &LocalityLoadBalancerSetting::enabled},
    };
};

template <>
struct Message<WarmupConfiguration> {
    static constexpr std::string_view name = "WarmupConfiguration";
    static constexpr auto fields = std::tuple{
        Field{"duration", &WarmupConfiguration::duration},
        Field{"minimumPercent", &WarmupConfiguration::minimumPercent},
        Field{"aggression", &WarmupConfiguration::aggression},
    };
};

template <>
struct Message<LoadBalancerSettings> {
    static constexpr std::string_view name = "LoadBalancerSettings";
    static constexpr auto fields = std::tuple{
        Field{"simple", &LoadBalancerSettings::simple},
        Field{"consistentHash", &LoadBalancerSettings::consistentHash},
        Field{"localityLbSetting", &LoadBalancerSettings::localityLbSetting},
        Field{"warmupDurationSecs", &LoadBalancerSettings::warmupDurationSecs, "use warmup.duration"},
        Field{"warmup", &LoadBalancerSettings::warmup},
    };
};

template <>
struct Message<TcpKeepalive> {
    static constexpr std::string_view name = "ConnectionPoolSettings.TCPSettings.TcpKeepalive";
    static constexpr auto fields = std::tuple{
        Field{"probes", &TcpKeepalive::probes},
        Field{"time", &TcpKeepalive::time},
        Field{"interval", &TcpKeepalive::interval},
    };
};

template <>
struct Message<TcpSettings> {
    static constexpr std::string_view name = "ConnectionPoolSettings.TCPSettings";
    static constexpr auto fields = std::tuple{
        Field{"maxConnections", &TcpSettings::maxConnections},
        Field{"connectTimeout", &TcpSettings::connectTimeout},
        Field{"tcpKeepalive", &TcpSettings::tcpKeepalive},
        Field{"maxConnectionDuration", &TcpSettings::maxConnectionDuration},
        Field{"idleTimeout", &TcpSettings::idleTimeout},
    };
};

template <>
struct Message<Http2KeepAlive> {
    static constexpr std::string_view name = "ConnectionPoolSettings.HTTPSettings.Http2KeepAlive";
    static constexpr auto fields = std::tuple{
        Field{"interval", &Http2KeepAlive::interval},
        Field{"timeout", &Http2KeepAlive::timeout},
    };
};

template <>
struct Enum<H2UpgradePolicy> {
    static constexpr std::array values{
        EnumValue<H2UpgradePolicy>{"DEFAULT", H2UpgradePolicy::Default, 0},
        EnumValue<H2UpgradePolicy>{"DO_NOT_UPGRADE", H2UpgradePolicy::DoNotUpgrade, 1},
        EnumValue<H2UpgradePolicy>{"UPGRADE", H2UpgradePolicy::Upgrade, 2},
    };
};

template <>
struct Message<HttpSettings> {
    static constexpr std::string_view name = "ConnectionPoolSettings.HTTPSettings";
    static constexpr auto fields = std::tuple{
        Field{"http1MaxPendingRequests", &HttpSettings::http1MaxPendingRequests},
        Field{"http2MaxRequests", &HttpSettings::http2MaxRequests},
        Field{"maxRequestsPerConnection", &HttpSettings::maxRequestsPerConnection},
        Field{"maxRetries", &HttpSettings::maxRetries},
        Field{"idleTimeout", &HttpSettings::idleTimeout},
        Field{"h2UpgradePolicy", &HttpSettings::h2UpgradePolicy},
        Field{"http2KeepAlive", &HttpSettings::http2KeepAlive},
        Field{"useClientProtocol", &HttpSettings::useClientProtocol},
        Field{"maxConcurrentStreams", &HttpSettings::maxConcurrentStreams},
    };
};

template <>
struct Message<ConnectionPoolSettings> {
    static constexpr std::string_view name = "ConnectionPoolSettings";
    static constexpr auto fields = std::tuple{
        Field{"tcp", &ConnectionPoolSettings::tcp},
        Field{"http", &ConnectionPoolSettings::http},
    };
};

template <>
struct Message<OutlierDetection> {
    static constexpr std::string_view name = "OutlierDetection";
    static constexpr auto fields = std::tuple{
        Field{"splitExternalLocalOriginErrors", &OutlierDetection::splitExternalLocalOriginErrors},
        Field{"consecutiveLocalOriginFailures", &OutlierDetection::consecutiveLocalOriginFailures},
        Field{"consecutiveGatewayErrors", &OutlierDetection::consecutiveGatewayErrors},
        Field{"consecutive5xxErrors", &OutlierDetection::consecutive5xxErrors},
        Field{"interval", &OutlierDetection::interval},
        Field{"baseEjectionTime", &OutlierDetection::baseEjectionTime},
        Field{"maxEjectionPercent", &OutlierDetection::maxEjectionPercent},
        Field{"minHealthPercent", &OutlierDetection::minHealthPercent},
        Field{"consecutiveErrors", &OutlierDetection::consecutiveErrors, "use consecutive5xxErrors"},
    };
};

template <>
struct Enum<ClientTlsMode> {
    static constexpr std::array values{
        EnumValue<ClientTlsMode>{"DISABLE", ClientTlsMode::Disable, 0},
        EnumValue<ClientTlsMode>{"SIMPLE", ClientTlsMode::Simple, 1},
        EnumValue<ClientTlsMode>{"MUTUAL", ClientTlsMode::Mutual, 2},
        EnumValue<ClientTlsMode>{"ISTIO_MUTUAL", ClientTlsMode::IstioMutual, 3},
    };
};

template <>
struct Message<ClientTlsSettings> {
    static constexpr std::string_view name = "ClientTLSSettings";
    static constexpr auto fields = std::tuple{
        Field{"mode", &ClientTlsSettings::mode},
        Field{"clientCertificate", &ClientTlsSettings::clientCertificate},
        Field{"privateKey", &ClientTlsSettings::privateKey},
        Field{"caCertificates", &ClientTlsSettings::caCertificates},
        Field{"credentialName", &ClientTlsSettings::credentialName},
        Field{"subjectAltNames", &ClientTlsSettings::subjectAltNames},
        Field{"sni", &ClientTlsSettings::sni},
        Field{"insecureSkipVerify", &ClientTlsSettings::insecureSkipVerify},
        Field{"caCrl", &ClientTlsSettings::caCrl},
    };
};

template <>
struct Message<PortTrafficPolicy> {
    static constexpr std::string_view name = "TrafficPolicy.PortTrafficPolicy";
    static constexpr auto fields = std::tuple{
        Field{"port", &PortTrafficPolicy::port},
        Field{"loadBalancer", &PortTrafficPolicy::loadBalancer},
        Field{"connectionPool", &PortTrafficPolicy::connectionPool},
        Field{"outlierDetection", &PortTrafficPolicy::outlierDetection},
        Field{"tls", &PortTrafficPolicy::tls},
    };
};

template <>
struct Message<TunnelSettings> {
    static constexpr std::string_view name = "TrafficPolicy.TunnelSettings";
    static constexpr auto fields = std::tuple{
        Field{"protocol", &TunnelSettings::protocol},
        Field{"targetHost", &TunnelSettings::targetHost},
        Field{"targetPort", &TunnelSettings::targetPort},
    };
};

template <>
struct Enum<ProxyProtocolVersion> {
    static constexpr std::array values{
        EnumValue<ProxyProtocolVersion>{"V1", ProxyProtocolVersion::V1, 0},
        EnumValue<ProxyProtocolVersion>{"V2", ProxyProtocolVersion::V2, 1},
    };
};

template <>
struct Message<ProxyProtocol> {
    static constexpr std::string_view name = "TrafficPolicy.ProxyProtocol";
    static constexpr auto fields = std::tuple{
        Field{"version", &ProxyProtocol::version},
    };
};

template <>
struct Message<RetryBudget> {
    static constexpr std::string_view name = "TrafficPolicy.RetryBudget";
    static constexpr auto fields = std::tuple{
        Field{"percent", &RetryBudget::percent},
        Field{"minRetryConcurrency", &RetryBudget::minRetryConcurrency},
    };
};

template <>
struct Message<TrafficPolicy> {
    static constexpr std::string_view name = "TrafficPolicy";
    static constexpr auto fields = std::tuple{
        Field{"loadBalancer", &TrafficPolicy::loadBalancer},
        Field{"connectionPool", &TrafficPolicy::connectionPool},
        Field{"outlierDetection", &TrafficPolicy::outlierDetection},
        Field{"tls", &TrafficPolicy::tls},
        Field{"portLevelSettings", &TrafficPolicy::portLevelSettings},
        Field{"tunnel", &TrafficPolicy::tunnel},
        Field{"proxyProtocol", &TrafficPolicy::proxyProtocol},
        Field{"retryBudget", &TrafficPolicy::retryBudget},
    };
};

template <>
struct Message<Subset> {
    static constexpr std::string_view name = "Subset";
    static constexpr auto fields = std::tuple{
        Field{"name", &Subset::name},
        Field{"labels", &Subset::labels},
        Field{"trafficPolicy", &Subset::trafficPolicy},
    };
};

template <>
struct Message<DestinationRuleSpec> {
    static constexpr std::string_view name = "DestinationRule";
    static constexpr auto fields = std::tuple{
        Field{"host", &DestinationRuleSpec::host},
        Field{"trafficPolicy", &DestinationRuleSpec::trafficPolicy},
        Field{"subsets", &DestinationRuleSpec::subsets},
        Field{"exportTo", &DestinationRuleSpec::exportTo},
        Field{"workloadSelector", &DestinationRuleSpec::workloadSelector},
    };
};

/// Top-level fields of a DestinationRule besides apiVersion, kind and metadata.
template <>
struct Message<DestinationRule> {
    static constexpr std::string_view name = "DestinationRule";
    static constexpr auto fields = std::tuple{Field{"spec", &DestinationRule::spec}};
    static constexpr std::array<std::string_view, 1> ignored{"status"};
};

} // namespace sluice::model::schema
