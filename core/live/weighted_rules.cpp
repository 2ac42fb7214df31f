// SPDX-License-Identifier: Apache-2.0
#include "weighted_rules.h"

#include <algorithm>

namespace sluice::live {
namespace {

void collect(const routing::RouteConfig* config, std::vector<WeightedRule>& out) {
    if (!config)
        return;
    for (const routing::VirtualHost& vhost : config->virtualHosts())
        for (const routing::CompiledRoute& route : vhost.routes) {
            const routing::RouteAction* action = route.action.get();
            if (!action || action->kind != routing::RouteAction::Kind::Route ||
                action->destinations.size() < 2)
                continue;
            RuleId id{route.origin.virtualService, route.origin.ruleIndex, route.origin.ruleName};
            if (std::any_of(out.begin(), out.end(), [&](const WeightedRule& r) { return r.rule == id; }))
                continue;
            WeightedRule& rule = out.emplace_back();
            rule.rule = std::move(id);
            for (const routing::WeightedDestination& d : action->destinations) {
                const double percent = action->totalWeight ? 100.0 * static_cast<double>(d.weight) /
                                                                 static_cast<double>(action->totalWeight)
                                                           : 0.0;
                rule.targets.push_back(
                    {d.destination.host, d.destination.subset, d.destination.port, percent});
            }
        }
}

} // namespace

std::vector<WeightedRule> weightedRules(const routing::RouteTable& table) {
    std::vector<WeightedRule> out;
    for (const auto& [port, listener] : table.listeners()) {
        collect(listener.http.get(), out);
        for (const routing::FilterChain& chain : listener.chains)
            collect(chain.http.get(), out);
    }
    return out;
}

} // namespace sluice::live
