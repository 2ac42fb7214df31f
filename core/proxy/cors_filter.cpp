// SPDX-License-Identifier: Apache-2.0
#include "cors_filter.h"

#include "header_names.h"

namespace sluice::proxy {
namespace {

std::string_view headerValue(const RequestHead& head, std::string_view lowerName) {
    for (const HeaderField& f : head.fields)
        if (headerNameIs(f.name, lowerName))
            return f.value;
    return {};
}

/// "*" in allowMethods / allowHeaders echoes what the preflight asked for.
std::string_view orEcho(const std::string& configured, std::string_view requested) {
    return configured == "*" ? requested : std::string_view(configured);
}

} // namespace

CorsFilter::Outcome CorsFilter::apply(const routing::CorsPolicy& policy, const RequestHead& head) {
    Outcome out;
    const std::string_view origin = headerValue(head, "origin");
    if (origin.empty())
        return out; // not a cross-origin request
    const bool allowed = policy.allows(origin);
    const std::string_view requestedMethod =
        head.method == "OPTIONS" ? headerValue(head, "access-control-request-method") : std::string_view();
    if (requestedMethod.empty()) { // an actual request: the response tells the browser it may read it
        if (!allowed)
            return out;
        appendHeaderLine(out.headers, "access-control-allow-origin", origin);
        if (policy.allowCredentials.value_or(false))
            appendHeaderLine(out.headers, "access-control-allow-credentials", "true");
        if (!policy.exposeHeaders.empty())
            appendHeaderLine(out.headers, "access-control-expose-headers", policy.exposeHeaders);
        return out;
    }
    if (!allowed && policy.forwardNotMatchingPreflights)
        return out; // the upstream decides
    out.answerPreflight = true;
    if (allowed)
        appendHeaderLine(out.headers, "access-control-allow-origin", origin);
    if (policy.allowCredentials.value_or(false))
        appendHeaderLine(out.headers, "access-control-allow-credentials", "true");
    if (const auto methods = orEcho(policy.allowMethods, requestedMethod); !methods.empty())
        appendHeaderLine(out.headers, "access-control-allow-methods", methods);
    if (const auto headers = orEcho(policy.allowHeaders, headerValue(head, "access-control-request-headers"));
        !headers.empty())
        appendHeaderLine(out.headers, "access-control-allow-headers", headers);
    if (!policy.maxAge.empty())
        appendHeaderLine(out.headers, "access-control-max-age", policy.maxAge);
    return out;
}

} // namespace sluice::proxy
