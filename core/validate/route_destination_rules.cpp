// SPDX-License-Identifier: Apache-2.0
// Destinations, weights, header manipulations and gateway references of a VirtualService
// (validateDestination, validateHTTPRouteDestinations, validateRouteDestinations,
// validateGatewayNames in Istio's pkg/config/validation/validation.go).

#include "names.h"
#include "vs_checks.h"
#include "vs_rules.h"

namespace sluice::validate::vs {
namespace {

// Request add / set may name :authority or host (checked later against rewrite.authority).
void checkSetOrAdd(const model::StringMap& ops, bool request, const std::string& path, ResourceReporter& r) {
    for (const auto& [name, value] : ops) {
        const std::string field = path + "." + name;
        const std::string nameError =
            request ? checkRequestHeaderSetName(name) : checkHeaderOperationName(name);
        if (!nameError.empty())
            r.error(field, value.span, nameError);
        if (auto e = checkHeaderValue(value.value); !e.empty())
            r.error(field, value.span, e);
    }
}

void checkOperations(const std::optional<model::HeaderOperations>& ops, bool request, const std::string& path,
                     ResourceReporter& r) {
    if (!ops)
        return;
    checkSetOrAdd(ops->add, request, path + ".add", r);
    checkSetOrAdd(ops->set, request, path + ".set", r);
    for (std::size_t i = 0; i < ops->remove.size(); ++i)
        if (auto e = checkHeaderOperationName(ops->remove[i].value); !e.empty())
            r.error(indexed(path + ".remove", i), spanOr(ops->remove[i], ops->span), e);
}

} // namespace

void checkHeaders(const std::optional<model::Headers>& headers, const std::string& path,
                  ResourceReporter& r) {
    if (!headers)
        return;
    checkOperations(headers->request, true, path + ".request", r);
    checkOperations(headers->response, false, path + ".response", r);
}

void checkDestination(const model::Destination& d, const std::string& path, ResourceReporter& r) {
    const model::SourceSpan hostAt = spanOr(d.host, d.span);
    if (d.host.value == "*")
        r.error(path + ".host", hostAt, "invalid destination host *");
    else if (auto e = checkIstioWildcardDomain(d.host.value); !e.empty())
        r.error(path + ".host", hostAt, e);
    if (!d.subset.value.empty() && !isDns1123Label(d.subset.value))
        r.error(path + ".subset", spanOr(d.subset, d.span), "subset name is invalid: " + d.subset.value);
    if (d.port)
        if (auto e = checkPort(d.port->number.value); !e.empty())
            r.error(path + ".port.number", spanOr(d.port->number, d.port->span), e);
}

void checkHttpRouteDestinations(const std::vector<model::HTTPRouteDestination>& route,
                                const std::string& path, model::SourceSpan ruleSpan, ResourceReporter& r) {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < route.size(); ++i) {
        const auto& w = route[i];
        const std::string at = indexed(path, i);
        if (!w.destination)
            r.error(at + ".destination", w.span, "destination is required");
        checkHeaders(w.headers, at + ".headers", r);
        if (w.destination)
            checkDestination(*w.destination, at + ".destination", r);
        if (w.weight.value < 0)
            r.error(at + ".weight", spanOr(w.weight, w.span),
                    "weight " + std::to_string(w.weight.value) + " < 0");
        total += w.weight.value;
    }
    if (route.size() > 1 && total == 0)
        r.error(path, ruleSpan, "total destination weight = 0");
}

void checkRouteDestinations(const std::vector<model::RouteDestination>& route, const std::string& path,
                            model::SourceSpan ruleSpan, ResourceReporter& r) {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < route.size(); ++i) {
        const auto& w = route[i];
        const std::string at = indexed(path, i);
        if (!w.destination)
            r.error(at + ".destination", w.span, "destination is required");
        else
            checkDestination(*w.destination, at + ".destination", r);
        if (w.weight.value < 0)
            r.error(at + ".weight", spanOr(w.weight, w.span),
                    "weight " + std::to_string(w.weight.value) + " < 0");
        total += w.weight.value;
    }
    if (route.size() > 1 && total == 0)
        r.error(path, ruleSpan, "total destination weight = 0");
}

void checkGatewayNames(const std::vector<model::Located<std::string>>& gateways, const std::string& path,
                       model::SourceSpan fallback, ResourceReporter& r) {
    for (std::size_t i = 0; i < gateways.size(); ++i) {
        const std::string& name = gateways[i].value;
        const std::string field = indexed(path, i);
        const model::SourceSpan at = spanOr(gateways[i], fallback);
        const auto slash = name.find('/');
        if (slash == std::string::npos) {
            if (const auto dot = name.find('.'); dot != std::string::npos) {
                const auto dot2 = name.find('.', dot + 1);
                const std::string ns =
                    name.substr(dot + 1, dot2 == std::string::npos ? std::string::npos : dot2 - dot - 1);
                r.warning(
                    field, at,
                    "using legacy gatewayName format " + goQuote(name) +
                        "; prefer the <namespace>/<name> format: " + goQuote(ns + "/" + name.substr(0, dot)));
            }
            if (auto e = checkIstioFqdn(name); !e.empty())
                r.error(field, at, e);
            // Istio returns here: the gateways after a name without `/` are not checked.
            return;
        }
        const std::string ns = name.substr(0, slash);
        const std::string gw = name.substr(slash + 1);
        if (ns.empty() || gw.empty())
            r.error(field, at, "config namespace and gateway name cannot be empty");
        if (!isDns1123Label(ns))
            r.error(field, at, "invalid value for namespace: " + goQuote(ns));
        if (!isDns1123Label(gw))
            r.error(field, at, "invalid value for gateway name: " + goQuote(gw));
    }
}

void checkSourceLabels(const model::StringMap& labels, const std::string& path, model::SourceSpan fallback,
                       ResourceReporter& r) {
    for (const auto& [key, value] : labels)
        for (const std::string& e : checkLabel(key, value.value))
            r.error(path + "." + key, spanOr(value, fallback), e);
}

} // namespace sluice::validate::vs
