// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "virtual_service.h"
#include "selectors_schema.h"

namespace sluice::model::schema {

template <>
struct Message<StringMatch> {
    static constexpr std::string_view name = "StringMatch";
    static constexpr auto fields = std::tuple{
        Field{"exact", &StringMatch::exact},
        Field{"prefix", &StringMatch::prefix},
        Field{"regex", &StringMatch::regex},
    };
};

template <>
struct Message<Percent> {
    static constexpr std::string_view name = "Percent";
    static constexpr auto fields = std::tuple{
        Field{"value", &Percent::value},
    };
};

template <>
struct Message<Destination> {
    static constexpr std::string_view name = "Destination";
    static constexpr auto fields = std::tuple{
        Field{"host", &Destination::host},
        Field{"subset", &Destination::subset},
        Field{"port", &Destination::port},
    };
};

template <>
struct Message<HeaderOperations> {
    static constexpr std::string_view name = "HeaderOperations";
    static constexpr auto fields = std::tuple{
        Field{"set", &HeaderOperations::set},
        Field{"add", &HeaderOperations::add},
        Field{"remove", &HeaderOperations::remove},
    };
};

template <>
struct Message<Headers> {
    static constexpr std::string_view name = "Headers";
    static constexpr auto fields = std::tuple{
        Field{"request", &Headers::request},
        Field{"response", &Headers::response},
    };
};

template <>
struct Message<Delegate> {
    static constexpr std::string_view name = "Delegate";
    static constexpr auto fields = std::tuple{
        Field{"name", &Delegate::name},
        Field{"namespace", &Delegate::namespace_},
    };
};

template <>
struct Message<HTTPMatchRequest> {
    static constexpr std::string_view name = "HTTPMatchRequest";
    static constexpr auto fields = std::tuple{
        Field{"name", &HTTPMatchRequest::name},
        Field{"uri", &HTTPMatchRequest::uri},
        Field{"scheme", &HTTPMatchRequest::scheme},
        Field{"method", &HTTPMatchRequest::method},
        Field{"authority", &HTTPMatchRequest::authority},
        Field{"headers", &HTTPMatchRequest::headers},
        Field{"port", &HTTPMatchRequest::port},
        Field{"sourceLabels", &HTTPMatchRequest::sourceLabels},
        Field{"gateways", &HTTPMatchRequest::gateways},
        Field{"queryParams", &HTTPMatchRequest::queryParams},
        Field{"ignoreUriCase", &HTTPMatchRequest::ignoreUriCase},
        Field{"withoutHeaders", &HTTPMatchRequest::withoutHeaders},
        Field{"sourceNamespace", &HTTPMatchRequest::sourceNamespace},
        Field{"statPrefix", &HTTPMatchRequest::statPrefix},
    };
};

template <>
struct Message<HTTPRouteDestination> {
    static constexpr std::string_view name = "HTTPRouteDestination";
    static constexpr auto fields = std::tuple{
        Field{"destination", &HTTPRouteDestination::destination},
        Field{"weight", &HTTPRouteDestination::weight},
        Field{"headers", &HTTPRouteDestination::headers},
    };
};

template <>
struct Message<RouteDestination> {
    static constexpr std::string_view name = "RouteDestination";
    static constexpr auto fields = std::tuple{
        Field{"destination", &RouteDestination::destination},
        Field{"weight", &RouteDestination::weight},
    };
};

template <>
struct Message<L4MatchAttributes> {
    static constexpr std::string_view name = "L4MatchAttributes";
    static constexpr auto fields = std::tuple{
        Field{"destinationSubnets", &L4MatchAttributes::destinationSubnets},
        Field{"port", &L4MatchAttributes::port},
        Field{"sourceLabels", &L4MatchAttributes::sourceLabels},
        Field{"gateways", &L4MatchAttributes::gateways},
        Field{"sourceNamespace", &L4MatchAttributes::sourceNamespace},
    };
};

template <>
struct Message<TLSMatchAttributes> {
    static constexpr std::string_view name = "TLSMatchAttributes";
    static constexpr auto fields = std::tuple{
        Field{"sniHosts", &TLSMatchAttributes::sniHosts},
        Field{"destinationSubnets", &TLSMatchAttributes::destinationSubnets},
        Field{"port", &TLSMatchAttributes::port},
        Field{"sourceLabels", &TLSMatchAttributes::sourceLabels},
        Field{"gateways", &TLSMatchAttributes::gateways},
        Field{"sourceNamespace", &TLSMatchAttributes::sourceNamespace},
    };
};

template <>
struct Enum<RedirectPortSelection> {
    static constexpr std::array values{
        EnumValue<RedirectPortSelection>{"FROM_PROTOCOL_DEFAULT", RedirectPortSelection::FromProtocolDefault, 0},
        EnumValue<RedirectPortSelection>{"FROM_REQUEST_PORT", RedirectPortSelection::FromRequestPort, 1},
    };
};

template <>
struct Message<HTTPRedirect> {
    static constexpr std::string_view name = "HTTPRedirect";
    static constexpr auto fields = std::tuple{
        Field{"uri", &HTTPRedirect::uri},
        Field{"authority", &HTTPRedirect::authority},
        Field{"port", &HTTPRedirect::port},
        Field{"derivePort", &HTTPRedirect::derivePort},
        Field{"scheme", &HTTPRedirect::scheme},
        Field{"redirectCode", &HTTPRedirect::redirectCode},
    };
};

template <>
struct Message<HTTPBody> {
    static constexpr std::string_view name = "HTTPBody";
    static constexpr auto fields = std::tuple{
        Field{"string", &HTTPBody::string_},
        Field{"bytes", &HTTPBody::bytes_},
    };
};

template <>
struct Message<HTTPDirectResponse> {
    static constexpr std::string_view name = "HTTPDirectResponse";
    static constexpr auto fields = std::tuple{
        Field{"status", &HTTPDirectResponse::status},
        Field{"body", &HTTPDirectResponse::body},
    };
};

template <>
struct Message<RegexRewrite> {
    static constexpr std::string_view name = "RegexRewrite";
    static constexpr auto fields = std::tuple{
        Field{"match", &RegexRewrite::match},
        Field{"rewrite", &RegexRewrite::rewrite},
    };
};

template <>
struct Message<HTTPRewrite> {
    static constexpr std::string_view name = "HTTPRewrite";
    static constexpr auto fields = std::tuple{
        Field{"uri", &HTTPRewrite::uri},
        Field{"authority", &HTTPRewrite::authority},
        Field{"uriRegexRewrite", &HTTPRewrite::uriRegexRewrite},
    };
};

template <>
struct Message<HTTPRetry> {
    static constexpr std::string_view name = "HTTPRetry";
    static constexpr auto fields = std::tuple{
        Field{"attempts", &HTTPRetry::attempts},
        Field{"perTryTimeout", &HTTPRetry::perTryTimeout},
        Field{"retryOn", &HTTPRetry::retryOn},
        Field{"retryRemoteLocalities", &HTTPRetry::retryRemoteLocalities},
        Field{"retryIgnorePreviousHosts", &HTTPRetry::retryIgnorePreviousHosts},
        Field{"backoff", &HTTPRetry::backoff},
    };
};

template <>
struct Enum<UnmatchedPreflights> {
    static constexpr std::array values{
        EnumValue<UnmatchedPreflights>{"UNSPECIFIED", UnmatchedPreflights::Unspecified, 0},
        EnumValue<UnmatchedPreflights>{"FORWARD", UnmatchedPreflights::Forward, 1},
        EnumValue<UnmatchedPreflights>{"IGNORE", UnmatchedPreflights::Ignore, 2},
    };
};

template <>
struct Message<CorsPolicy> {
    static constexpr std::string_view name = "CorsPolicy";
    static constexpr auto fields = std::tuple{
        Field{"allowOrigins", &CorsPolicy::allowOrigins},
        Field{"allowOrigin", &CorsPolicy::allowOrigin, "use allowOrigins"},
        Field{"allowMethods", &CorsPolicy::allowMethods},
        Field{"allowHeaders", &CorsPolicy::allowHeaders},
        Field{"exposeHeaders", &CorsPolicy::exposeHeaders},
        Field{"maxAge", &CorsPolicy::maxAge},
        Field{"allowCredentials", &CorsPolicy::allowCredentials},
        Field{"unmatchedPreflights", &CorsPolicy::unmatchedPreflights},
    };
};

template <>
struct Message<FaultDelay> {
    static constexpr std::string_view name = "HTTPFaultInjection.Delay";
    static constexpr auto fields = std::tuple{
        Field{"fixedDelay", &FaultDelay::fixedDelay},
        Field{"exponentialDelay", &FaultDelay::exponentialDelay},
        Field{"percentage", &FaultDelay::percentage},
        Field{"percent", &FaultDelay::percent, "use percentage"},
    };
};

template <>
struct Message<FaultAbort> {
    static constexpr std::string_view name = "HTTPFaultInjection.Abort";
    static constexpr auto fields = std::tuple{
        Field{"httpStatus", &FaultAbort::httpStatus},
        Field{"grpcStatus", &FaultAbort::grpcStatus},
        Field{"http2Error", &FaultAbort::http2Error},
        Field{"percentage", &FaultAbort::percentage},
    };
};

template <>
struct Message<HTTPFaultInjection> {
    static constexpr std::string_view name = "HTTPFaultInjection";
    static constexpr auto fields = std::tuple{
        Field{"delay", &HTTPFaultInjection::delay},
        Field{"abort", &HTTPFaultInjection::abort},
    };
};

template <>
struct Message<HTTPMirrorPolicy> {
    static constexpr std::string_view name = "HTTPMirrorPolicy";
    static constexpr auto fields = std::tuple{
        Field{"destination", &HTTPMirrorPolicy::destination},
        Field{"percentage", &HTTPMirrorPolicy::percentage},
    };
};

template <>
struct Message<HTTPRoute> {
    static constexpr std::string_view name = "HTTPRoute";
    static constexpr auto fields = std::tuple{
        Field{"name", &HTTPRoute::name},
        Field{"match", &HTTPRoute::match},
        Field{"route", &HTTPRoute::route},
        Field{"redirect", &HTTPRoute::redirect},
        Field{"directResponse", &HTTPRoute::directResponse},
        Field{"delegate", &HTTPRoute::delegate},
        Field{"rewrite", &HTTPRoute::rewrite},
        Field{"timeout", &HTTPRoute::timeout},
        Field{"retries", &HTTPRoute::retries},
        Field{"fault", &HTTPRoute::fault},
        Field{"mirror", &HTTPRoute::mirror},
        Field{"mirrors", &HTTPRoute::mirrors},
        Field{"mirrorPercent", &HTTPRoute::mirrorPercent, "use mirrorPercentage"},
        Field{"mirrorPercentage", &HTTPRoute::mirrorPercentage},
        Field{"corsPolicy", &HTTPRoute::corsPolicy},
        Field{"headers", &HTTPRoute::headers},
    };
};

template <>
struct Message<TLSRoute> {
    static constexpr std::string_view name = "TLSRoute";
    static constexpr auto fields = std::tuple{
        Field{"match", &TLSRoute::match},
        Field{"route", &TLSRoute::route},
    };
};

template <>
struct Message<TCPRoute> {
    static constexpr std::string_view name = "TCPRoute";
    static constexpr auto fields = std::tuple{
        Field{"match", &TCPRoute::match},
        Field{"route", &TCPRoute::route},
    };
};

template <>
struct Message<VirtualServiceSpec> {
    static constexpr std::string_view name = "VirtualService";
    static constexpr auto fields = std::tuple{
        Field{"hosts", &VirtualServiceSpec::hosts},
        Field{"gateways", &VirtualServiceSpec::gateways},
        Field{"http", &VirtualServiceSpec::http},
        Field{"tls", &VirtualServiceSpec::tls},
        Field{"tcp", &VirtualServiceSpec::tcp},
        Field{"exportTo", &VirtualServiceSpec::exportTo},
    };
};

/// Top-level fields of a VirtualService besides apiVersion, kind and metadata.
template <>
struct Message<VirtualService> {
    static constexpr std::string_view name = "VirtualService";
    static constexpr auto fields = std::tuple{Field{"spec", &VirtualService::spec}};
    static constexpr std::array<std::string_view, 1> ignored{"status"};
};

} // namespace sluice::model::schema
