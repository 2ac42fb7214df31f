// SPDX-License-Identifier: Apache-2.0
#include "credential_check.h"

#include "model/base64.h"

#include <memory>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace sluice::validate {
namespace {

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

/// Decoded key material is wiped when it goes out of scope.
struct SecretBytes {
    std::string bytes;
    ~SecretBytes() {
        if (!bytes.empty())
            OPENSSL_cleanse(bytes.data(), bytes.size());
    }
};

BioPtr memoryBio(const std::string& bytes) {
    return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

/// Never prompts for a passphrase: an encrypted key simply does not parse.
int noPassphrase(char*, int, int, void*) {
    return 0;
}

/// The certificates of the first PEM block (Go: pem.Decode + x509.ParseCertificates), or a reason.
std::vector<X509Ptr> parseFirstPemBlock(const std::string& pem, std::string& problem) {
    std::vector<X509Ptr> certs;
    BioPtr bio = memoryBio(pem);
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long length = 0;
    if (!bio || PEM_read_bio(bio.get(), &name, &header, &data, &length) != 1) {
        problem = "certificate: pem decode failed";
        return certs;
    }
    const unsigned char* p = data;
    const unsigned char* end = data + length;
    while (p < end) {
        X509Ptr cert(d2i_X509(nullptr, &p, end - p));
        if (!cert) {
            problem = "certificate could not be parsed as X.509";
            certs.clear();
            break;
        }
        certs.push_back(std::move(cert));
    }
    if (certs.empty() && problem.empty())
        problem = "certificate: no certificate in the PEM block";
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    return certs;
}

std::string truncatedKeys(const model::StringMap& data) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : data) // std::map: sorted, as Istio sorts them
        keys.push_back(k);
    std::string out;
    const std::size_t shown = keys.size() < 3 ? keys.size() : 3;
    for (std::size_t i = 0; i < shown; ++i)
        out += (i ? ", " : "") + keys[i];
    if (keys.size() >= 3)
        out += ", and " + std::to_string(keys.size() - 3) + " more...";
    return out;
}

} // namespace

CredentialProblems checkGatewayCredential(const model::Secret& secret, std::time_t now) {
    // Decode only what Istio reads; report the first key that is not base64.
    auto decoded = [&](std::string_view key, SecretBytes& into, std::string& problem) -> bool {
        const auto it = secret.data.find(key);
        if (it == secret.data.end())
            return false;
        auto bytes = model::decodeBase64(it->second.value, model::Base64Form::Padded);
        if (!bytes) {
            problem = "data." + std::string(key) + " is not valid base64";
            return false;
        }
        into.bytes = std::move(*bytes);
        return !into.bytes.empty();
    };
    std::string problem;
    SecretBytes cert, key;
    bool found = decoded("cert", cert, problem) && decoded("key", key, problem);
    if (!found && problem.empty())
        found = decoded("tls.crt", cert, problem) && decoded("tls.key", key, problem);
    if (!problem.empty())
        return {problem, {}};
    if (!found) {
        auto has = [&](std::string_view k) {
            return secret.data.find(k) != secret.data.end();
        };
        if (has("cert") && has("key"))
            return {"found keys \"cert\" and \"key\", but they were empty", {}};
        if (has("tls.crt") && has("tls.key"))
            return {"found keys \"tls.crt\" and \"tls.key\", but they were empty", {}};
        return {
            "found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: " +
                truncatedKeys(secret.data),
            {}};
    }

    const std::vector<X509Ptr> certs = parseFirstPemBlock(cert.bytes, problem);
    if (certs.empty()) {
        ERR_clear_error();
        return {problem, {}};
    }
    for (const auto& c : certs) {
        if (X509_cmp_time(X509_get0_notAfter(c.get()), &now) < 0 ||
            X509_cmp_time(X509_get0_notBefore(c.get()), &now) > 0)
            return {"certificate is expired or not yet valid", {}};
    }

    BioPtr keyBio = memoryBio(key.bytes);
    PkeyPtr pkey(keyBio ? PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr) : nullptr);
    if (!pkey) {
        ERR_clear_error();
        return {{}, "the private key could not be parsed (unencrypted PKCS#1, PKCS#8 or SEC1 PEM expected)"};
    }
    if (X509_check_private_key(certs.front().get(), pkey.get()) != 1) {
        ERR_clear_error();
        return {{}, "the private key does not match the certificate"};
    }
    return {};
}

} // namespace sluice::validate
