// SPDX-License-Identifier: Apache-2.0
// Istio's ValidateDestinationRule (pkg/config/validation/validation.go), VALIDATION_NOTES.md D1-D10:
// host, subsets, exportTo and workloadSelector here; traffic policies in traffic_policy_rules.cpp,
// load balancing in load_balancer_rules.cpp, client TLS in client_tls_rules.cpp.

#include "export_to.h"
#include "field_checks.h"
#include "names.h"
#include "resource_reporter.h"
#include "rules.h"
#include "traffic_policy_rules.h"

#include <set>
#include <string>

namespace sluice::validate {
namespace {

void reportLabelProblems(ResourceReporter& r, const model::StringMap& labels,
                         const std::vector<LabelProblem>& problems, const std::string& field,
                         model::SourceSpan fallback) {
    for (const auto& p : problems) {
        const auto it = labels.find(p.key);
        const model::SourceSpan at =
            it != labels.end() && it->second.span.known() ? it->second.span : fallback;
        r.error(field + "." + p.key, at, p.message);
    }
}

void checkSubset(ResourceReporter& r, std::string_view ns, const model::Subset& subset,
                 const std::string& field) {
    if (subset.name.value.empty())
        r.error(field + ".name", subset.span, "subset name cannot be empty");
    else if (!isDns1123Label(subset.name.value))
        r.error(field + ".name", subset.name.span, "subset name is invalid: " + subset.name.value);
    reportLabelProblems(r, subset.labels, checkLabels(subset.labels), field + ".labels", subset.span);
    if (subset.trafficPolicy)
        checkTrafficPolicy(r, ns, *subset.trafficPolicy, field + ".trafficPolicy");
}

} // namespace

void checkDestinationRuleSchema(const model::DestinationRule& dr, model::Diagnostics& out) {
    ResourceReporter r(out, dr);
    const auto& spec = dr.spec;
    const std::string& ns = dr.header.ns();

    if (auto e = checkIstioWildcardDomain(spec.host.value); !e.empty())
        r.error("spec.host", spec.host.span, std::move(e));
    if (spec.trafficPolicy)
        checkTrafficPolicy(r, ns, *spec.trafficPolicy, "spec.trafficPolicy");

    std::set<std::string, std::less<>> names;
    for (std::size_t i = 0; i < spec.subsets.size(); ++i) {
        const auto& subset = spec.subsets[i];
        const std::string field = "spec.subsets[" + std::to_string(i) + "]";
        if (!names.insert(subset.name.value).second)
            r.error(field + ".name", subset.name.span.known() ? subset.name.span : subset.span,
                    "duplicate subset names: " + subset.name.value);
        checkSubset(r, ns, subset, field);
    }

    checkExportTo(r, ns, spec.exportTo, false, spec.workloadSelector.has_value());

    if (const auto& selector = spec.workloadSelector) {
        const auto& labels = selector->matchLabels;
        reportLabelProblems(r, labels, checkSelectorLabels(labels), "spec.workloadSelector.matchLabels", {});
        if (labels.empty())
            r.warning("spec.workloadSelector", selector->span, "workload selector specified without labels");
    }
}

} // namespace sluice::validate
