// SPDX-License-Identifier: Apache-2.0
#include "go_format.h"
#include "server_tls_rules.h"

#include "model/gateway_schema.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

namespace sluice::validate {
namespace {

using model::ServerTlsMode;

/// The cipher suites a Gateway accepts (pkg/config/security ValidCipherSuites, BoringSSL names).
constexpr std::string_view kValidCipherSuites[] = {
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
    "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA",
    "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-RSA-AES256-SHA",
    "AES128-GCM-SHA256",
    "AES256-GCM-SHA384",
    "AES128-SHA",
    "AES256-SHA",
    "DES-CBC3-SHA",
};

bool isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// security.IsValidCipherSuite: empty, ALL, an operator expression (`-X`, `+X`, `!X`) or a known name.
bool isValidCipherSuite(std::string_view cs) {
    if (cs.empty() || cs == "ALL" || !isAsciiAlnum(cs.front()))
        return true;
    return std::find(std::begin(kValidCipherSuites), std::end(kValidCipherSuites), cs) !=
           std::end(kValidCipherSuites);
}

std::string modeName(ServerTlsMode mode) {
    return std::string(model::schema::enumName(mode));
}

void checkCipherSuites(ResourceReporter& r, const model::ServerTlsSettings& tls, const std::string& field) {
    std::set<std::string> invalid, valid, duplicate;
    model::SourceSpan invalidAt, duplicateAt;
    for (const auto& cs : tls.cipherSuites) {
        if (!isValidCipherSuite(cs.value)) {
            if (invalid.empty())
                invalidAt = cs.span;
            invalid.insert(cs.value);
        } else if (!valid.insert(cs.value).second) {
            if (duplicate.empty())
                duplicateAt = cs.span;
            duplicate.insert(cs.value);
        }
    }
    if (!invalid.empty())
        r.warning(field + ".cipherSuites", invalidAt, "ignoring invalid cipher suites: " + goList(invalid));
    if (!duplicate.empty())
        r.warning(field + ".cipherSuites", duplicateAt,
                  "ignoring duplicate cipher suites: " + goList(duplicate));
}

/// ISTIO_MUTUAL takes its certificates from the mesh: every other certificate field is an error.
void checkIstioMutual(ResourceReporter& r, const model::ServerTlsSettings& tls, const std::string& field) {
    if (!tls.serverCertificate.value.empty())
        r.error(field + ".serverCertificate", tls.serverCertificate.span,
                "ISTIO_MUTUAL TLS cannot have associated server certificate");
    if (!tls.privateKey.value.empty())
        r.error(field + ".privateKey", tls.privateKey.span,
                "ISTIO_MUTUAL TLS cannot have associated private key");
    if (!tls.caCertificates.value.empty())
        r.error(field + ".caCertificates", tls.caCertificates.span,
                "ISTIO_MUTUAL TLS cannot have associated CA bundle");
    if (!tls.tlsCertificates.empty())
        r.error(field + ".tlsCertificates", tls.tlsCertificates.front().span,
                "ISTIO_MUTUAL TLS cannot have associated tlsCertificates");
    if (!tls.credentialName.value.empty())
        r.error(field + ".credentialName", tls.credentialName.span,
                "ISTIO_MUTUAL TLS cannot have associated credentialName");
    if (!tls.credentialNames.empty())
        r.error(field + ".credentialNames", tls.credentialNames.front().span,
                "ISTIO_MUTUAL TLS cannot have associated credentialNames");
}

/// The span of the first certificate field written, for the PASSTHROUGH warning.
model::SourceSpan firstCertificateField(const model::ServerTlsSettings& tls) {
    for (const auto* f :
         {&tls.caCrl, &tls.serverCertificate, &tls.privateKey, &tls.caCertificates, &tls.credentialName})
        if (f->present && !f->value.empty())
            return f->span;
    if (!tls.tlsCertificates.empty())
        return tls.tlsCertificates.front().span;
    if (!tls.credentialNames.empty())
        return tls.credentialNames.front().span;
    return {};
}

void checkCertificates(ResourceReporter& r, const model::ServerTlsSettings& tls, const std::string& field) {
    const ServerTlsMode mode = tls.mode.value;
    const bool mutual = mode == ServerTlsMode::Mutual || mode == ServerTlsMode::OptionalMutual;
    const std::string prefix = mutual ? "MUTUAL TLS" : "SIMPLE TLS";
    if (mutual && tls.caCertificates.value.empty())
        r.error(field, tls.span, prefix + " requires a client CA bundle");
    if (tls.tlsCertificates.size() > 2)
        r.warning(field + ".tlsCertificates", tls.tlsCertificates[2].span,
                  prefix + " can support up to 2 server certificates");
    if (tls.tlsCertificates.empty()) {
        if (tls.serverCertificate.value.empty())
            r.error(field, tls.span, prefix + " requires a server certificate");
        if (tls.privateKey.value.empty())
            r.error(field, tls.span, prefix + " requires a private key");
        return;
    }
    for (std::size_t i = 0; i < tls.tlsCertificates.size(); ++i) {
        const auto& cert = tls.tlsCertificates[i];
        const std::string at = field + ".tlsCertificates[" + std::to_string(i) + "]";
        if (cert.serverCertificate.value.empty())
            r.error(at, cert.span, prefix + " requires a server certificate");
        if (cert.privateKey.value.empty())
            r.error(at, cert.span, prefix + " requires a private key");
    }
}

} // namespace

void checkServerTls(ResourceReporter& r, const model::ServerTlsSettings& tls, const std::string& field) {
    const auto minVersion = tls.minProtocolVersion.value;
    if ((minVersion == model::TlsProtocol::V1_0 || minVersion == model::TlsProtocol::V1_1) &&
        tls.cipherSuites.empty())
        r.warning(field + ".minProtocolVersion", tls.minProtocolVersion.span,
                  "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer "
                  "include "
                  "compatible ciphers.");
    checkCipherSuites(r, tls, field);

    const ServerTlsMode mode = tls.mode.value;
    if (mode == ServerTlsMode::IstioMutual) {
        checkIstioMutual(r, tls, field);
        return;
    }
    if (mode == ServerTlsMode::Passthrough || mode == ServerTlsMode::AutoPassthrough) {
        if (const model::SourceSpan at = firstCertificateField(tls); at.known())
            r.warning(field, at, modeName(mode) + " mode does not use certificates, they will be ignored");
    }

    const bool hasCredentialName = !tls.credentialName.value.empty();
    const int sources = (!tls.serverCertificate.value.empty() && !tls.privateKey.value.empty() ? 1 : 0) +
                        (hasCredentialName ? 1 : 0) + (tls.credentialNames.empty() ? 0 : 1) +
                        (tls.tlsCertificates.empty() ? 0 : 1);
    if (sources > 1)
        r.error(
            field, {},
            "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates "
            "should be specified");

    const bool terminates = mode == ServerTlsMode::Simple || mode == ServerTlsMode::Mutual ||
                            mode == ServerTlsMode::OptionalMutual;
    if (terminates && (hasCredentialName || !tls.credentialNames.empty()))
        return; // certificates come from the credential (a Secret)
    if (terminates)
        checkCertificates(r, tls, field);
    if (!tls.caCrl.value.empty()) {
        if (hasCredentialName)
            r.error(field + ".caCrl", tls.caCrl.span,
                    "CRL is not supported with credentialName. CRL has to be specified in the credential");
        if (mode == ServerTlsMode::Simple)
            r.error(field + ".caCrl", tls.caCrl.span, "CRL is not supported with SIMPLE TLS");
    }
}

} // namespace sluice::validate
