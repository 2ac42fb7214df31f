// SPDX-License-Identifier: Apache-2.0
#include "client_tls_rules.h"

#include <string>
#include <vector>

namespace sluice::validate {
namespace {

constexpr std::string_view kConfigMapPrefix = "configmap://";

/// credentials.ParseResourceName for `configmap://[namespace/]name`: the namespace it names.
bool configMapNamespace(std::string_view resource, std::string_view ns, std::string& out,
                        std::string& error) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto slash = resource.find('/', start);
        parts.push_back(
            resource.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    if (parts.size() == 1) {
        out = ns;
    } else if (parts.size() == 2) {
        out = parts[0];
    } else {
        error =
            "invalid resource name \"" + std::string(resource) + "\". Expected configmap://namespace/name";
        return false;
    }
    if (parts.back().empty()) {
        error =
            "invalid resource name \"" + std::string(resource) + "\". Expected configmap://namespace/name";
        return false;
    }
    return true;
}

} // namespace

void checkClientTls(ResourceReporter& r, std::string_view ns, const model::ClientTlsSettings& tls,
                    const std::string& field) {
    using Mode = model::ClientTlsMode;
    const std::string_view credential = tls.credentialName.value;
    if (credential.starts_with(kConfigMapPrefix)) {
        std::string credentialNs, error;
        if (!configMapNamespace(credential.substr(kConfigMapPrefix.size()), ns, credentialNs, error))
            r.error(field + ".credentialName", tls.credentialName.span,
                    "invalid configmap:// credentialName: " + error);
        else if (credentialNs != ns || ns.empty())
            r.error(
                field + ".credentialName", tls.credentialName.span,
                "invalid configmap:// credentialName: namespace must match the configuration namespace \"" +
                    std::string(ns) + "\"");
    }

    const Mode mode = tls.mode.value;
    if (tls.insecureSkipVerify.value) {
        const model::SourceSpan at = tls.insecureSkipVerify.span;
        if (mode == Mode::Simple &&
            (!tls.caCertificates.value.empty() || !credential.empty() || !tls.subjectAltNames.empty()))
            r.error(field + ".insecureSkipVerify", at,
                    "cannot specify CaCertificates or CredentialName or SubjectAltNames when "
                    "InsecureSkipVerify is set "
                    "true");
        if (mode == Mode::Mutual && (!tls.caCertificates.value.empty() || !tls.subjectAltNames.empty()))
            r.error(field + ".insecureSkipVerify", at,
                    "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
    }

    if ((mode == Mode::Simple || mode == Mode::Mutual) && !credential.empty()) {
        if (!tls.clientCertificate.value.empty() || !tls.caCertificates.value.empty() ||
            !tls.privateKey.value.empty() || !tls.caCrl.value.empty())
            r.error(
                field + ".credentialName", tls.credentialName.span,
                "cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
        return; // the credential supplies the certificates
    }
    if (mode == Mode::Mutual) {
        if (tls.clientCertificate.value.empty())
            r.error(field + ".clientCertificate", tls.span, "client certificate required for mutual tls");
        if (tls.privateKey.value.empty())
            r.error(field + ".privateKey", tls.span, "private key required for mutual tls");
    }
}

} // namespace sluice::validate
