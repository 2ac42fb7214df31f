// SPDX-License-Identifier: Apache-2.0
// gateway.ConflictingGatewayAnalyzer (istio/istio pkg/config/analysis/analyzers/gateway/
// conflictinggateway.go): Gateways whose selectors pick the same workload, on the same port,
// with a host (exact string, same bind) in common.

#include "analyzer_families.h"
#include "resource_reporter.h"

#include <map>
#include <set>

namespace sluice::validate {
namespace {

struct HostUse {
    std::size_t gateway; ///< index into ResourceSet::gateways
    std::string bind;
};

/// selector string -> port -> host -> gateways using it (with their bind).
using ConflictMap =
    std::map<std::string, std::map<std::uint32_t, std::map<std::string, std::vector<HostUse>>>>;

std::uint32_t portOf(const model::Server& server) {
    return server.port ? server.port->number.value : 0;
}

ConflictMap buildConflictMap(const std::vector<model::Gateway>& gateways) {
    ConflictMap map;
    for (std::size_t g = 0; g < gateways.size(); ++g) {
        // Istio keeps one host set per gateway, selector and port: the last server on that port wins.
        std::map<std::uint32_t, const model::Server*> lastServer;
        for (const auto& server : gateways[g].spec.servers)
            lastServer[portOf(server)] = &server;
        auto& bySelector = map[selectorString(gateways[g].spec.selector)];
        for (const auto& [port, server] : lastServer) {
            auto& byHost = bySelector[port];
            for (const auto& host : server->hosts)
                byHost[host.value].push_back({g, server->bind.value});
        }
    }
    return map;
}

/// Some workload is selected by both selectors (Istio checks pods; Sluice also Deployments and Workloads).
bool selectSameWorkload(const AnalyzerIndex& index, const model::StringMap& a, const Labels& b) {
    Labels merged = b;
    for (const auto& [key, value] : a) {
        const auto [it, inserted] = merged.emplace(key, value.value);
        if (!inserted && it->second != value.value)
            return false;
    }
    return index.anyWorkloadSelected(merged);
}

Labels parseSelector(std::string_view text) {
    Labels out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view pair = text.substr(0, comma);
        if (const auto eq = pair.find('='); eq != std::string_view::npos)
            out.emplace(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

} // namespace

void analyzeConflictingGateways(const AnalyzerIndex& index, model::Diagnostics& out) {
    const auto& gateways = index.resources().gateways;
    const ConflictMap map = buildConflictMap(gateways);
    std::map<std::pair<std::string, std::string>, bool> sameWorkload;

    for (std::size_t g = 0; g < gateways.size(); ++g) {
        const auto& gw = gateways[g];
        ResourceReporter report(out, gw);
        const std::string selector = selectorString(gw.spec.selector);

        std::vector<const ConflictMap::mapped_type*> hits;
        for (const auto& [other, ports] : map) {
            bool hit = other == selector;
            if (!hit &&
                (other.find(selector) != std::string::npos || selector.find(other) != std::string::npos)) {
                const auto [it, fresh] = sameWorkload.try_emplace({selector, other}, false);
                if (fresh)
                    it->second = selectSameWorkload(index, gw.spec.selector, parseSelector(other));
                hit = it->second;
            }
            if (hit)
                hits.push_back(&ports);
        }
        if (!selector.empty() && hits.empty()) {
            const auto& first = *gw.spec.selector.begin();
            report.report("IST0101", model::Level::Error, "spec.selector." + first.first, first.second.span,
                          "Referenced selector not found: " + goQuote(selector));
            continue;
        }

        for (std::size_t s = 0; s < gw.spec.servers.size(); ++s) {
            const auto& server = gw.spec.servers[s];
            std::set<std::string> conflicting;
            for (const auto* ports : hits) {
                const auto byPort = ports->find(portOf(server));
                if (byPort == ports->end())
                    continue;
                for (const auto& host : server.hosts) {
                    const auto uses = byPort->second.find(host.value);
                    if (uses == byPort->second.end())
                        continue;
                    for (const auto& use : uses->second)
                        if (use.gateway != g && use.bind == server.bind.value)
                            conflicting.insert(gateways[use.gateway].header.ns() + "/" +
                                               gateways[use.gateway].header.name());
                }
            }
            if (conflicting.empty())
                continue;
            std::vector<std::string> hosts;
            for (const auto& h : server.hosts)
                hosts.push_back(h.value);
            report.report("IST0145", model::Level::Error, "spec.servers[" + std::to_string(s) + "]", {},
                          "Conflict with gateways " + join({conflicting.begin(), conflicting.end()}, ",") +
                              " (workload selector " + selector + ", port " + std::to_string(portOf(server)) +
                              ", hosts " + join(hosts, ",") + ").");
        }
    }
}

} // namespace sluice::validate
