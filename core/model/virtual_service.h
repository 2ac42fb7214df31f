// SPDX-License-Identifier: Apache-2.0
#pragma once

// networking.istio.io VirtualService (v1alpha3, v1beta1 and v1 share this schema).

#include "duration.h"
#include "object_meta.h"
#include "selectors.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::model {

/// Exactly one of exact, prefix or regex (RE2 syntax, full match).
struct StringMatch {
    Located<std::string> exact;
    Located<std::string> prefix;
    Located<std::string> regex;
    SourceSpan span;
};

struct Percent {
    Located<double> value;
    SourceSpan span;
};

struct Destination {
    Located<std::string> host;
    Located<std::string> subset;
    std::optional<PortSelector> port;
    SourceSpan span;
};

struct HeaderOperations {
    StringMap set;
    StringMap add;
    std::vector<Located<std::string>> remove;
    SourceSpan span;
};

struct Headers {
    std::optional<HeaderOperations> request;
    std::optional<HeaderOperations> response;
    SourceSpan span;
};

struct Delegate {
    Located<std::string> name;
    Located<std::string> namespace_;
    SourceSpan span;
};

struct HTTPMatchRequest {
    Located<std::string> name;
    std::optional<StringMatch> uri;
    std::optional<StringMatch> scheme;
    std::optional<StringMatch> method;
    std::optional<StringMatch> authority;
    MessageMap<StringMatch> headers;
    Located<std::uint32_t> port;
    StringMap sourceLabels;
    std::vector<Located<std::string>> gateways;
    MessageMap<StringMatch> queryParams;
    Located<bool> ignoreUriCase;
    MessageMap<StringMatch> withoutHeaders;
    Located<std::string> sourceNamespace;
    Located<std::string> statPrefix;
    SourceSpan span;
};

struct HTTPRouteDestination {
    std::optional<Destination> destination;
    Located<std::int32_t> weight;
    std::optional<Headers> headers;
    SourceSpan span;
};

struct RouteDestination {
    std::optional<Destination> destination;
    Located<std::int32_t> weight;
    SourceSpan span;
};

struct L4MatchAttributes {
    std::vector<Located<std::string>> destinationSubnets;
    Located<std::uint32_t> port;
    StringMap sourceLabels;
    std::vector<Located<std::string>> gateways;
    Located<std::string> sourceNamespace;
    SourceSpan span;
};

struct TLSMatchAttributes {
    std::vector<Located<std::string>> sniHosts;
    std::vector<Located<std::string>> destinationSubnets;
    Located<std::uint32_t> port;
    StringMap sourceLabels;
    std::vector<Located<std::string>> gateways;
    Located<std::string> sourceNamespace;
    SourceSpan span;
};

enum class RedirectPortSelection : std::uint8_t { FromProtocolDefault, FromRequestPort };

struct HTTPRedirect {
    Located<std::string> uri;
    Located<std::string> authority;
    Located<std::uint32_t> port;
    Located<RedirectPortSelection> derivePort;
    Located<std::string> scheme;
    Located<std::uint32_t> redirectCode;
    SourceSpan span;
};

struct HTTPBody {
    Located<std::string> string_;
    Located<std::string> bytes_; ///< base64, as protobuf JSON writes bytes
    SourceSpan span;
};

struct HTTPDirectResponse {
    Located<std::uint32_t> status;
    std::optional<HTTPBody> body;
    SourceSpan span;
};

struct RegexRewrite {
    Located<std::string> match;
    Located<std::string> rewrite;
    SourceSpan span;
};

struct HTTPRewrite {
    Located<std::string> uri;
    Located<std::string> authority;
    std::optional<RegexRewrite> uriRegexRewrite;
    SourceSpan span;
};

struct HTTPRetry {
    Located<std::int32_t> attempts;
    Located<Duration> perTryTimeout;
    Located<std::string> retryOn;
    Located<bool> retryRemoteLocalities;
    Located<bool> retryIgnorePreviousHosts;
    Located<Duration> backoff;
    SourceSpan span;
};

enum class UnmatchedPreflights : std::uint8_t { Unspecified, Forward, Ignore };

struct CorsPolicy {
    std::vector<StringMatch> allowOrigins;
    std::vector<Located<std::string>> allowOrigin; ///< deprecated: use allowOrigins
    std::vector<Located<std::string>> allowMethods;
    std::vector<Located<std::string>> allowHeaders;
    std::vector<Located<std::string>> exposeHeaders;
    Located<Duration> maxAge;
    Located<bool> allowCredentials;
    Located<UnmatchedPreflights> unmatchedPreflights;
    SourceSpan span;
};

struct FaultDelay {
    Located<Duration> fixedDelay;
    Located<Duration> exponentialDelay;
    std::optional<Percent> percentage;
    Located<std::int32_t> percent; ///< deprecated: use percentage
    SourceSpan span;
};

struct FaultAbort {
    Located<std::int32_t> httpStatus;
    Located<std::string> grpcStatus;
    Located<std::string> http2Error;
    std::optional<Percent> percentage;
    SourceSpan span;
};

struct HTTPFaultInjection {
    std::optional<FaultDelay> delay;
    std::optional<FaultAbort> abort;
    SourceSpan span;
};

struct HTTPMirrorPolicy {
    std::optional<Destination> destination;
    std::optional<Percent> percentage;
    SourceSpan span;
};

struct HTTPRoute {
    Located<std::string> name;
    std::vector<HTTPMatchRequest> match;
    std::vector<HTTPRouteDestination> route;
    std::optional<HTTPRedirect> redirect;
    std::optional<HTTPDirectResponse> directResponse;
    std::optional<Delegate> delegate;
    std::optional<HTTPRewrite> rewrite;
    Located<Duration> timeout;
    std::optional<HTTPRetry> retries;
    std::optional<HTTPFaultInjection> fault;
    std::optional<Destination> mirror;
    std::vector<HTTPMirrorPolicy> mirrors;
    Located<std::uint32_t> mirrorPercent; ///< deprecated: use mirrorPercentage
    std::optional<Percent> mirrorPercentage;
    std::optional<CorsPolicy> corsPolicy;
    std::optional<Headers> headers;
    SourceSpan span;
};

struct TLSRoute {
    std::vector<TLSMatchAttributes> match;
    std::vector<RouteDestination> route;
    SourceSpan span;
};

struct TCPRoute {
    std::vector<L4MatchAttributes> match;
    std::vector<RouteDestination> route;
    SourceSpan span;
};

struct VirtualServiceSpec {
    std::vector<Located<std::string>> hosts;
    std::vector<Located<std::string>> gateways;
    std::vector<HTTPRoute> http;
    std::vector<TLSRoute> tls;
    std::vector<TCPRoute> tcp;
    std::vector<Located<std::string>> exportTo;
    SourceSpan span;
};

struct VirtualService {
    static constexpr std::string_view kKind = "VirtualService";
    ResourceHeader header;
    VirtualServiceSpec spec;
};

} // namespace sluice::model
