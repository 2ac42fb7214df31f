// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy: owning handles for OpenSSL objects and PEM conversions.

#include <memory>
#include <string>
#include <vector>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace sluice::proxy::ossl {

struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct GeneralNamesFree {
    void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, GeneralNamesFree>;

/// Never prompts for a passphrase: an encrypted key simply does not load.
inline int noPassphrase(char*, int, int, void*) {
    return 0;
}

inline BioPtr memoryBio(const std::string& bytes) {
    return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

/// Every certificate of a PEM bundle, in order; empty when there is none.
inline std::vector<X509Ptr> readCertificates(const std::string& pem) {
    std::vector<X509Ptr> out;
    BioPtr bio = memoryBio(pem);
    while (bio) {
        X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr));
        if (!cert)
            break;
        out.push_back(std::move(cert));
    }
    ERR_clear_error(); // the end of the bundle reads as "no start line"
    return out;
}

inline PkeyPtr readPrivateKey(const std::string& pem) {
    BioPtr bio = memoryBio(pem);
    PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
    ERR_clear_error();
    return key;
}

/// What is left in a memory BIO, as a string.
inline std::string drain(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

/// The oldest error OpenSSL queued, as text (the queue is cleared).
inline std::string lastError() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return "unknown OpenSSL error";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

} // namespace sluice::proxy::ossl
