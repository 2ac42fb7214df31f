// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace sluice::metrics {

/// What one finished request was, as views the caller owns for the duration of the call: the
/// route that took it, the destination it went to, the replica that answered and the outcome.
/// Empty strings mean "none" (no route matched, no upstream reached...).
///
/// The source is the workload that sent the request: empty for the gateway's own requests
/// (ingress), the calling workload for a call between workloads through its sidecar (mesh).
struct RequestSample {
    // Source: who sent it (empty: the gateway).
    std::string_view sourceWorkload; ///< "productpage-v1" (Istio's source_workload)
    std::string_view sourceNamespace;
    std::string_view sourceApp;     ///< the caller's `app` label
    std::string_view sourceVersion; ///< the caller's `version` label
    // Route: the VirtualService rule that matched.
    std::string_view virtualService; ///< "ns/name"
    int ruleIndex = -1;
    std::string_view ruleName;
    // Destination: the Envoy cluster and what it is made of.
    std::string_view service; ///< FQDN "reviews.default.svc.cluster.local"
    std::uint32_t port = 0;
    std::string_view subset;
    std::string_view cluster; ///< "outbound|9080|v2|reviews.default.svc.cluster.local"
    // Endpoint: the replica that answered, and the workload it belongs to.
    std::string_view replica;  ///< "reviews-v2-1"
    std::string_view workload; ///< "reviews-v2" (Istio's destination_workload)
    std::string_view workloadNamespace;
    std::string_view app;     ///< the workload's `app` label
    std::string_view version; ///< the workload's `version` label
    // Outcome.
    int responseCode = 0;
    std::string_view responseFlags; ///< "UF,URX"; empty: none
    std::uint64_t durationMicros = 0;
    std::int64_t upstreamMicros = -1; ///< time to the upstream's response head; -1: no upstream answered
    std::uint64_t bytesReceived = 0;
    std::uint64_t bytesSent = 0;
};

/// The fields that tell two series apart. The others (service, port, subset; workload and its
/// labels) follow from the cluster and the replica within one config.
struct SeriesIdentity {
    std::string_view sourceWorkload;
    std::string_view sourceNamespace;
    std::string_view virtualService;
    int ruleIndex = -1;
    std::string_view ruleName;
    std::string_view cluster;
    std::string_view replica;
    int responseCode = 0;
    std::string_view responseFlags;

    bool operator==(const SeriesIdentity&) const = default;
};

/// One series: every label a request is counted under (owned copy of a RequestSample's labels).
struct SeriesKey {
    std::string sourceWorkload; ///< empty: the gateway (an ingress request)
    std::string sourceNamespace;
    std::string sourceApp;
    std::string sourceVersion;
    std::string virtualService;
    int ruleIndex = -1;
    std::string ruleName;
    std::string service;
    std::uint32_t port = 0;
    std::string subset;
    std::string cluster;
    std::string replica;
    std::string workload;
    std::string workloadNamespace;
    std::string app;
    std::string version;
    int responseCode = 0;
    std::string responseFlags;

    [[nodiscard]] static SeriesKey of(const RequestSample& s) {
        return {std::string(s.sourceWorkload),
                std::string(s.sourceNamespace),
                std::string(s.sourceApp),
                std::string(s.sourceVersion),
                std::string(s.virtualService),
                s.ruleIndex,
                std::string(s.ruleName),
                std::string(s.service),
                s.port,
                std::string(s.subset),
                std::string(s.cluster),
                std::string(s.replica),
                std::string(s.workload),
                std::string(s.workloadNamespace),
                std::string(s.app),
                std::string(s.version),
                s.responseCode,
                std::string(s.responseFlags)};
    }
    [[nodiscard]] SeriesIdentity identity() const {
        return {sourceWorkload, sourceNamespace, virtualService, ruleIndex,    ruleName,
                cluster,        replica,         responseCode,   responseFlags};
    }
    /// A request the gateway took (no calling workload), as opposed to a call between workloads.
    [[nodiscard]] bool ingress() const { return sourceWorkload.empty(); }
};

[[nodiscard]] inline SeriesIdentity identityOf(const RequestSample& s) {
    return {s.sourceWorkload, s.sourceNamespace, s.virtualService, s.ruleIndex,    s.ruleName,
            s.cluster,        s.replica,         s.responseCode,   s.responseFlags};
}

/// An upstream endpoint of a cluster (one replica's address), for per-endpoint request counts.
struct EndpointIdentity {
    std::string_view cluster;
    std::string_view replica;
    std::string_view address; ///< "127.0.0.1"
    std::uint16_t port = 0;

    bool operator==(const EndpointIdentity&) const = default;
};

struct EndpointKey {
    std::string cluster;
    std::string replica;
    std::string address;
    std::uint16_t port = 0;

    [[nodiscard]] EndpointIdentity identity() const { return {cluster, replica, address, port}; }
};

/// Transparent hash and equality so maps keyed by owned keys are searched with views (no
/// allocation on the request path).
struct IdentityHash {
    using is_transparent = void;
    static std::size_t mix(std::size_t seed, std::size_t value) {
        return seed ^ (value + 0x9E3779B97F4A7C15ull + (seed << 6) + (seed >> 2));
    }
    std::size_t operator()(const SeriesIdentity& i) const {
        const std::hash<std::string_view> h;
        std::size_t seed = h(i.virtualService);
        if (!i.sourceWorkload.empty()) // ingress series (no source) hash as before
            seed = mix(mix(seed, h(i.sourceWorkload)), h(i.sourceNamespace));
        seed = mix(seed, static_cast<std::size_t>(i.ruleIndex));
        seed = mix(seed, h(i.ruleName));
        seed = mix(seed, h(i.cluster));
        seed = mix(seed, h(i.replica));
        seed = mix(seed, static_cast<std::size_t>(i.responseCode));
        return mix(seed, h(i.responseFlags));
    }
    std::size_t operator()(const SeriesKey& k) const { return (*this)(k.identity()); }
    std::size_t operator()(const EndpointIdentity& i) const {
        const std::hash<std::string_view> h;
        return mix(mix(mix(h(i.cluster), h(i.replica)), h(i.address)), i.port);
    }
    std::size_t operator()(const EndpointKey& k) const { return (*this)(k.identity()); }
};

struct IdentityEqual {
    using is_transparent = void;
    template <class A, class B> bool operator()(const A& a, const B& b) const { return view(a) == view(b); }

private:
    static SeriesIdentity view(const SeriesKey& k) { return k.identity(); }
    static const SeriesIdentity& view(const SeriesIdentity& i) { return i; }
    static EndpointIdentity view(const EndpointKey& k) { return k.identity(); }
    static const EndpointIdentity& view(const EndpointIdentity& i) { return i; }
};

} // namespace sluice::metrics
