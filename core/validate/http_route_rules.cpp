// SPDX-License-Identifier: Apache-2.0
// One HTTP rule of a VirtualService: Istio's validateHTTPRoute and validateHTTPRouteConflict
// (pkg/config/validation/virtualservice.go) with the redirect, rewrite, direct response and
// mirror checks of pkg/config/validation/validation.go.

#include "vs_checks.h"
#include "vs_rules.h"

namespace sluice::validate::vs {
namespace {

enum class RouteType : std::uint8_t { Independent, Root, Delegate };

constexpr std::size_t kKb = 1024;
constexpr std::size_t kMb = 1024 * kKb;

void checkConflicts(const model::HTTPRoute& h, RouteType type, const std::string& path, ResourceReporter& r) {
    const model::SourceSpan at = h.span;
    if (type == RouteType::Root) {
        // Only `delegate` may be set on a rule that delegates.
        if (h.redirect)
            r.error(path + ".redirect", at, "root HTTP route " + h.name.value + " must not specify redirect");
        if (!h.route.empty())
            r.error(path + ".route", at, "root HTTP route " + h.name.value + " must not specify route");
        return;
    }
    if (type == RouteType::Delegate && h.delegate)
        r.error(path + ".delegate", at, "delegate HTTP route cannot contain delegate");

    if (h.redirect) {
        if (!h.route.empty())
            r.error(path, at, "HTTP route cannot contain both route and redirect");
        if (h.fault)
            r.error(path, at, "HTTP route cannot contain both fault and redirect");
        if (h.rewrite)
            r.error(path, at, "HTTP route rule cannot contain both rewrite and redirect");
        if (h.directResponse)
            r.error(path, at, "HTTP route rule cannot contain both direct_response and redirect");
    } else if (h.directResponse) {
        if (!h.route.empty())
            r.error(path, at, "HTTP route cannot contain both route and direct_response");
        if (h.fault)
            r.error(path, at, "HTTP route cannot contain both fault and direct_response");
        if (h.rewrite)
            r.error(path, at, "HTTP route rule cannot contain both rewrite and direct_response");
    } else if (h.route.empty()) {
        r.error(path, at, "HTTP route, redirect or direct_response is required");
    }
    if (h.mirror && !h.mirrors.empty())
        r.error(path, at, "HTTP route cannot contain both mirror and mirrors");
}

void checkMirrors(const model::HTTPRoute& h, const std::string& path, ResourceReporter& r) {
    if (h.mirrorPercent.present) {
        const model::SourceSpan at = spanOr(h.mirrorPercent, h.span);
        if (h.mirrorPercent.value > 100)
            r.error(path + ".mirrorPercent", at,
                    "mirror_percent must have a max value of 100 (it has " +
                        std::to_string(h.mirrorPercent.value) + ")");
        // Deprecation itself is reported once, by the loader (IST0002).
    }
    if (h.mirrorPercentage) {
        const double value = h.mirrorPercentage->value.value;
        const model::SourceSpan at = spanOr(h.mirrorPercentage->value, h.mirrorPercentage->span);
        if (value > 100)
            r.error(path + ".mirrorPercentage.value", at,
                    "mirror_percentage must have a max value of 100 (it has " + goFixed(value) + ")");
        if (value < 0)
            r.error(path + ".mirrorPercentage.value", at,
                    "mirror_percentage must have a min value of 0 (it has " + goFixed(value) + ")");
    }
    if (h.mirror)
        checkDestination(*h.mirror, path + ".mirror", r);
    for (std::size_t i = 0; i < h.mirrors.size(); ++i) {
        const auto& m = h.mirrors[i];
        const std::string at = indexed(path + ".mirrors", i);
        if (!m.destination) {
            r.error(at + ".destination", m.span, "destination is required for mirrors");
            continue;
        }
        checkDestination(*m.destination, at + ".destination", r);
        if (m.percentage) {
            const double value = m.percentage->value.value;
            const model::SourceSpan vAt = spanOr(m.percentage->value, m.percentage->span);
            if (value > 100)
                r.error(at + ".percentage.value", vAt,
                        "mirror percentage must have a max value of 100 (it has " + goFixed(value) + ")");
            if (value < 0)
                r.error(at + ".percentage.value", vAt,
                        "mirror percentage must have a min value of 0 (it has " + goFixed(value) + ")");
        }
    }
}

// validateHTTPRedirect reports only its first finding.
void checkRedirect(const model::HTTPRedirect& rd, const std::string& path, ResourceReporter& r) {
    if (rd.uri.value.empty() && rd.authority.value.empty() && !rd.port.present && !rd.derivePort.present &&
        rd.scheme.value.empty()) {
        r.error(path, rd.span, "redirect must specify URI, authority, scheme, or port");
        return;
    }
    const std::uint32_t code = rd.redirectCode.value;
    if (code != 0 && (code < 300 || code > 399)) {
        r.error(path + ".redirectCode", spanOr(rd.redirectCode, rd.span),
                std::to_string(code) + " is not a valid redirect code, must be 3xx");
        return;
    }
    if (!rd.scheme.value.empty() && rd.scheme.value != "http" && rd.scheme.value != "https") {
        r.error(path + ".scheme", spanOr(rd.scheme, rd.span),
                R"(invalid redirect scheme, must be "http" or "https")");
        return;
    }
    if (rd.port.value > 0)
        if (auto e = checkPort(rd.port.value); !e.empty())
            r.error(path + ".port", spanOr(rd.port, rd.span), e);
}

std::size_t base64DecodedSize(std::string_view b64) {
    while (!b64.empty() && (b64.back() == '=' || b64.back() == '\n' || b64.back() == ' '))
        b64.remove_suffix(1);
    return b64.size() * 3 / 4;
}

void checkDirectResponse(const model::HTTPDirectResponse& dr, const std::string& path, ResourceReporter& r) {
    if (dr.body) {
        const std::size_t size = dr.body->string_.present ? dr.body->string_.value.size()
                                                          : base64DecodedSize(dr.body->bytes_.value);
        if (size > kMb)
            r.error(path + ".body", dr.body->span,
                    "large direct_responses may impact control plane performance, must be less than 1MB");
        else if (size > 100 * kKb)
            r.warning(path + ".body", dr.body->span,
                      "large direct_responses may impact control plane performance");
    }
    const auto status = static_cast<std::int32_t>(dr.status.value);
    if (status < 200 || status > 600)
        r.error(path + ".status", spanOr(dr.status, dr.span),
                "HTTP status " + std::to_string(status) + " is not in range 200-599");
}

// validateHTTPRewrite reports only its first finding.
void checkRewrite(const model::HTTPRewrite& rw, const std::string& path, ResourceReporter& r) {
    if (!rw.uri.value.empty() && rw.uriRegexRewrite) {
        r.error(path, rw.span, "rewrite may only contain one of URI or UriRegexRewrite");
        return;
    }
    if (rw.uri.value.empty() && !rw.uriRegexRewrite && rw.authority.value.empty()) {
        r.error(path, rw.span,
                "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or "
                "UriRegexRewrite may be specified");
        return;
    }
    if (!rw.uriRegexRewrite)
        return;
    const auto& rr = *rw.uriRegexRewrite;
    const std::string field = path + ".uriRegexRewrite";
    if (rr.match.value.empty() || rr.rewrite.value.empty()) {
        r.error(field, rr.span,
                "UriRegexRewrite has errors; UriRegexRewrite requires both Rewrite and Match fields to be "
                "specified");
        return;
    }
    if (auto e = checkRegex(rr.match.value, "HTTPRewrite.UriRegexRewrite.Match"); !e.empty())
        r.error(field + ".match", spanOr(rr.match, rr.span), "UriRegexRewrite has errors; " + e);
}

// validateAuthorityRewrite: the authority may be rewritten in one place only.
void checkAuthorityRewrite(const model::HTTPRoute& h, const std::string& path, ResourceReporter& r) {
    std::string current = h.rewrite ? h.rewrite->authority.value : std::string();
    if (!h.headers || !h.headers->request)
        return;
    const auto& req = *h.headers->request;
    for (const auto* ops : {&req.set, &req.add}) {
        for (const auto& [name, value] : *ops) {
            if (!isAuthorityHeader(name))
                continue;
            if (!current.empty()) {
                r.error(path + ".headers.request." + name, value.span,
                        "authority header cannot be set multiple times: have " + goQuote(current) +
                            ", attempting to set " + goQuote(value.value));
                return;
            }
            current = value.value;
        }
    }
}

} // namespace

void checkHttpRoute(const model::HTTPRoute& h, const std::string& path, bool delegateVs,
                    ResourceReporter& r) {
    const RouteType type = delegateVs   ? RouteType::Delegate
                           : h.delegate ? RouteType::Root
                                        : RouteType::Independent;
    checkConflicts(h, type, path, r);
    checkHttpMatchRequests(h, path, r);
    checkHeaders(h.headers, path + ".headers", r);
    if (h.corsPolicy)
        checkCorsPolicy(*h.corsPolicy, path + ".corsPolicy", r);
    if (h.fault)
        checkFault(*h.fault, path + ".fault", r);
    checkMirrors(h, path, r);
    if (h.redirect)
        checkRedirect(*h.redirect, path + ".redirect", r);
    if (h.directResponse)
        checkDirectResponse(*h.directResponse, path + ".directResponse", r);
    if (h.retries)
        checkRetries(*h.retries, path + ".retries", r);
    if (h.rewrite)
        checkRewrite(*h.rewrite, path + ".rewrite", r);
    checkAuthorityRewrite(h, path, r);
    checkHttpRouteDestinations(h.route, path + ".route", h.span, r);
    if (h.timeout.present)
        if (auto e = checkDuration(h.timeout.value); !e.empty())
            r.error(path + ".timeout", spanOr(h.timeout, h.span), e);
}

} // namespace sluice::validate::vs
