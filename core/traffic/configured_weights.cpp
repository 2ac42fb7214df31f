// SPDX-License-Identifier: Apache-2.0
#include "configured_weights.h"

#include <map>
#include <tuple>

namespace sluice::traffic {
namespace {

bool same(const model::SourceSpan& a, int rule, int match, const routing::RouteOrigin& o) {
    return a == o.span && rule == o.ruleIndex && match == o.matchIndex;
}

const routing::RouteAction* findIn(const routing::RouteConfig* config, const model::SourceSpan& span,
                                   int rule, int match) {
    if (!config)
        return nullptr;
    for (const auto& vhost : config->virtualHosts())
        for (const auto& route : vhost.routes)
            if (same(span, rule, match, route.origin))
                return route.action.get();
    return nullptr;
}

} // namespace

ConfiguredWeights::ConfiguredWeights(const routing::RouteTable& table)
    : m_table(table) {}

void ConfiguredWeights::count(const routing::Decision& decision) {
    if (!decision.destination)
        return;
    const routing::RouteOrigin& o = decision.origin;
    if (m_last < m_seen.size() && same(m_seen[m_last].span, m_seen[m_last].rule, m_seen[m_last].match, o)) {
        ++m_seen[m_last].requests;
        return;
    }
    for (std::size_t i = 0; i < m_seen.size(); ++i)
        if (same(m_seen[i].span, m_seen[i].rule, m_seen[i].match, o)) {
            ++m_seen[i].requests;
            m_last = i;
            return;
        }
    m_last = m_seen.size();
    m_seen.push_back({o.span, o.ruleIndex, o.matchIndex, 1});
}

const routing::RouteAction* ConfiguredWeights::actionOf(const Seen& seen) const {
    for (const auto& [port, listener] : m_table.listeners()) {
        if (const auto* a = findIn(listener.http.get(), seen.span, seen.rule, seen.match))
            return a;
        for (const auto& chain : listener.chains)
            if (const auto* a = findIn(chain.http.get(), seen.span, seen.rule, seen.match))
                return a;
    }
    return nullptr;
}

std::vector<metrics::DestinationWeight> ConfiguredWeights::weights() const {
    std::uint64_t total = 0;
    for (const Seen& s : m_seen)
        total += s.requests;
    std::map<std::pair<std::string, std::string>, double> percent;
    for (const Seen& s : m_seen) {
        const routing::RouteAction* action = actionOf(s);
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
