// SPDX-License-Identifier: Apache-2.0
// destinationrule.CaCertificateAnalyzer (ca-certificates.go) and destinationrule.PodNotSelectedAnalyzer
// (subset.go).

#include "analyzer_families.h"
#include "resource_reporter.h"

namespace sluice::validate {
namespace {

/// SIMPLE or MUTUAL client TLS that does not verify the server: no caCertificates, and not the
/// credentialName + workloadSelector combination (where the CA comes from the credential).
const char* unverifiedMode(const std::optional<model::ClientTlsSettings>& tls,
                           const model::DestinationRule& dr) {
    if (!tls || !tls->mode.present)
        return nullptr;
    const auto mode = tls->mode.value;
    if (mode != model::ClientTlsMode::Simple && mode != model::ClientTlsMode::Mutual)
        return nullptr;
    if (!tls->caCertificates.value.empty())
        return nullptr;
    if (!tls->credentialName.value.empty() && dr.spec.workloadSelector)
        return nullptr;
    return mode == model::ClientTlsMode::Simple ? "SIMPLE" : "MUTUAL";
}

void checkCaCertificates(const model::DestinationRule& dr, model::Diagnostics& out) {
    if (!dr.spec.trafficPolicy)
        return;
    ResourceReporter report(out, dr);
    const auto& policy = *dr.spec.trafficPolicy;
    const std::string name = dr.header.ns() + "/" + dr.header.name();
    const std::string prefix =
        "DestinationRule " + name + " in namespace " + dr.header.ns() + " has TLS mode set to ";
    const std::string host = dr.spec.host.value;
    if (const char* mode = unverifiedMode(policy.tls, dr))
        // Istio looks for {.spec.trafficPolicy.tls.caCertificates}: the document when it is absent.
        report.report("IST0128", model::Level::Warning, "spec.trafficPolicy.tls.caCertificates",
                      policy.tls->caCertificates.span,
                      prefix + mode +
                          " but no caCertificates are set to validate server identity for host: " + host);
    for (std::size_t i = 0; i < policy.portLevelSettings.size(); ++i) {
        const auto& port = policy.portLevelSettings[i];
        const char* mode = unverifiedMode(port.tls, dr);
        if (!mode)
            continue;
        const std::string number = port.port ? std::to_string(port.port->number.value) : std::string("0");
        report.report("IST0129", model::Level::Warning,
                      "spec.trafficPolicy.portLevelSettings[" + std::to_string(i) + "].tls.caCertificates",
                      port.tls->caCertificates.span,
                      prefix + mode +
                          " but no caCertificates are set to validate server identity for host: " + host +
                          " at port number:" + number);
    }
}

void checkHostAndSubsets(const AnalyzerIndex& index, const model::DestinationRule& dr,
                         model::Diagnostics& out) {
    ResourceReporter report(out, dr);
    const DestinationHost* host = index.destinationHost(dr.header.ns(), dr.spec.exportTo, dr.spec.host.value);
    if (!host) {
        report.report("IST0174", model::Level::Warning, "spec.host", {},
                      "The host " + dr.spec.host.value +
                          " defined in the DestinationRule does not match any services in the mesh.");
        return;
    }
    // Which pods a subset selects is only known when the input holds the workloads.
    if (!index.inputHasWorkloads())
        return;
    for (std::size_t i = 0; i < dr.spec.subsets.size(); ++i) {
        const auto& subset = dr.spec.subsets[i];
        // labels.Merge(serviceEntry.workloadSelector, subset.labels): the subset wins on conflicts.
        Labels selector = host->workloadSelector;
        for (const auto& [key, value] : subset.labels)
            selector[key] = value.value;
        if (index.anyTopologyWorkloadSelected(selector))
            continue;
        report.report(
            "IST0173", model::Level::Error, "spec.subsets[" + std::to_string(i) + "]", {},
            "The Subset " + subset.name.value +
                " defined in the DestinationRule does not select any pods. Which may lead to 503 UH "
                "(NoHealthyUpstream).");
    }
}

} // namespace

void analyzeDestinationRules(const AnalyzerIndex& index, model::Diagnostics& out) {
    for (const auto& dr : index.resources().destinationRules) {
        checkCaCertificates(dr, out);
        checkHostAndSubsets(index, dr, out);
    }
}

} // namespace sluice::validate
