// SPDX-License-Identifier: Apache-2.0
#include "export_to.h"

#include "names.h"

#include <set>
#include <string>

namespace sluice::validate {
namespace {

/// visibility.Instance.Validate.
std::string checkVisibility(std::string_view v) {
    if (v == "." || v == "*")
        return {};
    if (v == "~")
        return "exportTo ~ (none) is not allowed for Istio configuration objects";
    if (!isDns1123Label(v))
        return "only .,*, or a valid DNS 1123 label is allowed as exportTo entry";
    return {};
}

} // namespace

void checkExportTo(ResourceReporter& reporter, std::string_view ns,
                   const std::vector<model::Located<std::string>>& exportTo, bool isServiceEntry,
                   bool isDestinationRuleWithSelector) {
    if (exportTo.empty())
        return;
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < exportTo.size(); ++i) {
        if (!exportTo[i].present)
            continue; // the loader already rejected it
        const std::string& entry = exportTo[i].value;
        const std::string key = entry == "." ? std::string(ns) : entry;
        const std::string field = "spec.exportTo[" + std::to_string(i) + "]";
        if (seen.contains(key)) {
            reporter.error(field, exportTo[i].span,
                           key != entry
                               ? "duplicate entries in exportTo: . and current namespace " + std::string(ns)
                               : "duplicate entries in exportTo for entry " + entry);
            continue;
        }
        if (isServiceEntry && entry == "~") {
            seen.insert(key);
        } else if (auto e = checkVisibility(key); !e.empty()) {
            reporter.error(field, exportTo[i].span, std::move(e));
        } else {
            seen.insert(key);
        }
    }
    const model::SourceSpan at = exportTo.front().span;
    if (isDestinationRuleWithSelector && !seen.empty()) {
        if (!seen.contains(ns))
            reporter.error(
                "spec.exportTo", at,
                "destination rule with workload selector cannot have exportTo beyond current namespace");
        else if (seen.size() > 1)
            reporter.error(
                "spec.exportTo", at,
                "destination rule with workload selector cannot have multiple entries in exportTo");
    }
    if (seen.contains("*") && exportTo.size() > 1)
        reporter.error("spec.exportTo", at,
                       "cannot have both public (*) and non-public exportTo values for a resource");
    if (seen.contains("~") && exportTo.size() > 1)
        reporter.error("spec.exportTo", at, "cannot export service entry to no one (~) and someone");
}

} // namespace sluice::validate
