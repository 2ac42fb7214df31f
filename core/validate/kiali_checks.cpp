// SPDX-License-Identifier: Apache-2.0
// Kiali validations (kiali/kiali business/checkers) that istioctl analyze lacks, as SLU0101..SLU0105.
// The table of codes is in analyzers.cpp.

#include "analyzer_families.h"
#include "resource_reporter.h"

#include <map>
#include <set>

namespace sluice::validate {
namespace {

/// SLU0101 (KIA0201): two DestinationRules for one host define the same subset (or one of them
/// has no subsets, and so covers them all). Istio merges them and the first one wins.
void checkDestinationRuleMultiMatch(const std::vector<model::DestinationRule>& rules,
                                    model::Diagnostics& out) {
    // fqdn -> subset name ("~" for a rule without subsets) -> rules.
    std::map<std::string, std::map<std::string, std::vector<std::size_t>>> byHost;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const auto& dr = rules[i];
        // Wildcard hosts and workload-scoped rules apply differently; Kiali skips the former too.
        if (dr.spec.host.value.starts_with('*') || dr.spec.workloadSelector)
            continue;
        auto& subsets = byHost[convertHostToFqdn(dr.header.ns(), dr.spec.host.value)];
        if (dr.spec.subsets.empty())
            subsets["~"].push_back(i);
        for (const auto& s : dr.spec.subsets)
            subsets[s.name.value].push_back(i);
    }
    std::map<std::size_t, std::set<std::size_t>> clashes;
    for (const auto& [host, subsets] : byHost) {
        const auto all = subsets.find("~");
        for (const auto& [name, users] : subsets)
            for (const auto a : users) {
                for (const auto b : users)
                    if (a != b)
                        clashes[a].insert(b);
                if (all != subsets.end() && name != "~")
                    for (const auto b : all->second)
                        if (a != b) {
                            clashes[a].insert(b);
                            clashes[b].insert(a);
                        }
            }
    }
    for (const auto& [i, others] : clashes) {
        const auto& dr = rules[i];
        std::vector<std::string> names;
        for (const auto o : others)
            names.push_back(rules[o].header.ns() + "/" + rules[o].header.name());
        ResourceReporter report(out, dr);
        report.report("SLU0101", model::Level::Warning, "spec.host", dr.spec.host.span,
                      "More than one DestinationRule for the same host subset combination (host " +
                          convertHostToFqdn(dr.header.ns(), dr.spec.host.value) + ", also " +
                          join(names, ", ") + "); Istio merges them and the first one wins.");
    }
}

/// SLU0102 (KIA0203) and SLU0103 (KIA0209) on the subsets of one DestinationRule.
void checkSubsets(const AnalyzerIndex& index, const model::DestinationRule& dr,
                  const std::set<std::string>& routedSubsets, model::Diagnostics& out) {
    ResourceReporter report(out, dr);
    const FullName host = resourceNameFromHost(dr.header.ns(), dr.spec.host.value);
    const model::Service* service = index.service(host);
    for (std::size_t i = 0; i < dr.spec.subsets.size(); ++i) {
        const auto& subset = dr.spec.subsets[i];
        const std::string field = "spec.subsets[" + std::to_string(i) + "].name";
        if (subset.labels.empty()) {
            report.report(
                "SLU0103", model::Level::Warning, field, subset.name.span,
                "Subset " + subset.name.value +
                    " has no labels: it selects every endpoint of the host, like no subset at all.");
            continue;
        }
        // Only for subsets some route uses (kiali#4218), with known workloads, behind a Service with a
        // selector; IST0173 already covers subsets whose labels select no pod at all.
        if (!index.inputHasWorkloads() || !service || service->spec.selector.empty() ||
            !routedSubsets.contains(host.ns + "/" + host.name + "/" + subset.name.value))
            continue;
        const Labels subsetLabels = toLabels(subset.labels);
        if (!index.anyWorkloadSelected(subsetLabels))
            continue;
        Labels selector = toLabels(service->spec.selector);
        for (const auto& [k, v] : subsetLabels)
            selector[k] = v;
        if (index.anyWorkloadSelectedIn(host.ns, selector))
            continue;
        report.report("SLU0102", model::Level::Warning, field, subset.name.span,
                      "This subset's labels are not found in any matching host: no workload of Service " +
                          host.ns + "/" + host.name + " (selector " + selectorString(service->spec.selector) +
                          ") carries the labels of subset " + subset.name.value +
                          "; requests routed to it fail with 503 UH (NoHealthyUpstream).");
    }
}

/// SLU0104 (KIA1104) and SLU0105 (KIA1105) on one route's destinations.
template <class Destinations>
void checkRoute(const model::VirtualService& vs, const Destinations& route, const std::string& path,
                ResourceReporter& report) {
    if (route.size() == 1 && route[0].weight.present && route[0].weight.value > 0 &&
        route[0].weight.value < 100)
        report.report("SLU0104", model::Level::Warning, path + "[0].weight", route[0].weight.span,
                      "The weight is assumed to be 100 because there is only one route destination.");
    std::map<std::string, std::vector<std::size_t>> seen;
    for (std::size_t j = 0; j < route.size(); ++j)
        if (const auto& d = route[j].destination)
            seen[convertHostToFqdn(vs.header.ns(), d->host.value) + "\n" + d->subset.value].push_back(j);
    for (const auto& [key, positions] : seen) {
        if (positions.size() < 2)
            continue;
        for (const auto j : positions)
            report.report("SLU0105", model::Level::Warning,
                          path + "[" + std::to_string(j) + "].destination.host",
                          route[j].destination->host.span,
                          "This host subset combination is already referenced in another route destination.");
    }
}

void checkRoutes(const model::VirtualService& vs, model::Diagnostics& out) {
    ResourceReporter report(out, vs);
    auto all = [&](const auto& rules, const char* kind) {
        for (std::size_t i = 0; i < rules.size(); ++i)
            checkRoute(vs, rules[i].route, "spec." + std::string(kind) + "[" + std::to_string(i) + "].route",
                       report);
    };
    all(vs.spec.http, "http");
    all(vs.spec.tcp, "tcp");
    all(vs.spec.tls, "tls");
}

} // namespace

void runKialiChecks(const AnalyzerIndex& index, model::Diagnostics& out) {
    const auto& resources = index.resources();
    checkDestinationRuleMultiMatch(resources.destinationRules, out);

    std::set<std::string> routedSubsets; // "ns/name/subset" as util.GetResourceNameFromHost resolves it
    for (const auto& vs : resources.virtualServices) {
        auto add = [&](const std::optional<model::Destination>& d) {
            if (d && !d->subset.value.empty()) {
                const FullName host = resourceNameFromHost(vs.header.ns(), d->host.value);
                routedSubsets.insert(host.ns + "/" + host.name + "/" + d->subset.value);
            }
        };
        for (const auto& http : vs.spec.http)
            for (const auto& r : http.route)
                add(r.destination);
        for (const auto& tcp : vs.spec.tcp)
            for (const auto& r : tcp.route)
                add(r.destination);
        for (const auto& tls : vs.spec.tls)
            for (const auto& r : tls.route)
                add(r.destination);
        checkRoutes(vs, out);
    }
    for (const auto& dr : resources.destinationRules)
        checkSubsets(index, dr, routedSubsets, out);
}

} // namespace sluice::validate
