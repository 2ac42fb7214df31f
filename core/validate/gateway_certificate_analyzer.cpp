// SPDX-License-Identifier: Apache-2.0
// gateway.SecretAnalyzer (gateway/secret.go) and gateway.CertificateAnalyzer (gateway/certificate.go).

#include "analyzer_families.h"
#include "credential_check.h"
#include "resource_reporter.h"

#include <ctime>
#include <map>

namespace sluice::validate {
namespace {

std::string fullName(const model::Gateway& gw) {
    return gw.header.ns() + "/" + gw.header.name();
}

/// Secrets are looked up in the namespace of the gateway WORKLOAD, not of the Gateway resource.
void checkCredentials(const AnalyzerIndex& index, model::Diagnostics& out) {
    const std::time_t now = std::time(nullptr);
    for (const auto& gw : index.resources().gateways) {
        ResourceReporter report(out, gw);
        const auto& matched = index.selectedWorkloads(gw.spec.selector);
        if (matched.empty()) {
            const auto& selector = gw.spec.selector;
            const bool none = selector.empty();
            report.report("IST0101", model::Level::Error,
                          none ? "spec.selector" : "spec.selector." + selector.begin()->first,
                          none ? model::SourceSpan{} : selector.begin()->second.span,
                          "Referenced selector not found: " + goQuote(selectorString(selector)));
            continue;
        }
        const std::string& workloadNs = index.workloads()[matched.front()].ns;
        for (std::size_t i = 0; i < gw.spec.servers.size(); ++i) {
            const auto& tls = gw.spec.servers[i].tls;
            if (!tls || tls->credentialName.value.empty())
                continue;
            const auto& credential = tls->credentialName;
            const std::string field = "spec.servers[" + std::to_string(i) + "].tls.credentialName";
            const FullName name = shortOrFullName(workloadNs, credential.value);
            const model::Secret* secret = index.secret(name);
            if (!secret) {
                report.report("IST0101", model::Level::Error, field, credential.span,
                              "Referenced credentialName not found: " + goQuote(credential.value));
                continue;
            }
            const std::string secretName = name.ns + "/" + name.name;
            const CredentialProblems problems = checkGatewayCredential(*secret, now);
            if (!problems.certificate.empty())
                report.report(
                    "IST0161", model::Level::Error, field, credential.span,
                    "The credential referenced by the Gateway " + gw.header.name() + " in namespace " +
                        workloadNs +
                        " is invalid, which can cause the traffic not to work as expected. (Secret " +
                        secretName + ": " + problems.certificate + ")");
            else if (!problems.privateKey.empty())
                report.report("SLU0106", model::Level::Error, field, credential.span,
                              "In Secret " + secretName + " referenced by the Gateway " + gw.header.name() +
                                  ", " + problems.privateKey +
                                  "; Envoy rejects the pair and the server gets no certificate.");
        }
    }
}

struct TlsServer {
    std::size_t gateway;
    std::size_t server;
};

/// certificate.go selectorSubset: every label of `x` is in `y` with the same value.
bool selectorSubset(const model::StringMap& x, const model::StringMap& y) {
    for (const auto& [key, value] : x) {
        const auto it = y.find(key);
        if (it == y.end() || it->second.value != value.value)
            return false;
    }
    return true;
}

void checkDuplicateCertificates(const AnalyzerIndex& index, model::Diagnostics& out) {
    const auto& gateways = index.resources().gateways;
    // haveSameCertificate: equal credentialNames, or (both without one) equal certificate and key files.
    std::map<std::string, std::vector<TlsServer>> byCredential;
    std::map<std::pair<std::string, std::string>, std::vector<TlsServer>> byFiles;
    auto bucket = [&](const model::ServerTlsSettings& tls) -> std::vector<TlsServer>* {
        if (!tls.credentialName.value.empty())
            return &byCredential[tls.credentialName.value];
        if (!tls.serverCertificate.value.empty() && !tls.privateKey.value.empty())
            return &byFiles[{tls.serverCertificate.value, tls.privateKey.value}];
        return nullptr;
    };
    for (std::size_t g = 0; g < gateways.size(); ++g)
        for (std::size_t s = 0; s < gateways[g].spec.servers.size(); ++s)
            if (const auto& tls = gateways[g].spec.servers[s].tls)
                if (auto* list = bucket(*tls))
                    list->push_back({g, s});

    for (std::size_t g = 0; g < gateways.size(); ++g) {
        const auto& gw = gateways[g];
        ResourceReporter report(out, gw);
        for (const auto& server : gw.spec.servers) {
            if (!server.tls)
                continue;
            const auto* same = bucket(*server.tls);
            if (!same)
                continue;
            for (const auto& other : *same) {
                const auto& og = gateways[other.gateway];
                // getGatewaysWithSelector: other gateways whose selector is a superset of this one's
                // (all gateways for an empty selector; not scoped to the namespace by default).
                if (other.gateway == g || !selectorSubset(gw.spec.selector, og.spec.selector))
                    continue;
                report.report("IST0138", model::Level::Warning, "metadata.name", gw.header.metadata.name.span,
                              "Duplicate certificate in multiple gateways " +
                                  goList(std::vector<std::string>{fullName(gw), fullName(og)}) +
                                  " may cause 404s if clients re-use HTTP2 connections.");
            }
        }
    }
}

} // namespace

void analyzeGatewayCertificates(const AnalyzerIndex& index, model::Diagnostics& out) {
    if (index.inputHasSecrets())
        checkCredentials(index, out);
    checkDuplicateCertificates(index, out);
}

} // namespace sluice::validate
