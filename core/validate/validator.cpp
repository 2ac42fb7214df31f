// SPDX-License-Identifier: Apache-2.0
#include "validator.h"

#include "rules.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace sluice::validate {
namespace {

constexpr std::string_view kSuppressAnnotation = "galley.istio.io/analyze-suppress";

/// resource name -> codes its `galley.istio.io/analyze-suppress` annotation silences ("*" = all).
std::map<std::string, std::set<std::string>> annotationSuppressions(const model::ResourceSet& resources) {
    std::map<std::string, std::set<std::string>> out;
    resources.forEachResource([&](const auto& r) {
        const auto it = r.header.metadata.annotations.find(kSuppressAnnotation);
        if (it == r.header.metadata.annotations.end())
            return;
        std::set<std::string>& codes = out[model::resourceName(r)];
        std::stringstream list(it->second.value);
        for (std::string code; std::getline(list, code, ',');) {
            code.erase(0, code.find_first_not_of(" \t"));
            code.erase(code.find_last_not_of(" \t") + 1);
            if (!code.empty())
                codes.insert(code);
        }
    });
    return out;
}

} // namespace

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
    checkAnnotations(resources, out);
    runAnalyzers(resources, options, out);

    const auto silenced = annotationSuppressions(resources);
    std::erase_if(out, [&](const model::Diagnostic& d) {
        if (const auto it = silenced.find(d.resource); it != silenced.end())
            if (it->second.contains("*") || it->second.contains(d.code))
                return true;
        return std::any_of(options.suppressions.begin(), options.suppressions.end(),
                           [&](const Suppression& s) { return s.matches(d); });
    });
    std::stable_sort(out.begin(), out.end(), [](const model::Diagnostic& a, const model::Diagnostic& b) {
        return std::tie(a.span.file, a.span.line, a.span.column, a.code) <
               std::tie(b.span.file, b.span.line, b.span.column, b.code);
    });
    return out;
}

} // namespace sluice::validate
