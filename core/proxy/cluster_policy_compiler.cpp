// SPDX-License-Identifier: Apache-2.0
#include "cluster_policy_compiler.h"

#include <algorithm>
#include <cctype>

namespace sluice::proxy {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

milliseconds millis(const model::Located<model::Duration>& d) {
    return duration_cast<milliseconds>(d.value.value());
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

void applyLoadBalancer(const model::LoadBalancerSettings* lb, ClusterPolicy& out) {
    if (!lb)
        return; // applySimpleDefaultLoadBalancer: LEAST_REQUEST
    switch (lb->simple.value) {
    case model::SimpleLb::RoundRobin:
        out.lb = LbPolicy::RoundRobin;
        break;
    case model::SimpleLb::Random:
    case model::SimpleLb::Passthrough: // ORIGINAL_DST has no meaning for local endpoints: random
        out.lb = LbPolicy::Random;
        break;
    case model::SimpleLb::LeastConn:
    case model::SimpleLb::LeastRequest:
    case model::SimpleLb::Unspecified:
        out.lb = LbPolicy::LeastRequest;
        break;
    }
    if (!lb->consistentHash)
        return;
    const model::ConsistentHashLb& h = *lb->consistentHash;
    if (h.maglev) {
        out.lb = LbPolicy::Maglev;
        if (h.maglev->tableSize.value != 0)
            out.maglevTableSize = h.maglev->tableSize.value;
    } else {
        out.lb = LbPolicy::RingHash;
        if (h.ringHash && h.ringHash->minimumRingSize.value != 0)
            out.minimumRingSize = h.ringHash->minimumRingSize.value;
        else if (!h.ringHash && h.minimumRingSize.value != 0)
            out.minimumRingSize = h.minimumRingSize.value; // the deprecated field
    }
    HashPolicy& hash = out.hash;
    if (h.httpHeaderName.present) {
        hash.source = HashPolicy::Source::Header;
        hash.name = lower(h.httpHeaderName.value);
    } else if (h.httpCookie) {
        hash.source = HashPolicy::Source::Cookie;
        hash.name = h.httpCookie->name.value;
        hash.cookiePath = h.httpCookie->path.value;
        if (h.httpCookie->ttl.present)
            hash.cookieTtl = duration_cast<std::chrono::seconds>(h.httpCookie->ttl.value.value());
    } else if (h.useSourceIp.present && h.useSourceIp.value) {
        hash.source = HashPolicy::Source::SourceIp;
    } else if (h.httpQueryParameterName.present) {
        hash.source = HashPolicy::Source::QueryParameter;
        hash.name = h.httpQueryParameterName.value;
    }
}

void applyConnectionPool(const model::ConnectionPoolSettings* pool, ConnectionLimits& out) {
    if (!pool)
        return;
    std::optional<milliseconds> idle;
    if (const auto& http = pool->http) {
        if (http->http2MaxRequests.value > 0)
            out.maxRequests = static_cast<std::uint32_t>(http->http2MaxRequests.value);
        if (http->http1MaxPendingRequests.value > 0)
            out.maxPendingRequests = static_cast<std::uint32_t>(http->http1MaxPendingRequests.value);
        if (http->maxRetries.value > 0)
            out.maxRetries = static_cast<std::uint32_t>(http->maxRetries.value);
        if (http->maxRequestsPerConnection.value > 0)
            out.maxRequestsPerConnection = static_cast<std::uint32_t>(http->maxRequestsPerConnection.value);
        if (http->idleTimeout.present)
            idle = millis(http->idleTimeout);
    }
    if (const auto& tcp = pool->tcp) {
        if (tcp->connectTimeout.present)
            out.connectTimeout = millis(tcp->connectTimeout);
        if (tcp->maxConnections.value > 0)
            out.maxConnections = static_cast<std::uint32_t>(tcp->maxConnections.value);
        if (!idle && tcp->idleTimeout.present)
            idle = millis(tcp->idleTimeout);
    }
    // Envoy: an idle timeout of 0 disables it (a century here: no overflow in time arithmetic).
    if (idle)
        out.idleTimeout =
            idle->count() > 0 ? *idle : duration_cast<milliseconds>(std::chrono::hours(24 * 365 * 100));
}

void applyOutlierDetection(const model::OutlierDetection* o, OutlierPolicy& out) {
    if (!o)
        return;
    out.enabled = true;
    if (o->consecutive5xxErrors.present) {
        out.consecutive5xx = o->consecutive5xxErrors.value;
        out.enforce5xx = o->consecutive5xxErrors.value > 0;
    }
    if (o->consecutiveGatewayErrors.present) {
        out.consecutiveGatewayErrors = o->consecutiveGatewayErrors.value;
        out.enforceGatewayErrors = o->consecutiveGatewayErrors.value > 0;
    }
    if (o->interval.present)
        out.interval = millis(o->interval);
    if (o->baseEjectionTime.present)
        out.baseEjectionTime = millis(o->baseEjectionTime);
    out.maxEjectionTime = std::max(milliseconds(300'000), out.baseEjectionTime);
    if (o->maxEjectionPercent.value > 0)
        out.maxEjectionPercent = static_cast<std::uint32_t>(o->maxEjectionPercent.value);
    out.minHealthPercent = static_cast<std::uint32_t>(std::max(0, o->minHealthPercent.value));
}

} // namespace

ClusterPolicy ClusterPolicyCompiler::fromBlocks(const routing::DestinationResolver::PolicyBlocks& blocks) {
    ClusterPolicy p;
    applyLoadBalancer(blocks.lb, p);
    applyConnectionPool(blocks.pool, p.pool);
    applyOutlierDetection(blocks.outlier, p.outlier);
    return p;
}

ClusterPolicies ClusterPolicyCompiler::compile(const model::ResourceSet& resources,
                                               const model::GatewayWorkload& gateway) {
    ClusterPolicies out;
    const routing::DestinationResolver resolver(resources, gateway.ns);
    const auto add = [&](const std::string& fqdn, std::uint32_t port) {
        const std::string number = std::to_string(port);
        out["outbound|" + number + "||" + fqdn] = fromBlocks(resolver.effectivePolicy(fqdn, port, {}));
        for (const auto& subset : resolver.subsetNames(fqdn))
            out["outbound|" + number + "|" + subset + "|" + fqdn] =
                fromBlocks(resolver.effectivePolicy(fqdn, port, subset));
    };
    for (const auto& info : resolver.meshPorts())
        add(info.host, info.port);
    return out;
}

} // namespace sluice::proxy
