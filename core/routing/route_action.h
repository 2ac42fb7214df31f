// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cors_policy.h"
#include "decision.h"
#include "request_matcher.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace sluice::routing {

/// A destination of a route with what the table knows about its cluster.
struct WeightedDestination {
    UpstreamDestination destination;
    std::uint32_t weight = 0;
    HeaderOperations requestHeaders; ///< destination-level, applied after the route-level ones
    HeaderOperations responseHeaders;
    std::string authority; ///< destination-level authority rewrite (route-level wins)
    bool clusterExists = false;
    std::size_t endpoints = 0;
    std::string policy; ///< DestinationRule policy summary for the trace
    model::SourceSpan span;
};

struct RedirectSpec {
    std::optional<std::string> uri;
    std::optional<std::string> prefixRewrite;
    std::string authority;
    std::uint32_t port = 0;
    bool portFromRequest = false;
    std::string scheme;
    int code = 301;
};

struct RewriteSpec {
    std::optional<std::string> uri;
    std::shared_ptr<const re2::RE2> regex;
    std::string regexSubstitution;
    std::string authority;
    [[nodiscard]] bool rewritesPath() const { return uri.has_value() || regex != nullptr; }
};

/// What a route does once it matched; shared by the Envoy routes one Istio rule expands into.
struct RouteAction {
    enum class Kind : std::uint8_t { Route, Redirect, DirectResponse };
    Kind kind = Kind::Route;
    std::vector<WeightedDestination> destinations; ///< zero weights already dropped (unless single)
    std::uint64_t totalWeight = 0;
    RedirectSpec redirect;
    int directStatus = 200;
    std::string directBody;
    RewriteSpec rewrite;
    std::optional<model::Duration> timeout;
    RetryPolicy retries;
    FaultPolicy fault;
    std::vector<MirrorPolicy> mirrors;
    HeaderOperations requestHeaders;
    HeaderOperations responseHeaders;
    std::string cors; ///< summary for the trace; preflight handling is the proxy's
    std::shared_ptr<const CorsPolicy> corsPolicy;
};

/// One Envoy route: a match plus the action of the Istio rule it came from.
struct CompiledRoute {
    RequestMatcher match;
    std::shared_ptr<const RouteAction> action;
    RouteOrigin origin;
    /// Mesh only: evaluated against the calling workload, not the request.
    std::map<std::string, std::string> sourceLabels;
    std::string sourceNamespace;
};

} // namespace sluice::routing
