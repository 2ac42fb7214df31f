// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/gateway.h"
#include "model/resource_set.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::proxy {

/// Text that must not linger in memory (a private key's PEM): wiped when destroyed. Never print,
/// log or put it into an error message.
class SensitiveText {
public:
    SensitiveText() = default;
    explicit SensitiveText(std::string text)
        : m_text(std::move(text)) {}
    SensitiveText(SensitiveText&& other) noexcept;
    SensitiveText& operator=(SensitiveText&& other) noexcept;
    SensitiveText(const SensitiveText&) = delete;
    SensitiveText& operator=(const SensitiveText&) = delete;
    ~SensitiveText();

    [[nodiscard]] const std::string& reveal() const { return m_text; }
    [[nodiscard]] bool empty() const { return m_text.empty(); }

private:
    void wipe();
    std::string m_text;
};

/// A certificate chain (PEM, leaf first) and its private key.
struct CertificatePair {
    std::string certificateChain;
    SensitiveText privateKey;
};

/// What one terminating Gateway server presents and trusts.
struct ServerCredentials {
    std::vector<CertificatePair> pairs; ///< usually one; credentialNames / tlsCertificates may give two
    std::string clientCa;               ///< MUTUAL: PEM certificates that client certificates must chain to
    std::string origin;                 ///< "Secret istio-system/shop-tls", "files ...": for messages
};

/// ServerCredentials, or why there are none (a message naming the Secret or file; never key material).
struct CredentialLookup {
    std::optional<ServerCredentials> credentials;
    std::string problem;
};

/// Where the certificates of a SIMPLE or MUTUAL Gateway server come from, as Istio's gateway gets
/// them over SDS (`mutual`: the server verifies client certificates, MUTUAL or OPTIONAL_MUTUAL):
/// - credentialName (or each of credentialNames): a Secret of the gateway workload's namespace
///   `gatewayNamespace` ("name", "kubernetes://name"; naming another namespace is refused, as the
///   gateway may read only its own). Keys as kube.ExtractCertInfo: `cert`/`key`, else
///   `tls.crt`/`tls.key`. MUTUAL: the CA from the Secret `<name>-cacert` when it exists, else from
///   the same Secret; keys `cacert`, else `ca.crt`. `data` is base64; `stringData` is merged over
///   it as the API server does on apply.
/// - else serverCertificate/privateKey (and caCertificates) or tlsCertificates: PEM files; a
///   relative path is taken from the directory of the YAML file that names it.
[[nodiscard]] CredentialLookup resolveServerCredentials(const model::ServerTlsSettings& tls, bool mutual,
                                                        const model::ResourceSet& resources,
                                                        std::string_view gatewayNamespace);

/// The Secret key/value pairs as the cluster would hold them: `data` base64-decoded, with
/// `stringData` merged over it. A value that is not base64 is left out and named in `problem`.
struct SecretData {
    SecretData() = default;
    SecretData(SecretData&&) = default;
    SecretData& operator=(SecretData&&) = default;
    SecretData(const SecretData&) = delete;
    SecretData& operator=(const SecretData&) = delete;
    ~SecretData(); ///< wipes the values

    std::vector<std::pair<std::string, std::string>> entries; ///< sorted by key
    std::string problem;
    [[nodiscard]] const std::string* find(std::string_view key) const;
};
[[nodiscard]] SecretData decodeSecret(const model::Secret& secret);

} // namespace sluice::proxy
