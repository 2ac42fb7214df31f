// SPDX-License-Identifier: Apache-2.0
#include "validator.h"

#include "rules.h"

#include <algorithm>

namespace sluice::validate {

model::Diagnostics validate(const model::ResourceSet& resources, const ValidateOptions& options) {
    model::Diagnostics out;
    for (const auto& r : resources.gateways)
        checkGatewaySchema(r, out);
    for (const auto& r : resources.virtualServices)
        checkVirtualServiceSchema(r, out);
    for (const auto& r : resources.destinationRules)
        checkDestinationRuleSchema(r, out);
    for (const auto& r : resources.serviceEntries)
        checkServiceEntrySchema(r, out);
    for (const auto& r : resources.workloads)
        checkWorkloadSchema(r, out);
    checkAnnotations(resources, out);
    runAnalyzers(resources, options, out);

    removeSuppressed(out, resources, options.suppressions);
    std::stable_sort(out.begin(), out.end(), [](const model::Diagnostic& a, const model::Diagnostic& b) {
        return std::tie(a.span.file, a.span.line, a.span.column, a.code) <
               std::tie(b.span.file, b.span.line, b.span.column, b.code);
    });
    return out;
}

} // namespace sluice::validate
