// SPDX-License-Identifier: Apache-2.0
#include "server_credentials.h"

#include "model/base64.h"
#include "validate/credential_check.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <openssl/crypto.h>

namespace sluice::proxy {
namespace {

constexpr std::string_view kKubernetesPrefix = "kubernetes://";
constexpr std::string_view kCaSuffix = "-cacert"; ///< Istio's SdsCaSuffix

std::string quote(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

/// pilot/pkg/credentials/kube truncatedKeysMessage: the first three keys, sorted.
std::string truncatedKeys(const SecretData& data) {
    std::string out;
    for (std::size_t i = 0; i < data.entries.size() && i < 3; ++i)
        out += (i ? ", " : "") + data.entries[i].first;
    if (data.entries.size() >= 3)
        out += ", and " + std::to_string(data.entries.size() - 3) + " more...";
    return out;
}

bool hasValue(const SecretData& data, std::string_view key) {
    const std::string* v = data.find(key);
    return v && !v->empty();
}

const model::Secret* findSecret(const model::ResourceSet& resources, std::string_view ns,
                                std::string_view name) {
    for (const auto& s : resources.secrets)
        if (s.header.ns() == ns && s.header.name() == name)
            return &s;
    return nullptr;
}

/// extractKeyAndCert, with Istio's messages.
std::optional<CertificatePair> extractKeyAndCert(const SecretData& data, std::string& problem) {
    for (const auto& [cert, key] : {std::pair{"cert", "key"}, std::pair{"tls.crt", "tls.key"}})
        if (hasValue(data, cert) && hasValue(data, key))
            return CertificatePair{*data.find(cert), SensitiveText(*data.find(key))};
    for (const auto& [cert, key] : {std::pair{"cert", "key"}, std::pair{"tls.crt", "tls.key"}})
        if (data.find(cert) && data.find(key)) {
            problem = "found keys " + quote(cert) + " and " + quote(key) + ", but they were empty";
            return std::nullopt;
        }
    problem = "found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: " +
              truncatedKeys(data);
    return std::nullopt;
}

/// extractRoot, with Istio's messages.
std::optional<std::string> extractRoot(const SecretData& data, std::string& problem) {
    for (const char* key : {"cacert", "ca.crt"})
        if (hasValue(data, key))
            return *data.find(key);
    for (const char* key : {"cacert", "ca.crt"})
        if (data.find(key)) {
            problem = "found key " + quote(key) + ", but it was empty";
            return std::nullopt;
        }
    problem = "found secret, but didn't have expected keys cacert or ca.crt; found: " + truncatedKeys(data);
    return std::nullopt;
}

struct SecretName {
    std::string ns;
    std::string name;
};

/// credentials.ParseResourceName for what a Gateway names: "name", "kubernetes://name" or
/// "kubernetes://ns/name" (an unprefixed "ns/name" reaches SDS as the latter).
SecretName parseCredentialName(std::string_view credential, std::string_view gatewayNamespace) {
    if (credential.starts_with(kKubernetesPrefix))
        credential.remove_prefix(kKubernetesPrefix.size());
    const auto slash = credential.find('/');
    if (slash == std::string_view::npos)
        return {std::string(gatewayNamespace), std::string(credential)};
    return {std::string(credential.substr(0, slash)), std::string(credential.substr(slash + 1))};
}

std::optional<std::string> readFile(const std::string& path, const model::ResourceSet& resources,
                                    const model::SourceSpan& span, std::string& problem) {
    std::filesystem::path p(path);
    if (p.is_relative()) {
        const std::filesystem::path yaml(std::string(resources.fileName(span.file)));
        p = yaml.parent_path() / p;
    }
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        problem = "cannot read " + p.string();
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// One credentialName: the pair, and for MUTUAL the CA.
bool fromSecret(std::string_view credential, bool mutual, bool wantCa, const model::ResourceSet& resources,
                std::string_view gatewayNamespace, ServerCredentials& out, std::string& problem) {
    const SecretName name = parseCredentialName(credential, gatewayNamespace);
    const std::string shown = name.ns + "/" + name.name;
    if (name.ns != gatewayNamespace) {
        problem = "credentialName " + quote(credential) + ": Secret " + shown +
                  " is not accessible to the gateway, which reads Secrets of its own namespace " +
                  std::string(gatewayNamespace) + " only";
        return false;
    }
    const model::Secret* secret = findSecret(resources, name.ns, name.name);
    if (!secret) {
        problem =
            "credentialName " + quote(credential) + ": secret " + shown + " not found in the loaded YAML";
        return false;
    }
    const SecretData data = decodeSecret(*secret);
    std::string why;
    auto pair = extractKeyAndCert(data, why);
    if (!pair) {
        problem = "credentialName " + quote(credential) + ": Secret " + shown + ": " +
                  (data.problem.empty() ? why : data.problem);
        return false;
    }
    out.pairs.push_back(std::move(*pair));
    out.origin += (out.origin.empty() ? "Secret " : ", Secret ") + shown;
    if (!mutual || !wantCa)
        return true;
    // GetCaCert: the "<name>-cacert" Secret when it exists, else the credential's own Secret.
    const model::Secret* caSecret = findSecret(resources, name.ns, name.name + std::string(kCaSuffix));
    const SecretData caData = caSecret ? decodeSecret(*caSecret) : SecretData{};
    const SecretData& roots = caSecret ? caData : data;
    auto ca = extractRoot(roots, why);
    if (!ca) {
        problem = "credentialName " + quote(credential) + " (MUTUAL needs the client CA): Secret " + name.ns +
                  "/" + (caSecret ? secret->header.name() + std::string(kCaSuffix) : secret->header.name()) +
                  ": " + why;
        return false;
    }
    out.clientCa = std::move(*ca);
    return true;
}

} // namespace

SensitiveText::SensitiveText(SensitiveText&& other) noexcept
    : m_text(std::move(other.m_text)) {
    other.wipe();
}

SensitiveText& SensitiveText::operator=(SensitiveText&& other) noexcept {
    if (this != &other) {
        wipe();
        m_text = std::move(other.m_text);
        other.wipe();
    }
    return *this;
}

SensitiveText::~SensitiveText() {
    wipe();
}

void SensitiveText::wipe() {
    if (!m_text.empty())
        OPENSSL_cleanse(m_text.data(), m_text.size());
    m_text.clear();
}

const std::string* SecretData::find(std::string_view key) const {
    const auto it = std::lower_bound(entries.begin(), entries.end(), key,
                                     [](const auto& e, std::string_view k) { return e.first < k; });
    return it != entries.end() && it->first == key ? &it->second : nullptr;
}

SecretData::~SecretData() {
    for (auto& [key, value] : entries)
        if (!value.empty())
            OPENSSL_cleanse(value.data(), value.size());
}

SecretData decodeSecret(const model::Secret& secret) {
    SecretData out;
    for (const auto& [key, value] : secret.data) {
        if (secret.stringData.find(key) != secret.stringData.end())
            continue; // the API server lets stringData win
        auto bytes = model::decodeBase64(value.value, model::Base64Form::Padded);
        if (!bytes) {
            if (out.problem.empty())
                out.problem = "data." + key + " is not valid base64";
            continue;
        }
        out.entries.emplace_back(key, std::move(*bytes));
    }
    for (const auto& [key, value] : secret.stringData)
        out.entries.emplace_back(key, value.value);
    std::sort(out.entries.begin(), out.entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
}

CredentialLookup resolveServerCredentials(const model::ServerTlsSettings& tls, bool mutual,
                                          const model::ResourceSet& resources,
                                          std::string_view gatewayNamespace) {
    CredentialLookup result;
    ServerCredentials credentials;
    std::vector<std::string_view> names;
    if (!tls.credentialName.value.empty())
        names.push_back(tls.credentialName.value);
    for (const auto& n : tls.credentialNames)
        names.push_back(n.value);
    if (!names.empty()) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (!fromSecret(names[i], mutual, i == 0, resources, gatewayNamespace, credentials,
                            result.problem))
                return result;
        result.credentials = std::move(credentials);
        return result;
    }

    std::vector<std::pair<const model::Located<std::string>*, const model::Located<std::string>*>> files;
    if (!tls.serverCertificate.value.empty() || !tls.privateKey.value.empty())
        files.emplace_back(&tls.serverCertificate, &tls.privateKey);
    for (const auto& c : tls.tlsCertificates)
        files.emplace_back(&c.serverCertificate, &c.privateKey);
    if (files.empty()) {
        result.problem =
            "no credentialName and no serverCertificate/privateKey: the server has no certificate";
        return result;
    }
    for (const auto& [cert, key] : files) {
        if (cert->value.empty() || key->value.empty()) {
            result.problem = "serverCertificate and privateKey must both be given";
            return result;
        }
        auto chain = readFile(cert->value, resources, cert->span, result.problem);
        if (!chain)
            return result;
        auto keyPem = readFile(key->value, resources, key->span, result.problem);
        if (!keyPem)
            return result;
        credentials.pairs.push_back({std::move(*chain), SensitiveText(std::move(*keyPem))});
        credentials.origin +=
            (credentials.origin.empty() ? "files " : ", ") + cert->value + " and " + key->value;
    }
    if (mutual) {
        if (tls.caCertificates.value.empty()) {
            result.problem = "MUTUAL without caCertificates: nothing to verify client certificates against";
            return result;
        }
        auto ca = readFile(tls.caCertificates.value, resources, tls.caCertificates.span, result.problem);
        if (!ca)
            return result;
        credentials.clientCa = std::move(*ca);
    }
    result.credentials = std::move(credentials);
    return result;
}

} // namespace sluice::proxy
