// SPDX-License-Identifier: Apache-2.0
// serviceentry.ProtocolAddressesAnalyzer (protocoladdresses.go) and
// serviceentry.ConflictingServiceEntryProtocolAnalyzer (conflictingserviceentries.go).

#include "analyzer_families.h"
#include "resource_reporter.h"

#include <map>
#include <set>
#include <tuple>

namespace sluice::validate {
namespace {

/// TCP (or unset) ports need a virtual IP unless one is allocated. Offline there is no mesh config
/// enabling DNS auto-allocation and no status.addresses, as in istioctl's file-only default.
void checkAddresses(const model::ServiceEntry& se, model::Diagnostics& out) {
    if (!se.spec.addresses.empty())
        return;
    ResourceReporter report(out, se);
    for (std::size_t i = 0; i < se.spec.ports.size(); ++i) {
        const auto& port = se.spec.ports[i];
        if (!port.protocol.value.empty() && lower(port.protocol.value) != "tcp")
            continue;
        report.report("IST0134", model::Level::Warning, "spec.ports[" + std::to_string(i) + "].name",
                      port.name.span, "ServiceEntry addresses are required for this protocol.");
    }
}

struct ProtocolUse {
    std::string protocol;
    const model::ServiceEntry* entry;
};

std::string fullName(const model::ServiceEntry& se) {
    return se.header.ns() + "/" + se.header.name();
}

void checkConflictingProtocols(const std::vector<model::ServiceEntry>& entries, model::Diagnostics& out) {
    using Key = std::tuple<std::string, std::string, std::uint32_t>; // scope, host (as written), port
    std::map<Key, std::vector<ProtocolUse>> uses;
    for (const auto& se : entries) {
        std::set<std::string> scopes;
        if (exportsToAll(se.spec.exportTo))
            scopes.insert("*");
        else
            for (const auto& e : se.spec.exportTo)
                scopes.insert(e.value == "." ? se.header.ns() : e.value);
        for (const auto& scope : scopes)
            for (const auto& host : se.spec.hosts)
                for (const auto& port : se.spec.ports)
                    uses[{scope, host.value, port.number.value}].push_back({port.protocol.value, &se});
    }

    std::set<const model::ServiceEntry*> reported;
    for (const auto& [key, list] : uses) {
        const auto& [scope, host, port] = key;
        std::vector<ProtocolUse> all = list;
        if (scope != "*")
            if (const auto star = uses.find({"*", host, port}); star != uses.end())
                all.insert(all.end(), star->second.begin(), star->second.end());
        std::set<std::string> protocols;
        for (const auto& use : all) {
            std::string upper = use.protocol;
            for (auto& c : upper)
                c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
            protocols.insert(upper);
        }
        if (protocols.size() < 2)
            continue;
        std::set<std::string> names;
        for (const auto& use : all)
            names.insert(fullName(*use.entry));
        const std::string message =
            "ServiceEntries " + join({names.begin(), names.end()}, ", ") + " define the same host " + host +
            " and port " + std::to_string(port) +
            " with conflicting protocols: " + join({protocols.begin(), protocols.end()}, ", ") + ".";
        for (const auto& use : all) {
            if (!reported.insert(use.entry).second)
                continue;
            ResourceReporter report(out, *use.entry);
            report.report("IST0177", model::Level::Warning, "metadata.name",
                          use.entry->header.metadata.name.span, message);
        }
    }
}

} // namespace

void analyzeServiceEntries(const AnalyzerIndex& index, model::Diagnostics& out) {
    const auto& entries = index.resources().serviceEntries;
    for (const auto& se : entries)
        checkAddresses(se, out);
    checkConflictingProtocols(entries, out);
}

} // namespace sluice::validate
