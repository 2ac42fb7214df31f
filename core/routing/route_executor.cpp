// SPDX-License-Identifier: Apache-2.0
#include "route_executor.h"

#include "host_name.h"

#include <re2/re2.h>

namespace sluice::routing {
namespace {

using Kind = TraceStep::Kind;

void append(HeaderOperations& into, const HeaderOperations& from) {
    if (from.empty())
        return;
    into.set.insert(into.set.end(), from.set.begin(), from.set.end());
    into.add.insert(into.add.end(), from.add.begin(), from.add.end());
    into.remove.insert(into.remove.end(), from.remove.begin(), from.remove.end());
}

std::string withQuery(std::string path, const RequestTarget& target) {
    if (target.hasQuery)
        path += "?" + target.query;
    return path;
}

std::string rewrittenPath(const CompiledRoute& route, const MatchInput& input) {
    const RewriteSpec& rewrite = route.action->rewrite;
    const std::string& path = input.path();
    if (rewrite.uri) {
        const StringMatcher& uri = route.match.uri();
        if (uri.kind() == StringMatcher::Kind::Prefix)
            return withQuery(*rewrite.uri + path.substr(std::min(uri.value().size(), path.size())),
                             input.target());
        return withQuery(*rewrite.uri, input.target());
    }
    if (rewrite.regex) {
        std::string out = path;
        RE2::GlobalReplace(&out, *rewrite.regex, rewrite.regexSubstitution);
        return withQuery(std::move(out), input.target());
    }
    return withQuery(path, input.target());
}

const WeightedDestination* pick(const std::vector<WeightedDestination>& destinations, std::uint64_t total,
                                Rng& rng) {
    if (destinations.empty())
        return nullptr;
    if (destinations.size() == 1)
        return &destinations.front();
    if (total == 0)
        return nullptr;
    std::uint64_t roll = rng.below(total);
    for (const auto& d : destinations) {
        if (roll < d.weight)
            return &d;
        roll -= d.weight;
    }
    return &destinations.back();
}

std::string percentText(double pct) {
    std::string text = std::to_string(pct);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.')
        text.pop_back();
    return text + "%";
}

std::string share(const WeightedDestination& d, std::uint64_t total, std::size_t count) {
    if (count == 1)
        return "100%";
    return percentText(total ? 100.0 * d.weight / static_cast<double>(total) : 0);
}

// Records the picked cluster and what Envoy answers for it. True when traffic would flow.
bool forwardTo(const WeightedDestination& d, std::uint64_t total, std::size_t count, Decision& decision) {
    decision.setDestination(d.destination);
    decision.loadBalancer = d.policy;
    if (decision.traced)
        decision.note(Kind::Matched,
                      "picked " + d.destination.cluster + " (" + share(d, total, count) + " of traffic)",
                      d.span);
    if (!d.clusterExists) {
        decision.outcome = Outcome::ClusterNotFound;
        decision.status = 503;
        ResponseFlags::add(decision.responseFlag, "NC"); // after a fault delay: "DI,NC"
        decision.note(Kind::Failed,
                      "cluster " + d.destination.cluster +
                          " does not exist (no Service/ServiceEntry with that host and port, or the "
                          "subset is not defined in a DestinationRule): 503 NC");
        return false;
    }
    if (d.endpoints == 0) {
        decision.outcome = Outcome::NoHealthyUpstream;
        decision.status = 503;
        ResponseFlags::add(decision.responseFlag, "UH"); // after a fault delay: "UH,DI"
        decision.note(Kind::Failed, "cluster " + d.destination.cluster +
                                        " has no endpoints (no workload carries the Service selector" +
                                        (d.destination.subset.empty() ? "" : " and subset labels") +
                                        "): 503 UH");
        return false;
    }
    decision.outcome = Outcome::Forward;
    decision.status = 200;
    if (decision.traced)
        decision.note(Kind::Info, std::to_string(d.endpoints) + " endpoint(s); " + d.policy);
    return true;
}

} // namespace

// Envoy's processRequestHost: the Host as sent, without its port when the redirect sets a port, or
// when the scheme changes and the port was the default of the request's scheme.
std::string redirectHost(std::string_view host, std::string_view newScheme, bool newPort,
                         std::string_view requestScheme) {
    std::size_t end = std::string_view::npos;
    if (!host.empty() && host.front() == '[') {
        end = host.rfind("]:");
        if (end != std::string_view::npos)
            ++end;
    } else {
        end = host.rfind(':');
    }
    if (end == std::string_view::npos)
        return std::string(host);
    const std::string_view port = host.substr(end);
    bool remove = newPort;
    if (newScheme != requestScheme)
        remove = remove || (requestScheme == "https" && port == ":443") ||
                 (requestScheme == "http" && port == ":80");
    return std::string(remove ? host.substr(0, end) : host);
}

std::string redirectLocation(const RedirectSpec& spec, const CompiledRoute& route, const MatchInput& input,
                             std::uint32_t serverPort) {
    const std::string& requestScheme = input.scheme();
    const std::string scheme = spec.scheme.empty() ? requestScheme : spec.scheme;
    // Istio's ApplyRedirect: an explicit port, or the server port for FROM_REQUEST_PORT; never an
    // explicit :80 for http or :443 for https (Envoy then keeps the Host as sent).
    std::uint32_t port = spec.port ? spec.port : (spec.portFromRequest ? serverPort : 0);
    if ((port == 80 && scheme == "http") || (port == 443 && scheme == "https"))
        port = 0;
    const std::string finalPort = port ? ":" + std::to_string(port) : std::string();
    const std::string host = spec.authority.empty()
                                 ? redirectHost(input.request().authority, scheme, port != 0, requestScheme)
                                 : spec.authority;
    std::string path;
    if (spec.uri) {
        path = *spec.uri;
        if (path.find('?') == std::string::npos && input.target().hasQuery)
            path += "?" + input.target().query;
    } else if (spec.prefixRewrite && route.match.uri().kind() == StringMatcher::Kind::Prefix) {
        const std::size_t n = std::min(route.match.uri().value().size(), input.path().size());
        path = withQuery(*spec.prefixRewrite + input.path().substr(n), input.target());
    } else {
        path = withQuery(input.path(), input.target());
    }
    if (path.empty() || path.front() != '/')
        path.insert(path.begin(), '/');
    return scheme + "://" + host + finalPort + path;
}

void executeRoute(const CompiledRoute& route, const MatchInput& input, Rng& rng, Decision& decision) {
    const RouteAction& action = *route.action;
    decision.origin.assignRule(route.origin);
    decision.cors = action.corsPolicy;
    if (!action.responseHeaders.empty() || !decision.responseHeaders.empty())
        decision.responseHeaders = action.responseHeaders;

    // Envoy's fault filter draws the delay first; an abort is drawn after the delay has run (its
    // timer's callback), so one request can be delayed and then aborted: flags "DI,FI".
    const FaultPolicy& fault = action.fault;
    if (!fault.empty()) {
        decision.fault = fault;
        const bool delayed = fault.delay && fault.delayPercent > 0 && rng.percent() < fault.delayPercent;
        if (delayed) {
            decision.responseFlag = "DI";
            if (decision.traced)
                decision.note(Kind::Matched,
                              "fault injection delays the request by " + fault.delay->toString());
        }
        if ((fault.abortStatus || !fault.abortGrpcStatus.empty()) && fault.abortPercent > 0 &&
            rng.percent() < fault.abortPercent) {
            decision.outcome = Outcome::FaultAbort;
            decision.status = fault.abortStatus.value_or(200);
            decision.responseFlag = delayed ? "DI,FI" : "FI";
            decision.note(Kind::Matched, std::string(delayed ? "then " : "") +
                                             "fault injection aborts with " +
                                             (fault.abortStatus ? std::to_string(*fault.abortStatus)
                                                                : "gRPC " + fault.abortGrpcStatus) +
                                             " (" + percentText(fault.abortPercent) + " of requests)");
            return;
        }
        if (!delayed && fault.abortPercent == 0 && fault.delayPercent == 0 && decision.traced)
            decision.note(Kind::Info, "fault has no percentage, so it never fires (unset means 0%)");
    }

    switch (action.kind) {
    case RouteAction::Kind::Redirect:
        decision.outcome = Outcome::Redirect;
        decision.status = action.redirect.code;
        decision.location = redirectLocation(action.redirect, route, input, input.request().port);
        decision.note(Kind::Matched,
                      "redirect " + std::to_string(decision.status) + " to " + decision.location);
        return;
    case RouteAction::Kind::DirectResponse:
        decision.outcome = Outcome::DirectResponse;
        decision.status = action.directStatus;
        decision.body = action.directBody;
        decision.responseFlag.clear();
        decision.note(Kind::Matched,
                      "the gateway answers " + std::to_string(action.directStatus) + " itself");
        return;
    case RouteAction::Kind::Route:
        break;
    }

    const WeightedDestination* chosen = pick(action.destinations, action.totalWeight, rng);
    if (!chosen) {
        decision.outcome = Outcome::NoRoute;
        decision.status = 503;
        ResponseFlags::add(decision.responseFlag, "NC");
        decision.note(Kind::Failed, "every destination has weight 0; no cluster can be picked");
        return;
    }
    decision.upstreamPath = rewrittenPath(route, input);
    decision.upstreamAuthority = !action.rewrite.authority.empty() ? action.rewrite.authority
                                 : !chosen->authority.empty()      ? chosen->authority
                                                                   : input.request().authority;
    if (!action.requestHeaders.empty() || !decision.requestHeaders.empty())
        decision.requestHeaders = action.requestHeaders;
    append(decision.requestHeaders, chosen->requestHeaders);
    append(decision.responseHeaders, chosen->responseHeaders);
    if (action.rewrite.rewritesPath())
        decision.requestHeaders.set.emplace_back("x-envoy-original-path", input.request().target);
    decision.timeout = action.timeout;
    decision.retries = action.retries;
    if (!forwardTo(*chosen, action.totalWeight, action.destinations.size(), decision))
        return;
    decision.mirrors = action.mirrors;
    for (auto& mirror : decision.mirrors) {
        mirror.authority = decision.upstreamAuthority;
        if (decision.traced)
            decision.note(Kind::Info, "mirrors " + percentText(mirror.percent) + " of requests to " +
                                          mirror.destination.cluster +
                                          " (Host unchanged; the response is discarded)" +
                                          (mirror.clusterExists ? "" : ", but that cluster does not exist"));
    }
    if (!decision.traced)
        return;
    if (action.rewrite.rewritesPath())
        decision.note(Kind::Info, "path rewritten to " + decision.upstreamPath);
    if (decision.upstreamAuthority != input.request().authority)
        decision.note(Kind::Info, "authority rewritten to " + decision.upstreamAuthority);
}

void executeTcpRoute(const TcpRoute& route, Rng& rng, Decision& decision) {
    decision.origin = route.origin;
    const WeightedDestination* chosen = pick(route.destinations, route.totalWeight, rng);
    if (!chosen) {
        decision.outcome = Outcome::ConnectionReset;
        decision.status = 0;
        decision.note(Kind::Failed, "no destination with a weight above 0");
        return;
    }
    forwardTo(*chosen, route.totalWeight, route.destinations.size(), decision);
    if (decision.outcome != Outcome::Forward) {
        // A TCP proxy cannot answer 503: the client sees the connection closed.
        decision.outcome = Outcome::ConnectionReset;
        decision.status = 0;
    }
}

} // namespace sluice::routing
