// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/duration.h"
#include "model/source_span.h"
#include "response_flags.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::routing {

struct CorsPolicy;

/// What the gateway does with a request.
enum class Outcome : std::uint8_t {
    Forward,           ///< sent to an upstream cluster with healthy endpoints (200 from the workload)
    Redirect,          ///< 3xx with a Location (HTTPRedirect or httpsRedirect)
    DirectResponse,    ///< the gateway answers itself (directResponse)
    FaultAbort,        ///< fault injection abort (flag FI)
    NoRoute,           ///< 404 NR: no virtual host or no route matched
    ClusterNotFound,   ///< 503 NC: the route's cluster does not exist (unknown host, subset, port)
    NoHealthyUpstream, ///< 503 UH: the cluster has no endpoints
    ConnectionRefused, ///< no listener on the port
    ConnectionReset,   ///< TLS/SNI matched no filter chain, or plaintext to a TLS port
};

[[nodiscard]] std::string_view outcomeName(Outcome outcome);

struct HeaderOperations {
    std::vector<std::pair<std::string, std::string>> set;
    std::vector<std::pair<std::string, std::string>> add;
    std::vector<std::string> remove;
    [[nodiscard]] bool empty() const { return set.empty() && add.empty() && remove.empty(); }
};

struct UpstreamDestination {
    std::string host; ///< FQDN after short-name expansion
    std::uint32_t port = 0;
    std::string subset;
    std::string cluster; ///< outbound|port|subset|host
};

/// Istio's retryOn when a route has no retries block.
inline constexpr std::string_view kDefaultRetryOn =
    "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

struct RetryPolicy {
    std::int32_t attempts = 2; ///< Istio's default when no retries block is given
    std::optional<model::Duration> perTryTimeout;
    std::string retryOn{kDefaultRetryOn};
    std::vector<std::uint32_t> retriableStatusCodes;
    bool isDefault = true;
};

struct FaultPolicy {
    std::optional<model::Duration> delay;
    double delayPercent = 0;
    std::optional<std::int32_t> abortStatus;
    std::string abortGrpcStatus;
    double abortPercent = 0;
    [[nodiscard]] bool empty() const { return !delay && !abortStatus && abortGrpcStatus.empty(); }
};

struct MirrorPolicy {
    UpstreamDestination destination;
    double percent = 100;
    bool clusterExists = true;
    /// Host/Authority of the shadow request: the primary's, unchanged (Istio 1.28 defaults
    /// DISABLE_SHADOW_HOST_SUFFIX to true; older releases appended "-shadow").
    std::string authority;
};

/// One step of the explanation: what was looked at and what it decided.
struct TraceStep {
    enum class Kind : std::uint8_t { Info, Matched, Skipped, Failed };
    Kind kind = Kind::Info;
    std::string text;
    model::SourceSpan span; ///< the YAML that caused this step, when there is one
};

/// Where the winning route came from.
struct RouteOrigin {
    std::string gateway; ///< "ns/name" of the Gateway whose server took the request ("mesh" for sidecars)
    std::string virtualService; ///< "ns/name"
    int ruleIndex = -1;         ///< index in spec.http / tcp / tls
    int matchIndex = -1;        ///< index in the rule's match list (-1: no match block)
    std::string ruleName;
    std::string routeConfig; ///< Envoy route config name ("http.8080", "https.443.https.gw.ns")
    std::string virtualHost; ///< the vhost domain that matched
    model::SourceSpan span;  ///< the rule (or the match) in YAML

    /// Takes the rule's identity from a compiled route's origin; routeConfig and virtualHost stay
    /// as the virtual host lookup set them (a compiled route has neither). Into strings that
    /// keep their buffers: no allocation per request.
    void assignRule(const RouteOrigin& rule) {
        gateway = rule.gateway;
        virtualService = rule.virtualService;
        ruleIndex = rule.ruleIndex;
        matchIndex = rule.matchIndex;
        ruleName = rule.ruleName;
        span = rule.span;
    }
};

struct Decision {
    Outcome outcome = Outcome::NoRoute;
    int status = 404;         ///< HTTP status the client sees; 0 for connection-level outcomes
    std::string responseFlag; ///< Envoy response flag: NR, NC, UH, FI, ... ; empty when none
    std::optional<UpstreamDestination> destination;
    RouteOrigin origin;

    std::string upstreamPath;      ///< path (with query) sent upstream after rewrites
    std::string upstreamAuthority; ///< Host sent upstream after rewrites
    HeaderOperations requestHeaders;
    HeaderOperations responseHeaders;
    std::string location; ///< Redirect: the Location header
    std::string body;     ///< DirectResponse body

    std::optional<model::Duration> timeout; ///< unset: no route timeout (Istio disables Envoy's 15s)
    RetryPolicy retries;
    FaultPolicy fault;
    std::vector<MirrorPolicy> mirrors;
    /// The matched rule's CORS policy, for the proxy's CORS filter; null when the rule has none.
    std::shared_ptr<const CorsPolicy> cors;
    std::string loadBalancer; ///< effective DestinationRule policy summary
    std::vector<TraceStep> trace;
    /// False when routed with Explain::No: no trace is recorded, and the engine skips building
    /// the texts (callers test it before composing a note).
    bool traced = true;
    /// Not part of the decision: the strings of the destination reset() disengaged, for
    /// setDestination() to reuse (a cluster name outgrows std::string's inline buffer).
    UpstreamDestination spareDestination;

    /// How long the fault filter holds this request before anything else happens to it (an abort
    /// drawn for it is answered after the delay); zero when no delay was injected. Envoy's fault
    /// filter works in whole milliseconds.
    [[nodiscard]] std::chrono::milliseconds injectedDelay() const {
        if (!fault.delay || fault.delay->nanos <= 0 || !ResponseFlags::has(responseFlag, "DI"))
            return std::chrono::milliseconds{0};
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::nanoseconds(fault.delay->nanos));
    }

    /// Back to a default-constructed Decision, keeping the strings' and vectors' storage, so a
    /// proxy session that routes every request into the same Decision does not allocate.
    void reset();

    /// Sets `destination` to `d`, in the storage the destination reset() took away had.
    void setDestination(const UpstreamDestination& d);

    void note(TraceStep::Kind kind, std::string text, model::SourceSpan span = {}) {
        if (traced)
            trace.push_back({kind, std::move(text), span});
    }
};

} // namespace sluice::routing
