// SPDX-License-Identifier: Apache-2.0
#include "route_builder.h"

#include "delegate_merger.h"
#include "host_name.h"
#include "model/base64.h"
#include "policy_converter.h"

#include <algorithm>
#include <cctype>

#include <re2/re2.h>

namespace sluice::routing {

std::string resolveGatewayName(std::string_view name, std::string_view vsNamespace) {
    if (name == "mesh")
        return "mesh";
    const auto slash = name.find('/');
    if (slash == std::string_view::npos) {
        const auto dot = name.find('.');
        if (dot == std::string_view::npos)
            return std::string(vsNamespace) + "/" + std::string(name);
        const std::string_view rest = name.substr(dot + 1);
        const auto next = rest.find('.');
        return std::string(next == std::string_view::npos ? rest : rest.substr(0, next)) + "/" +
               std::string(name.substr(0, dot));
    }
    if (name.substr(0, slash) == ".")
        return std::string(vsNamespace) + "/" + std::string(name.substr(slash + 1));
    return std::string(name);
}

std::vector<WeightedDestination> RouteBuilder::destinations(const std::vector<model::RouteDestination>& route,
                                                            const std::string& ns, std::uint32_t port) const {
    std::vector<WeightedDestination> out;
    for (const auto& rd : route) {
        if (!rd.destination)
            continue;
        WeightedDestination d = m_resolver.resolve(*rd.destination, ns, port);
        d.weight = route.size() == 1 ? 100u : static_cast<std::uint32_t>(std::max(0, rd.weight.value));
        if (route.size() > 1 && d.weight == 0)
            continue; // Istio drops zero-weight destinations
        out.push_back(std::move(d));
    }
    return out;
}

std::optional<std::string> RouteBuilder::filteredOut(const model::HTTPMatchRequest& m, const std::string& ns,
                                                     const RouteContext& ctx) const {
    if (m.port.present && m.port.value != 0 && m.port.value != ctx.port)
        return "match.port " + std::to_string(m.port.value) + " is not the server port " +
               std::to_string(ctx.port);
    // Istio's sourceMatchHTTP: a gateways list decides alone; otherwise sourceLabels and
    // sourceNamespace are compared with the proxy (here the gateway pod) at config time.
    if (!m.gateways.empty()) {
        if (std::any_of(m.gateways.begin(), m.gateways.end(),
                        [&](const auto& g) { return resolveGatewayName(g.value, ns) == ctx.gateway; }))
            return std::nullopt;
        std::string listed;
        for (const auto& g : m.gateways)
            listed += (listed.empty() ? "" : ", ") + resolveGatewayName(g.value, ns);
        return "match.gateways lists " + listed + ", not " + ctx.gateway;
    }
    if (ctx.proxyLabels) {
        for (const auto& [k, v] : m.sourceLabels) {
            const auto it = ctx.proxyLabels->find(k);
            if (it == ctx.proxyLabels->end() || it->second != v.value)
                return "sourceLabels " + k + "=" + v.value +
                       " is not a label of the gateway pod (sourceLabels are "
                       "compared with the proxy the route is built for, never with the caller)";
        }
        if (m.sourceNamespace.present && !m.sourceNamespace.value.empty() &&
            m.sourceNamespace.value != ctx.proxyNamespace)
            return "sourceNamespace " + m.sourceNamespace.value + " is not the gateway's namespace " +
                   ctx.proxyNamespace;
    }
    return std::nullopt;
}

std::shared_ptr<const RouteAction> RouteBuilder::action(const model::HTTPRoute& rule, const std::string& ns,
                                                        const RouteContext& ctx) const {
    auto a = std::make_shared<RouteAction>();
    if (rule.redirect) {
        const auto& r = *rule.redirect;
        a->kind = RouteAction::Kind::Redirect;
        if (r.uri.present)
            a->redirect.uri = r.uri.value;
        a->redirect.authority = r.authority.value;
        a->redirect.port = r.port.value;
        a->redirect.portFromRequest = r.derivePort.value == model::RedirectPortSelection::FromRequestPort;
        a->redirect.scheme = r.scheme.value;
        a->redirect.code = r.redirectCode.value == 0 ? 301 : static_cast<int>(r.redirectCode.value);
    } else if (rule.directResponse) {
        a->kind = RouteAction::Kind::DirectResponse;
        a->directStatus = static_cast<int>(rule.directResponse->status.value);
        if (rule.directResponse->body)
            a->directBody =
                rule.directResponse->body->string_.present
                    ? rule.directResponse->body->string_.value
                    : model::decodeBase64(rule.directResponse->body->bytes_.value).value_or(std::string());
    } else {
        for (const auto& hd : rule.route) {
            if (!hd.destination)
                continue;
            WeightedDestination d = m_resolver.resolve(*hd.destination, ns, ctx.port);
            d.weight =
                rule.route.size() == 1 ? 100u : static_cast<std::uint32_t>(std::max(0, hd.weight.value));
            if (rule.route.size() > 1 && d.weight == 0)
                continue;
            if (hd.headers) {
                convertHeaders(hd.headers->request, d.requestHeaders, &d.authority);
                convertHeaders(hd.headers->response, d.responseHeaders, nullptr);
            }
            a->destinations.push_back(std::move(d));
        }
    }
    for (const auto& d : a->destinations)
        a->totalWeight += d.weight;
    if (rule.headers) {
        convertHeaders(rule.headers->request, a->requestHeaders, &a->rewrite.authority);
        convertHeaders(rule.headers->response, a->responseHeaders, nullptr);
    }
    if (rule.rewrite) {
        if (rule.rewrite->uri.present)
            a->rewrite.uri = rule.rewrite->uri.value;
        if (rule.rewrite->authority.present)
            a->rewrite.authority = rule.rewrite->authority.value;
        if (const auto& rr = rule.rewrite->uriRegexRewrite; rr && rr->match.present) {
            RE2::Options options;
            options.set_log_errors(false);
            auto re = std::make_shared<const RE2>(rr->match.value, options);
            if (re->ok()) {
                a->rewrite.regex = std::move(re);
                a->rewrite.regexSubstitution = rr->rewrite.value;
            }
        }
    }
    if (rule.timeout.present)
        a->timeout = rule.timeout.value;
    a->retries = convertRetries(rule.retries, a->timeout);
    a->fault = convertFault(rule.fault);
    if (rule.mirror) {
        MirrorPolicy m;
        const WeightedDestination d = m_resolver.resolve(*rule.mirror, ns, ctx.port);
        m.destination = d.destination;
        m.clusterExists = d.clusterExists;
        m.percent = rule.mirrorPercentage        ? rule.mirrorPercentage->value.value
                    : rule.mirrorPercent.present ? rule.mirrorPercent.value
                                                 : 100.0;
        if (m.percent > 0) // an explicit 0 turns mirroring off (MirrorPercent)
            a->mirrors.push_back(std::move(m));
    }
    for (const auto& mp : rule.mirrors) {
        if (!mp.destination)
            continue;
        MirrorPolicy m;
        const WeightedDestination d = m_resolver.resolve(*mp.destination, ns, ctx.port);
        m.destination = d.destination;
        m.clusterExists = d.clusterExists;
        m.percent = mp.percentage ? mp.percentage->value.value : 100.0;
        if (m.percent > 0)
            a->mirrors.push_back(std::move(m));
    }
    if (rule.corsPolicy)
        a->corsPolicy = std::make_shared<const CorsPolicy>(compileCorsPolicy(*rule.corsPolicy));
    if (rule.corsPolicy)
        a->cors = "CORS policy applies (" + std::to_string(rule.corsPolicy->allowOrigins.size()) +
                  " allowed origin matchers)";
    return a;
}

const model::VirtualService* RouteBuilder::findDelegate(const model::Delegate& d,
                                                        const std::string& rootNs) const {
    const std::string ns = d.namespace_.value.empty() ? rootNs : d.namespace_.value;
    const auto& all = m_resources.virtualServices;
    for (auto it = all.rbegin(); it != all.rend(); ++it) { // the last one applied counts
        const model::VirtualService& vs = *it;
        if (vs.header.name() != d.name.value || vs.header.ns() != ns)
            continue;
        if (!vs.spec.hosts.empty())
            return nullptr; // a VirtualService with hosts is not a delegate
        const auto& exportTo = vs.spec.exportTo;
        const bool visible =
            exportTo.empty() || std::any_of(exportTo.begin(), exportTo.end(), [&](const auto& e) {
                return e.value == "*" || e.value == rootNs || (e.value == "." && ns == rootNs);
            });
        return visible ? &vs : nullptr;
    }
    return nullptr;
}

void RouteBuilder::appendRule(const model::HTTPRoute& rule, int ruleIndex, const model::VirtualService& owner,
                              const std::string& ns, const RouteContext& ctx, std::vector<CompiledRoute>& out,
                              bool& catchAll) const {
    const auto origin = [&](int matchIndex, model::SourceSpan span) {
        RouteOrigin o;
        o.gateway = ctx.gateway;
        o.virtualService = owner.header.ns() + "/" + owner.header.name();
        o.ruleIndex = ruleIndex;
        o.matchIndex = matchIndex;
        o.ruleName = rule.name.value;
        o.span = span.known() ? span : rule.span;
        return o;
    };
    const auto deferred = [&](CompiledRoute& r, const model::HTTPMatchRequest* m) {
        if (ctx.proxyLabels || !m || !m->gateways.empty())
            return; // a match that lists gateways is not a source match (sourceMatchHTTP)
        for (const auto& [k, v] : m->sourceLabels)
            r.sourceLabels.emplace(k, v.value);
        r.sourceNamespace = m->sourceNamespace.value;
    };
    if (rule.match.empty()) {
        out.push_back({RequestMatcher::matchAll(), action(rule, ns, ctx), origin(-1, rule.span), {}, {}});
        catchAll = true;
        return;
    }
    std::shared_ptr<const RouteAction> shared;
    for (std::size_t i = 0; i < rule.match.size(); ++i) {
        const auto& m = rule.match[i];
        if (filteredOut(m, ns, ctx))
            continue;
        auto matcher = RequestMatcher::compile(m);
        if (!matcher)
            continue; // a regex RE2 rejects: Istio's webhook refuses it; Envoy would NACK the route
        if (!shared)
            shared = action(rule, ns, ctx);
        CompiledRoute r{std::move(*matcher), shared, origin(static_cast<int>(i), m.span), {}, {}};
        deferred(r, &m);
        const bool isCatchAll = r.match.isCatchAll() && r.sourceLabels.empty() && r.sourceNamespace.empty();
        out.push_back(std::move(r));
        if (isCatchAll) {
            catchAll = true;
            return;
        }
    }
}

std::vector<CompiledRoute> RouteBuilder::httpRoutes(const model::VirtualService& vs,
                                                    const RouteContext& ctx) const {
    std::vector<CompiledRoute> out;
    bool catchAll = false;
    for (std::size_t i = 0; i < vs.spec.http.size() && !catchAll; ++i) {
        const auto& rule = vs.spec.http[i];
        if (!rule.delegate) {
            appendRule(rule, static_cast<int>(i), vs, vs.header.ns(), ctx, out, catchAll);
            continue;
        }
        const model::VirtualService* delegate = findDelegate(*rule.delegate, vs.header.ns());
        if (!delegate)
            continue; // only this root rule is dropped
        for (std::size_t j = 0; j < delegate->spec.http.size() && !catchAll; ++j) {
            const auto& leaf = delegate->spec.http[j];
            if (leaf.delegate)
                continue; // one level only
            if (auto merged = mergeDelegateRule(rule, leaf))
                appendRule(*merged, static_cast<int>(j), *delegate, delegate->header.ns(), ctx, out,
                           catchAll);
        }
    }
    return out;
}

std::string RouteBuilder::whyNoHttpRoutes(const model::VirtualService& vs, const RouteContext& ctx) const {
    if (vs.spec.http.empty())
        return "it has no http rules" +
               std::string(vs.spec.tcp.empty() && vs.spec.tls.empty() ? "" : " (only tcp/tls)");
    std::vector<std::string> reasons;
    const auto add = [&](std::string text) {
        if (reasons.size() < 3)
            reasons.push_back(std::move(text));
    };
    for (std::size_t i = 0; i < vs.spec.http.size(); ++i) {
        const auto& rule = vs.spec.http[i];
        const std::string where = "rule " + std::to_string(i);
        if (rule.delegate) {
            const std::string ns =
                rule.delegate->namespace_.value.empty() ? vs.header.ns() : rule.delegate->namespace_.value;
            if (!findDelegate(*rule.delegate, vs.header.ns()))
                add(where + " delegates to " + ns + "/" + rule.delegate->name.value +
                    ", which does not exist, has hosts, or is not exported to " + vs.header.ns());
            else
                add(where + " delegates to " + ns + "/" + rule.delegate->name.value +
                    ", whose rules all conflict with the root match or are filtered out");
            continue;
        }
        for (std::size_t j = 0; j < rule.match.size(); ++j) {
            if (auto why = filteredOut(rule.match[j], vs.header.ns(), ctx))
                add(where + " match " + std::to_string(j) + ": " + *why);
            else if (std::string error; !RequestMatcher::compile(rule.match[j], &error))
                add(where + " match " + std::to_string(j) + ": " + error);
        }
    }
    std::string out =
        "every http rule was filtered out for " + ctx.gateway + " on port " + std::to_string(ctx.port);
    for (std::size_t i = 0; i < reasons.size(); ++i)
        out += (i == 0 ? ": " : "; ") + reasons[i];
    return out;
}

std::optional<std::pair<std::vector<WeightedDestination>, RouteOrigin>>
RouteBuilder::tcpRoute(const model::VirtualService& vs, const RouteContext& ctx) const {
    for (std::size_t i = 0; i < vs.spec.tcp.size(); ++i) {
        const auto& rule = vs.spec.tcp[i];
        if (rule.route.empty())
            continue;
        const bool applies =
            rule.match.empty() || std::any_of(rule.match.begin(), rule.match.end(), [&](const auto& m) {
                const bool portOk = !m.port.present || m.port.value == 0 || m.port.value == ctx.port;
                const bool gwOk = m.gateways.empty() ||
                                  std::any_of(m.gateways.begin(), m.gateways.end(), [&](const auto& g) {
                                      return resolveGatewayName(g.value, vs.header.ns()) == ctx.gateway;
                                  });
                return portOk && gwOk;
            });
        if (!applies)
            continue;
        RouteOrigin o;
        o.gateway = ctx.gateway;
        o.virtualService = vs.header.ns() + "/" + vs.header.name();
        o.ruleIndex = static_cast<int>(i);
        o.span = rule.span;
        return std::make_pair(destinations(rule.route, vs.header.ns(), ctx.port), o);
    }
    return std::nullopt;
}

} // namespace sluice::routing
