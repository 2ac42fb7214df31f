// SPDX-License-Identifier: Apache-2.0
// virtualservice.ConflictingMeshGatewayHostsAnalyzer (conflictingmeshgatewayhosts.go): sidecars do not
// merge VirtualServices, so two mesh-bound VirtualServices for one host are undefined behaviour.
// Gateway-bound VirtualServices are merged by the gateway and are not reported.

#include "analyzer_families.h"
#include "resource_reporter.h"

#include <map>
#include <set>

namespace sluice::validate {
namespace {

bool boundToMesh(const model::VirtualService& vs) {
    if (vs.spec.gateways.empty())
        return true;
    for (const auto& g : vs.spec.gateways)
        if (g.value == "mesh")
            return true;
    return false;
}

std::string fullName(const model::VirtualService& vs) {
    return vs.header.ns() + "/" + vs.header.name();
}

} // namespace

void analyzeMeshHostConflicts(const AnalyzerIndex& index, model::Diagnostics& out) {
    // util.ScopedFqdn ("<scope>/<fqdn>") -> mesh-bound VirtualServices defining it.
    std::map<std::string, std::vector<const model::VirtualService*>> byHost;
    for (const auto& vs : index.resources().virtualServices) {
        if (!boundToMesh(vs))
            continue;
        const std::string& ns = vs.header.ns();
        std::set<std::string> scopes;
        if (exportsToAll(vs.spec.exportTo))
            scopes.insert("*");
        else
            for (const auto& e : vs.spec.exportTo)
                scopes.insert(e.value == "." ? ns : e.value);
        for (const auto& scope : scopes)
            for (const auto& host : vs.spec.hosts)
                byHost[scopedFqdn(scope, ns, host.value)].push_back(&vs);
    }

    // Entries exported to all namespaces whose host is a wildcard: the only ones a scoped host can
    // match without being equal to it.
    std::vector<const decltype(byHost)::value_type*> wildcards;
    for (const auto& entry : byHost)
        if (entry.first.starts_with("*/*"))
            wildcards.push_back(&entry);

    std::set<const model::VirtualService*> reported;
    for (const auto& [scoped, list] : byHost) {
        std::vector<const model::VirtualService*> conflicting = list;
        const auto slash = scoped.find('/');
        const std::string_view scope = std::string_view(scoped).substr(0, slash);
        if (scope != "*") {
            // getExportToAllNamespacesVSListForScopedHost: plus every VirtualService exported to all
            // namespaces whose host overlaps this one.
            const std::string_view host = std::string_view(scoped).substr(slash + 1);
            auto add = [&](const auto& others) {
                conflicting.insert(conflicting.end(), others.begin(), others.end());
            };
            if (host.starts_with('*')) {
                for (const auto& [other, others] : byHost)
                    if (other.starts_with("*/") && hostMatches(host, std::string_view(other).substr(2)))
                        add(others);
            } else {
                if (const auto exact = byHost.find("*/" + std::string(host)); exact != byHost.end())
                    add(exact->second);
                for (const auto* entry : wildcards)
                    if (hostMatches(host, std::string_view(entry->first).substr(2)))
                        add(entry->second);
            }
        }
        if (conflicting.size() < 2)
            continue;
        std::vector<std::string> names;
        for (const auto* vs : conflicting)
            names.push_back(fullName(*vs));
        const std::string joined = join(names, ",");
        for (const auto* vs : conflicting) {
            if (!reported.insert(vs).second)
                continue;
            ResourceReporter report(out, *vs);
            report.report(
                "IST0109", model::Level::Error, "metadata.name", vs->header.metadata.name.span,
                "The VirtualServices " + joined + " associated with mesh gateway define the same host " +
                    scoped +
                    " which can lead to undefined behavior. This can be fixed by merging the conflicting "
                    "VirtualServices into a single resource.");
        }
    }
}

} // namespace sluice::validate
