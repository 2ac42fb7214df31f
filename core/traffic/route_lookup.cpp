// SPDX-License-Identifier: Apache-2.0
#include "route_lookup.h"

#include "metrics/traffic_report_text.h"
#include "profile_source.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace sluice::traffic {
namespace {

/// The route config named `name`: a sidecar's (`mesh`) or one of the gateway's listeners'.
const routing::RouteConfig* routeConfigNamed(const routing::RouteTable& table, const std::string& name,
                                             bool mesh) {
    if (mesh) {
        for (const auto& [port, config] : table.mesh())
            if (config && config->name() == name)
                return config.get();
        return nullptr;
    }
    for (const auto& [port, l] : table.listeners()) {
        if (l.http && l.http->name() == name)
            return l.http.get();
        for (const auto& chain : l.chains)
            if (chain.http && chain.http->name() == name)
                return chain.http.get();
    }
    return nullptr;
}

std::string shortHost(const std::string& host) {
    const std::size_t dot = host.find('.');
    return dot == std::string::npos ? host : host.substr(0, dot);
}

} // namespace

const routing::RouteAction* routeActionOf(const routing::RouteTable& table, const routing::RouteOrigin& o,
                                          bool mesh) {
    if (o.routeConfig.empty() || o.ruleIndex < 0)
        return nullptr;
    const routing::RouteConfig* config = routeConfigNamed(table, o.routeConfig, mesh);
    if (!config)
        return nullptr;
    for (const auto& vhost : config->virtualHosts()) {
        if (vhost.domain != o.virtualHost)
            continue;
        for (const auto& route : vhost.routes)
            if (route.origin.virtualService == o.virtualService && route.origin.ruleIndex == o.ruleIndex &&
                route.origin.matchIndex == o.matchIndex)
                return route.action.get();
    }
    return nullptr;
}

std::string RouteSummary::text() const {
    std::string out;
    if (!virtualService.empty()) {
        out = virtualService + " rule " + std::to_string(ruleIndex);
        if (!ruleName.empty())
            out += " (" + ruleName + ")";
        if (matchIndex >= 0)
            out += " match " + std::to_string(matchIndex);
        out += ": ";
    }
    switch (outcome) {
    case routing::Outcome::Forward:
    case routing::Outcome::ClusterNotFound:
    case routing::Outcome::NoHealthyUpstream: {
        std::string list;
        for (const auto& d : destinations) {
            list += list.empty() ? "" : ", ";
            list += shortHost(d.host) + (d.subset.empty() ? "" : " " + d.subset);
            if (destinations.size() > 1)
                list += " " +
                        metrics::TrafficReportText::fixed(d.percent,
                                                          d.percent == static_cast<int>(d.percent) ? 0 : 1) +
                        "%";
        }
        out += "-> " + (list.empty() ? std::string("?") : list);
        if (outcome != routing::Outcome::Forward)
            out += " (" + std::to_string(status) + " " + responseFlag + ")";
        break;
    }
    case routing::Outcome::Redirect:
        out += std::to_string(status) + " redirect to " + location;
        break;
    default:
        out += status ? std::to_string(status) : std::string(routing::outcomeName(outcome));
        if (!responseFlag.empty())
            out += " " + responseFlag;
        break;
    }
    return out;
}

bool RouteSummary::sameRouting(const RouteSummary& o) const {
    return outcome == o.outcome && status == o.status && responseFlag == o.responseFlag &&
           destinations == o.destinations && location == o.location && virtualService == o.virtualService &&
           (ruleName.empty() || o.ruleName.empty() || ruleName == o.ruleName);
}

RouteSummary summarizeRoute(const routing::RouteTable& table, const routing::Request& request) {
    routing::Rng rng(1);
    const routing::Decision d = table.route(request, rng, routing::Explain::No);
    RouteSummary s;
    s.outcome = d.outcome;
    s.status = d.status;
    s.responseFlag = d.responseFlag;
    s.virtualService = d.origin.virtualService;
    s.ruleIndex = d.origin.ruleIndex;
    s.matchIndex = d.origin.matchIndex;
    s.ruleName = d.origin.ruleName;
    s.location = d.location;
    if (const routing::RouteAction* action = routeActionOf(table, d.origin, request.mesh);
        action && action->kind == routing::RouteAction::Kind::Route && action->totalWeight > 0) {
        for (const auto& w : action->destinations)
            s.destinations.push_back(
                {w.destination.host, w.destination.subset, w.destination.port,
                 100.0 * static_cast<double>(w.weight) / static_cast<double>(action->totalWeight)});
    } else if (d.destination) {
        s.destinations.push_back({d.destination->host, d.destination->subset, d.destination->port, 100.0});
    }
    std::sort(s.destinations.begin(), s.destinations.end(),
              [](const WeightedTarget& a, const WeightedTarget& b) {
                  return std::tie(a.host, a.subset, a.port) < std::tie(b.host, b.subset, b.port);
              });
    return s;
}

std::vector<metrics::DestinationWeight>
expectedSplit(const routing::RouteTable& table, const std::shared_ptr<const RequestProfile>& profile,
              std::uint32_t gatewayPort, bool tls, const std::string& defaultAuthority, std::size_t samples) {
    ProfileSource source(profile, defaultAuthority, tls ? "https" : "http", 0x5711);
    const double total = profile->totalWeight();
    std::map<std::pair<std::string, std::string>, double> shares;
    double forwarded = 0;
    routing::Rng rng(7);
    routing::Request request;
    for (std::size_t i = 0; i < profile->requests.size(); ++i) {
        const ProfileRequest& t = profile->requests[i];
        if (t.weight <= 0)
            continue;
        const bool dynamic = t.host.hasVariables() || t.path.hasVariables() ||
                             std::any_of(t.headers.begin(), t.headers.end(),
                                         [](const auto& h) { return h.second.hasVariables(); });
        const std::size_t n = dynamic ? std::max<std::size_t>(samples, 1) : 1;
        const double each = t.weight / total / static_cast<double>(n);
        for (std::size_t k = 0; k < n; ++k) {
            const RenderedRequest& r = source.renderTemplate(i, k);
            fillRoutingRequest(r, gatewayPort, tls, request);
            const routing::Decision d = table.route(request, rng, routing::Explain::No);
            if (d.outcome != routing::Outcome::Forward)
                continue;
            const routing::RouteAction* action = routeActionOf(table, d.origin, request.mesh);
            if (action && action->kind == routing::RouteAction::Kind::Route && action->totalWeight > 0) {
                for (const auto& w : action->destinations)
                    shares[{w.destination.host, w.destination.subset}] +=
                        each * static_cast<double>(w.weight) / static_cast<double>(action->totalWeight);
            } else if (d.destination) {
                shares[{d.destination->host, d.destination->subset}] += each;
            }
            forwarded += each;
        }
    }
    std::vector<metrics::DestinationWeight> out;
    if (forwarded <= 0)
        return out;
    for (const auto& [key, share] : shares)
        out.push_back({key.first, key.second, 100.0 * share / forwarded});
    return out;
}

} // namespace sluice::traffic
