// SPDX-License-Identifier: Apache-2.0
#include "dev_certificate_authority.h"

#include "openssl_handles.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sluice::proxy {
namespace {

namespace fs = std::filesystem;
using namespace ossl;

constexpr long kHour = 3600;
constexpr long kDay = 24 * kHour;
constexpr long kCaValidityDays = 3650;
constexpr long kLeafValidityDays = 30;

PkeyPtr newP256Key() {
    return PkeyPtr(EVP_EC_gen("P-256"));
}

bool setName(X509_NAME* name, const std::string& organization, const std::string& common) {
    const auto add = [name](const char* field, const std::string& value) {
        return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char*>(value.data()),
                                          static_cast<int>(value.size()), -1, 0) == 1;
    };
    return add("O", organization) && add("CN", common.substr(0, 64));
}

bool addExtension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

/// Subject alternative names built as values (never through the config-string parser, so a
/// name cannot smuggle in other entries).
bool addAltNames(X509* cert, const std::vector<std::string>& names) {
    GeneralNamesPtr list(sk_GENERAL_NAME_new_null());
    for (const auto& n : names) {
        GENERAL_NAME* entry = GENERAL_NAME_new();
        if (ASN1_OCTET_STRING* ip = a2i_IPADDRESS(n.c_str())) {
            GENERAL_NAME_set0_value(entry, GEN_IPADD, ip);
        } else {
            ERR_clear_error();
            ASN1_IA5STRING* dns = ASN1_IA5STRING_new();
            ASN1_STRING_set(dns, n.data(), static_cast<int>(n.size()));
            GENERAL_NAME_set0_value(entry, GEN_DNS, dns);
        }
        sk_GENERAL_NAME_push(list.get(), entry);
    }
    return X509_add1_ext_i2d(cert, NID_subject_alt_name, list.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

bool randomSerial(X509* cert) {
    BIGNUM* bn = BN_new();
    const bool ok = bn && BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
                    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
    BN_free(bn);
    return ok;
}

std::string toPem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    return drain(bio.get());
}

SensitiveText keyPem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    SensitiveText out(size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string());
    if (size > 0)
        OPENSSL_cleanse(data, static_cast<std::size_t>(size));
    return out;
}

std::optional<std::string> readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Writes `text` to a new file with `mode` (the key: 0600, made so before a byte is written).
std::string writeNew(const fs::path& path, const std::string& text, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return "cannot create " + path.string() + ": " + std::strerror(errno);
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n <= 0) {
            ::close(fd);
            return "cannot write " + path.string() + ": " + std::strerror(errno);
        }
        written += static_cast<std::size_t>(n);
    }
    ::fchmod(fd, mode);
    ::close(fd);
    return {};
}

std::string owner() {
    const char* user = std::getenv("USER");
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(user ? user : "user") + "@" + host;
}

} // namespace

struct DevCertificateAuthority::Impl {
    fs::path directory;
    X509Ptr cert;
    PkeyPtr key;
    std::string pem;
    bool created = false;

    /// A certificate for `subjectKey`, issued by the CA (by itself when `isCa`); the caller signs it.
    X509Ptr sign(EVP_PKEY* subjectKey, const std::string& organization, const std::string& common, long days,
                 bool isCa) const {
        X509Ptr x(X509_new());
        X509* issuer = isCa ? x.get() : cert.get();
        bool ok = x && X509_set_version(x.get(), X509_VERSION_3) == 1 && randomSerial(x.get()) &&
                  X509_gmtime_adj(X509_getm_notBefore(x.get()), -kHour) &&
                  X509_gmtime_adj(X509_getm_notAfter(x.get()), days * kDay) &&
                  setName(X509_get_subject_name(x.get()), organization, common) &&
                  X509_set_issuer_name(x.get(), X509_get_subject_name(issuer)) == 1 &&
                  X509_set_pubkey(x.get(), subjectKey) == 1;
        ok = ok && addExtension(x.get(), issuer, NID_subject_key_identifier, "hash");
        if (isCa)
            ok = ok && addExtension(x.get(), issuer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
                 addExtension(x.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
        else
            ok = ok && addExtension(x.get(), issuer, NID_basic_constraints, "critical,CA:FALSE") &&
                 addExtension(x.get(), issuer, NID_key_usage, "critical,digitalSignature") &&
                 addExtension(x.get(), issuer, NID_authority_key_identifier, "keyid:always");
        if (!ok)
            return nullptr;
        return x;
    }
};

DevCertificateAuthority::DevCertificateAuthority()
    : m_impl(std::make_unique<Impl>()) {}

DevCertificateAuthority::~DevCertificateAuthority() = default;

fs::path DevCertificateAuthority::defaultDirectory() {
    if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data == '/')
        return fs::path(data) / "sluice" / "dev-ca";
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : ".") / ".local" / "share" / "sluice" / "dev-ca";
}

std::string DevCertificateAuthority::open(const fs::path& directory) {
    Impl& s = *m_impl;
    s.directory = directory;
    const fs::path certPath = directory / "ca.crt";
    const fs::path keyPath = directory / "ca.key";
    std::error_code ec;
    const bool haveCert = fs::exists(certPath, ec);
    const bool haveKey = fs::exists(keyPath, ec);
    if (haveCert || haveKey) {
        if (!haveCert || !haveKey)
            return "the development CA in " + directory.string() +
                   " is incomplete (ca.crt and ca.key are both "
                   "needed); remove the directory to make a new CA";
        const auto certText = readText(certPath);
        const auto keyText = readText(keyPath);
        if (!certText || !keyText)
            return "cannot read the development CA in " + directory.string();
        auto certs = readCertificates(*certText);
        const SensitiveText keyHeld(*keyText);
        s.key = readPrivateKey(keyHeld.reveal());
        if (certs.empty() || !s.key || X509_check_private_key(certs.front().get(), s.key.get()) != 1 ||
            X509_check_ca(certs.front().get()) == 0) {
            ERR_clear_error();
            return "the development CA in " + directory.string() +
                   " is not a CA certificate with its key; remove the directory to make a new CA";
        }
        if (X509_cmp_current_time(X509_get0_notAfter(certs.front().get())) <= 0)
            return "the development CA in " + directory.string() + " has expired; remove the directory";
        ::chmod(keyPath.c_str(), 0600); // in case it was loosened
        s.cert = std::move(certs.front());
        s.pem = toPem(s.cert.get());
        return {};
    }
    fs::create_directories(directory, ec);
    if (ec)
        return "cannot create " + directory.string() + ": " + ec.message();
    fs::permissions(directory, fs::perms::owner_all, fs::perm_options::replace, ec);
    s.key = newP256Key();
    if (!s.key)
        return "cannot make a key: " + lastError();
    s.cert = s.sign(s.key.get(), "Sluice development CA", "Sluice development CA " + owner(), kCaValidityDays,
                    true);
    if (!s.cert || X509_sign(s.cert.get(), s.key.get(), EVP_sha256()) == 0)
        return "cannot make the CA certificate: " + lastError();
    s.pem = toPem(s.cert.get());
    if (std::string error = writeNew(keyPath, keyPem(s.key.get()).reveal(), 0600); !error.empty())
        return error;
    if (std::string error = writeNew(certPath, s.pem, 0644); !error.empty())
        return error;
    s.created = true;
    return {};
}

bool DevCertificateAuthority::created() const {
    return m_impl->created;
}

fs::path DevCertificateAuthority::certificatePath() const {
    return m_impl->directory / "ca.crt";
}

const std::string& DevCertificateAuthority::certificatePem() const {
    return m_impl->pem;
}

std::optional<CertificatePair> DevCertificateAuthority::issue(const std::vector<std::string>& names,
                                                              Usage usage, std::string& problem) const {
    const Impl& s = *m_impl;
    if (!s.cert || !s.key) {
        problem = "the development CA is not open";
        return std::nullopt;
    }
    if (names.empty()) {
        problem = "no names to issue a certificate for";
        return std::nullopt;
    }
    PkeyPtr key = newP256Key();
    X509Ptr cert =
        key ? s.sign(key.get(), "Sluice development certificate", names.front(), kLeafValidityDays, false)
            : nullptr;
    const bool ok = cert &&
                    addExtension(cert.get(), s.cert.get(), NID_ext_key_usage,
                                 usage == Usage::Server ? "serverAuth" : "clientAuth") &&
                    addAltNames(cert.get(), names) && X509_sign(cert.get(), s.key.get(), EVP_sha256()) != 0;
    if (!ok) {
        problem = "cannot issue a certificate: " + lastError();
        return std::nullopt;
    }
    return CertificatePair{toPem(cert.get()) + s.pem, keyPem(key.get())};
}

std::string DevCertificateAuthority::ensureClientCertificate(fs::path& certificate, fs::path& key) const {
    certificate = m_impl->directory / "client.crt";
    key = m_impl->directory / "client.key";
    std::error_code ec;
    if (fs::exists(certificate, ec) && fs::exists(key, ec)) {
        const auto text = readText(certificate);
        const auto certs = text ? readCertificates(*text) : std::vector<X509Ptr>{};
        if (!certs.empty() && X509_cmp_current_time(X509_get0_notAfter(certs.front().get())) > 0 &&
            X509_check_issued(m_impl->cert.get(), certs.front().get()) == X509_V_OK)
            return {};
        fs::remove(certificate, ec); // expired, or from an older CA: made anew
        fs::remove(key, ec);
    }
    std::string problem;
    auto pair = issue({"sluice-dev-client"}, Usage::Client, problem);
    if (!pair)
        return problem;
    if (std::string error = writeNew(key, pair->privateKey.reveal(), 0600); !error.empty())
        return error;
    return writeNew(certificate, pair->certificateChain, 0644);
}

} // namespace sluice::proxy
