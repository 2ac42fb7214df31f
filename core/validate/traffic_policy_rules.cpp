// SPDX-License-Identifier: Apache-2.0
#include "traffic_policy_rules.h"

#include "client_tls_rules.h"
#include "field_checks.h"
#include "load_balancer_rules.h"
#include "names.h"

#include <string>

namespace sluice::validate {
namespace {

void checkDurationField(ResourceReporter& r, const model::Located<model::Duration>& d,
                        const std::string& field) {
    if (!d.present)
        return;
    if (auto e = checkDuration(d.value); !e.empty())
        r.error(field, d.span, std::move(e));
}

void checkNonNegative(ResourceReporter& r, const model::Located<std::int32_t>& v, const std::string& field,
                      std::string_view what) {
    if (v.value < 0)
        r.error(field, v.span, std::string(what) + " must be non-negative");
}

void checkPercent(ResourceReporter& r, const model::Located<std::int32_t>& v, const std::string& field) {
    if (v.value < 0 || v.value > 100)
        r.error(field, v.span, "percentage " + std::to_string(v.value) + " is not in range 0..100");
}

void checkHttpSettings(ResourceReporter& r, const model::HttpSettings& http, const std::string& field) {
    checkNonNegative(r, http.http1MaxPendingRequests, field + ".http1MaxPendingRequests",
                     "http1 max pending requests");
    checkNonNegative(r, http.http2MaxRequests, field + ".http2MaxRequests", "http2 max requests");
    checkNonNegative(r, http.maxRequestsPerConnection, field + ".maxRequestsPerConnection",
                     "max requests per connection");
    checkNonNegative(r, http.maxRetries, field + ".maxRetries", "max retries");
    checkDurationField(r, http.idleTimeout, field + ".idleTimeout");
    if (http.h2UpgradePolicy.value == model::H2UpgradePolicy::Upgrade && http.useClientProtocol.value)
        r.error(field + ".useClientProtocol", http.useClientProtocol.span,
                "use client protocol must not be true when H2UpgradePolicy is UPGRADE");
    checkNonNegative(r, http.maxConcurrentStreams, field + ".maxConcurrentStreams", "max concurrent streams");
    if (const auto& ka = http.http2KeepAlive) {
        const std::string at = field + ".http2KeepAlive";
        if (!ka->interval.present)
            r.error(at + ".interval", ka->span, "http2KeepAlive interval is required");
        if (!ka->timeout.present)
            r.error(at + ".timeout", ka->span, "http2KeepAlive timeout is required");
        checkDurationField(r, ka->interval, at + ".interval");
        checkDurationField(r, ka->timeout, at + ".timeout");
    }
}

void checkTcpSettings(ResourceReporter& r, const model::TcpSettings& tcp, const std::string& field) {
    checkNonNegative(r, tcp.maxConnections, field + ".maxConnections", "max connections");
    checkDurationField(r, tcp.connectTimeout, field + ".connectTimeout");
    checkDurationField(r, tcp.maxConnectionDuration, field + ".maxConnectionDuration");
    // 0s disables the idle timeout entirely and is allowed.
    if (tcp.idleTimeout.present && tcp.idleTimeout.value.nanos / 1'000'000 != 0)
        checkDurationField(r, tcp.idleTimeout, field + ".idleTimeout");
    if (tcp.tcpKeepalive) {
        checkDurationField(r, tcp.tcpKeepalive->time, field + ".tcpKeepalive.time");
        checkDurationField(r, tcp.tcpKeepalive->interval, field + ".tcpKeepalive.interval");
    }
}

void checkTunnel(ResourceReporter& r, const model::TunnelSettings& tunnel, const std::string& field) {
    const std::string& protocol = tunnel.protocol.value;
    if (!protocol.empty() && protocol != "CONNECT" && protocol != "POST")
        r.error(field + ".protocol", tunnel.protocol.span, "tunnel protocol must be \"CONNECT\" or \"POST\"");
    const std::string& host = tunnel.targetHost.value;
    if (auto fqdnErr = checkFqdn(host); !fqdnErr.empty() && !isIpAddress(host))
        r.error(field + ".targetHost", tunnel.targetHost.span,
                "tunnel target host must be valid FQDN or IP address: " + fqdnErr + "; " + host +
                    " is not a valid IP");
    if (auto e = checkPort(tunnel.targetPort.value); !e.empty())
        r.error(field + ".targetPort", tunnel.targetPort.span, "tunnel target port is invalid: " + e);
}

void checkPortTrafficPolicy(ResourceReporter& r, std::string_view ns, const model::PortTrafficPolicy& p,
                            const std::string& field) {
    if (!p.port)
        r.error(field + ".port", p.span, "portTrafficPolicy must have valid port");
    if (!p.outlierDetection && !p.connectionPool && !p.loadBalancer && !p.tls) {
        r.error(field, p.span, "port traffic policy must have at least one field");
        return;
    }
    if (p.outlierDetection)
        checkOutlierDetection(r, *p.outlierDetection, field + ".outlierDetection");
    if (p.connectionPool)
        checkConnectionPool(r, *p.connectionPool, field + ".connectionPool");
    if (p.loadBalancer)
        checkLoadBalancer(r, *p.loadBalancer, p.outlierDetection ? &*p.outlierDetection : nullptr,
                          field + ".loadBalancer");
    if (p.tls)
        checkClientTls(r, ns, *p.tls, field + ".tls");
}

} // namespace

void checkOutlierDetection(ResourceReporter& r, const model::OutlierDetection& outlier,
                           const std::string& field) {
    checkDurationField(r, outlier.baseEjectionTime, field + ".baseEjectionTime");
    // consecutiveErrors' deprecation is reported once, by the loader (IST0002).
    if (!outlier.splitExternalLocalOriginErrors.value && outlier.consecutiveLocalOriginFailures.value > 0)
        r.error(field + ".consecutiveLocalOriginFailures", outlier.consecutiveLocalOriginFailures.span,
                "outlier detection consecutive local origin failures is specified, but split external local "
                "origin "
                "errors is set to false");
    checkDurationField(r, outlier.interval, field + ".interval");
    checkPercent(r, outlier.maxEjectionPercent, field + ".maxEjectionPercent");
    checkPercent(r, outlier.minHealthPercent, field + ".minHealthPercent");
}

void checkConnectionPool(ResourceReporter& r, const model::ConnectionPoolSettings& pool,
                         const std::string& field) {
    if (!pool.http && !pool.tcp) {
        r.error(field, pool.span, "connection pool must have at least one field");
        return;
    }
    if (pool.http)
        checkHttpSettings(r, *pool.http, field + ".http");
    if (pool.tcp)
        checkTcpSettings(r, *pool.tcp, field + ".tcp");
}

void checkTrafficPolicy(ResourceReporter& r, std::string_view ns, const model::TrafficPolicy& policy,
                        const std::string& field) {
    // retryBudget counts as a field: a policy holding only a retry budget is meaningful.
    if (!policy.outlierDetection && !policy.connectionPool && !policy.loadBalancer && !policy.tls &&
        policy.portLevelSettings.empty() && !policy.tunnel && !policy.proxyProtocol && !policy.retryBudget) {
        r.error(field, policy.span, "traffic policy must have at least one field");
        return;
    }
    if (policy.tunnel && policy.proxyProtocol) {
        r.error(field, policy.span, "tunnel and proxyProtocol must not be set together");
        return;
    }
    if (policy.outlierDetection)
        checkOutlierDetection(r, *policy.outlierDetection, field + ".outlierDetection");
    if (policy.connectionPool)
        checkConnectionPool(r, *policy.connectionPool, field + ".connectionPool");
    if (policy.loadBalancer)
        checkLoadBalancer(r, *policy.loadBalancer,
                          policy.outlierDetection ? &*policy.outlierDetection : nullptr,
                          field + ".loadBalancer");
    if (policy.tls)
        checkClientTls(r, ns, *policy.tls, field + ".tls");
    for (std::size_t i = 0; i < policy.portLevelSettings.size(); ++i)
        checkPortTrafficPolicy(r, ns, policy.portLevelSettings[i],
                               field + ".portLevelSettings[" + std::to_string(i) + "]");
    if (policy.tunnel)
        checkTunnel(r, *policy.tunnel, field + ".tunnel");
}

} // namespace sluice::validate
