// SPDX-License-Identifier: Apache-2.0
// Match requests, CORS, fault injection and retries of an HTTP rule (validateHTTPRouteMatchRequest
// in pkg/config/validation/virtualservice.go; validateCORSPolicy, validateHTTPFaultInjection*,
// validateHTTPRetry in pkg/config/validation/validation.go).

#include "names.h"
#include "vs_checks.h"
#include "vs_rules.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace sluice::validate::vs {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

// Envoy's x-envoy-retry-on and x-envoy-retry-grpc-on policies (supportedRetryOnPolicies).
constexpr std::array<std::string_view, 16> kRetryOn{"5xx",
                                                    "gateway-error",
                                                    "reset",
                                                    "reset-before-request",
                                                    "connect-failure",
                                                    "retriable-4xx",
                                                    "refused-stream",
                                                    "retriable-status-codes",
                                                    "retriable-headers",
                                                    "envoy-ratelimited",
                                                    "http3-post-connect-failure",
                                                    "cancelled",
                                                    "deadline-exceeded",
                                                    "internal",
                                                    "resource-exhausted",
                                                    "unavailable"};

// supportedCORSMethods: Go's net/http method constants plus "*".
constexpr std::array<std::string_view, 10> kCorsMethods{"GET",    "HEAD",    "POST",    "PUT",   "PATCH",
                                                        "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"};

// grpc.SupportedGRPCStatus (pkg/util/grpc/codes.go).
constexpr std::array<std::string_view, 17> kGrpcStatus{
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

// Status codes with a text in Go's net/http (http.StatusText(code) != "").
constexpr std::array<int, 62> kHttpStatus{
    100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307,
    308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
    422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511};

template <class C, class V> bool contains(const C& c, const V& v) {
    return std::find(c.begin(), c.end(), v) != c.end();
}

// strconv.Atoi, 0 on failure (as `i, _ := strconv.Atoi(policy)` yields).
int goAtoi(std::string_view s) {
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    int v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && ptr == s.data() + s.size() ? v : 0;
}

model::SourceSpan matchSpan(const model::StringMatch& sm) {
    const auto* v = matchValue(sm);
    return v ? spanOr(*v, sm.span) : sm.span;
}

void checkPercentage(const std::optional<model::Percent>& p, const std::string& path, ResourceReporter& r) {
    if (!p)
        return;
    const double v = p->value.value;
    if (v < 0.0 || v > 100.0 || (v > 0.0 && v < 0.0001))
        r.error(path + ".value", spanOr(p->value, p->span),
                "percentage " + goFloat(v) + " is neither 0.0, nor in range [0.0001, 100.0]");
}

void checkHeaderMatches(const model::MessageMap<model::StringMatch>& headers, bool without,
                        const std::string& path, ResourceReporter& r) {
    const std::string_view where = without ? "withoutHeaders" : "headers";
    for (const auto& [name, sm] : headers) {
        const std::string field = path + "." + name;
        if (auto e = checkMatchHeaderName(name); !e.empty())
            r.error(field, sm.span, e);
        // `regex: "*"` in withoutHeaders is not a regex: Istio turns it into a presence match.
        if (without && matchKind(sm) == MatchKind::Regex && sm.regex.value == "*")
            continue;
        if (auto e = checkStringMatch(sm, where); !e.empty())
            r.error(field, matchSpan(sm), e);
    }
}

void checkOptionalMatch(const std::optional<model::StringMatch>& sm, std::string_view where, bool uri,
                        const std::string& path, ResourceReporter& r) {
    if (!sm)
        return;
    // uri allows an empty prefix (Envoy does); scheme, method and authority do not.
    const std::string e = uri ? checkStringMatchRegexp(*sm, where) : checkStringMatch(*sm, where);
    if (!e.empty())
        r.error(path + "." + std::string(where), matchSpan(*sm), e);
}

void checkAbort(const model::FaultAbort& a, const std::string& path, ResourceReporter& r) {
    checkPercentage(a.percentage, path + ".percentage", r);
    if (a.httpStatus.present) {
        const std::int32_t s = a.httpStatus.value;
        if (s < 200 || s > 600)
            r.error(path + ".httpStatus", spanOr(a.httpStatus, a.span),
                    "HTTP status " + std::to_string(s) + " is not in range 200-599");
    } else if (a.grpcStatus.present) {
        if (!contains(kGrpcStatus, a.grpcStatus.value))
            r.error(path + ".grpcStatus", spanOr(a.grpcStatus, a.span),
                    "gRPC status " + goQuote(a.grpcStatus.value) +
                        " is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md "
                        "for a list "
                        "of supported codes, for example 'NOT_FOUND'");
    } else if (a.http2Error.present) {
        r.error(path + ".http2Error", spanOr(a.http2Error, a.span),
                "HTTP/2 abort fault injection not supported yet");
    } else {
        r.warning(path, a.span, "abort configured, but error type not set");
    }
}

void checkDelay(const model::FaultDelay& d, const std::string& path, ResourceReporter& r) {
    checkPercentage(d.percentage, path + ".percentage", r);
    if (d.fixedDelay.present) {
        if (auto e = checkDuration(d.fixedDelay.value); !e.empty())
            r.error(path + ".fixedDelay", spanOr(d.fixedDelay, d.span), e);
    } else if (d.exponentialDelay.present) {
        const model::SourceSpan at = spanOr(d.exponentialDelay, d.span);
        if (auto e = checkDuration(d.exponentialDelay.value); !e.empty())
            r.error(path + ".exponentialDelay", at, e);
        r.error(path + ".exponentialDelay", at, "exponentialDelay not supported yet");
    }
}

} // namespace

void checkHttpMatchRequests(const model::HTTPRoute& route, const std::string& path, ResourceReporter& r) {
    for (std::size_t i = 0; i < route.match.size(); ++i) {
        const auto& m = route.match[i];
        const std::string mp = indexed(path + ".match", i);
        checkHeaderMatches(m.headers, false, mp + ".headers", r);
        checkHeaderMatches(m.withoutHeaders, true, mp + ".withoutHeaders", r);
        checkOptionalMatch(m.uri, "uri", true, mp, r);
        checkOptionalMatch(m.scheme, "scheme", false, mp, r);
        checkOptionalMatch(m.method, "method", false, mp, r);
        checkOptionalMatch(m.authority, "authority", false, mp, r);
        for (const auto& [name, qp] : m.queryParams)
            if (auto e = checkStringMatch(qp, "queryParams"); !e.empty())
                r.error(mp + ".queryParams." + name, matchSpan(qp), e);

        if (m.port.value != 0)
            if (auto e = checkPort(m.port.value); !e.empty())
                r.error(mp + ".port", spanOr(m.port, m.span), e);
        checkSourceLabels(m.sourceLabels, mp + ".sourceLabels", m.span, r);
        checkGatewayNames(m.gateways, mp + ".gateways", m.span, r);
        if (!m.sourceNamespace.value.empty() && !isDns1123Label(m.sourceNamespace.value))
            r.error(mp + ".sourceNamespace", spanOr(m.sourceNamespace, m.span),
                    "sourceNamespace match " + m.sourceNamespace.value + " is invalid");
    }
}

void checkCorsPolicy(const model::CorsPolicy& cors, const std::string& path, ResourceReporter& r) {
    for (std::size_t i = 0; i < cors.allowOrigins.size(); ++i) {
        const auto& origin = cors.allowOrigins[i];
        const std::string field = indexed(path + ".allowOrigins", i);
        const auto* v = matchValue(origin);
        if (!v || v->value.empty()) {
            r.error(field, matchSpan(origin), "'' is not a valid match type for CORS allow origins");
            continue;
        }
        if (auto e = checkStringMatchRegexp(origin, "corsPolicy.allowOrigins"); !e.empty())
            r.error(field, matchSpan(origin), e);
    }
    for (std::size_t i = 0; i < cors.allowMethods.size(); ++i)
        if (!contains(kCorsMethods, cors.allowMethods[i].value))
            r.error(indexed(path + ".allowMethods", i), spanOr(cors.allowMethods[i], cors.span),
                    goQuote(cors.allowMethods[i].value) + " is not a supported HTTP method");
    for (const auto* list : {&cors.allowHeaders, &cors.exposeHeaders}) {
        const std::string field = path + (list == &cors.allowHeaders ? ".allowHeaders" : ".exposeHeaders");
        for (std::size_t i = 0; i < list->size(); ++i)
            if (auto e = checkCorsHeaderName((*list)[i].value); !e.empty())
                r.error(indexed(field, i), spanOr((*list)[i], cors.span), e);
    }
    if (cors.maxAge.present) {
        const model::SourceSpan at = spanOr(cors.maxAge, cors.span);
        if (auto e = checkDuration(cors.maxAge.value); !e.empty())
            r.error(path + ".maxAge", at, e);
        if (cors.maxAge.value.nanos % kSecond > 0)
            r.error(path + ".maxAge", at, "max_age duration is accurate only to seconds precision");
    }
}

void checkFault(const model::HTTPFaultInjection& fault, const std::string& path, ResourceReporter& r) {
    if (!fault.abort && !fault.delay)
        r.error(path, fault.span, "HTTP fault injection must have an abort and/or a delay");
    if (fault.abort)
        checkAbort(*fault.abort, path + ".abort", r);
    if (fault.delay)
        checkDelay(*fault.delay, path + ".delay", r);
}

void checkRetries(const model::HTTPRetry& rt, const std::string& path, ResourceReporter& r) {
    if (rt.attempts.value < 0)
        r.error(path + ".attempts", spanOr(rt.attempts, rt.span), "attempts cannot be negative");
    if (rt.attempts.value == 0 &&
        (rt.perTryTimeout.present || !rt.retryOn.value.empty() || rt.retryRemoteLocalities.present)) {
        // Point at the policy that is configured in vain.
        const model::SourceSpan at = rt.perTryTimeout.present    ? spanOr(rt.perTryTimeout, rt.span)
                                     : !rt.retryOn.value.empty() ? spanOr(rt.retryOn, rt.span)
                                                                 : spanOr(rt.retryRemoteLocalities, rt.span);
        r.error(path, at, "http retry policy configured when attempts are set to 0 (disabled)");
    }
    if (rt.perTryTimeout.present)
        if (auto e = checkDuration(rt.perTryTimeout.value); !e.empty())
            r.error(path + ".perTryTimeout", spanOr(rt.perTryTimeout, rt.span), e);
    if (!rt.retryOn.value.empty()) {
        std::string_view rest = rt.retryOn.value;
        while (true) {
            const auto comma = rest.find(',');
            const std::string_view policy = rest.substr(0, comma);
            if (!contains(kHttpStatus, goAtoi(policy)) && !contains(kRetryOn, policy))
                r.error(path + ".retryOn", spanOr(rt.retryOn, rt.span),
                        goQuote(policy) + " is not a valid retryOn policy");
            if (comma == std::string_view::npos)
                break;
            rest.remove_prefix(comma + 1);
        }
    }
    if (rt.backoff.present)
        if (auto e = checkDuration(rt.backoff.value); !e.empty())
            r.error(path + ".backoff", spanOr(rt.backoff, rt.span), e);
}

} // namespace sluice::validate::vs
