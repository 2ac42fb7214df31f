// SPDX-License-Identifier: Apache-2.0
#include "configured_weights.h"

#include "route_lookup.h"

#include <map>
#include <tuple>

namespace sluice::traffic {
namespace {

/// The same route: the same rule and match of the same route config.
bool same(const routing::RouteOrigin& a, const routing::RouteOrigin& b) {
    return a.ruleIndex == b.ruleIndex && a.matchIndex == b.matchIndex && a.span == b.span &&
           a.routeConfig == b.routeConfig;
}

} // namespace

ConfiguredWeights::ConfiguredWeights(const routing::RouteTable& table)
    : m_table(table) {}

void ConfiguredWeights::count(const routing::Decision& decision) {
    if (!decision.destination)
        return;
    const routing::RouteOrigin& o = decision.origin;
    if (m_last < m_seen.size() && same(m_seen[m_last].origin, o)) {
        ++m_seen[m_last].requests;
        return;
    }
    for (std::size_t i = 0; i < m_seen.size(); ++i)
        if (same(m_seen[i].origin, o)) {
            ++m_seen[i].requests;
            m_last = i;
            return;
        }
    m_last = m_seen.size();
    m_seen.push_back({o, 1});
}

std::vector<metrics::DestinationWeight> ConfiguredWeights::weights() const {
    std::uint64_t total = 0;
    for (const Seen& s : m_seen)
        total += s.requests;
    std::map<std::pair<std::string, std::string>, double> percent;
    for (const Seen& s : m_seen) {
        const routing::RouteAction* action = routeActionOf(m_table, s.origin);
        if (!action || action->destinations.empty() || total == 0)
            continue;
        const double routeShare = static_cast<double>(s.requests) / static_cast<double>(total);
        const std::size_t n = action->destinations.size();
        for (const auto& d : action->destinations) {
            const double weightShare = n == 1                ? 1.0
                                       : action->totalWeight ? static_cast<double>(d.weight) /
                                                                   static_cast<double>(action->totalWeight)
                                                             : 0.0;
            percent[{d.destination.host, d.destination.subset}] += 100.0 * routeShare * weightShare;
        }
    }
    std::vector<metrics::DestinationWeight> out;
    for (const auto& [key, value] : percent)
        out.push_back({key.first, key.second, value});
    return out;
}

} // namespace sluice::traffic
