// SPDX-License-Identifier: Apache-2.0
// The --dev-certs CA: made once (key 0600), reused, issuing leaf certificates that verify
// against it for the names asked (wildcards stay wildcards).

#include "proxy/dev_certificate_authority.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

using sluice::proxy::DevCertificateAuthority;

namespace {

X509* parse(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return cert;
}

unsigned mode(const QString& path) {
    struct stat st {};
    ::stat(path.toLocal8Bit().constData(), &st);
    return st.st_mode & 0777u;
}

/// Whether `leafPem` chains to `caPem` (with `purpose`) and is valid for `host`.
bool verifies(const std::string& leafPem, const std::string& caPem, const char* host, int purpose) {
    X509* leaf = parse(leafPem);
    X509* ca = parse(caPem);
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, ca);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, nullptr);
    X509_STORE_CTX_set_purpose(ctx, purpose);
    const bool chained = X509_verify_cert(ctx) == 1;
    const bool named = host == nullptr || X509_check_host(leaf, host, 0, 0, nullptr) == 1;
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    X509_free(ca);
    X509_free(leaf);
    return chained && named;
}

} // namespace

class DevCertificateAuthorityTest : public QObject {
    Q_OBJECT

private slots:
    void madeOnceThenReused() {
        QTemporaryDir home;
        const QString dir = home.filePath(QStringLiteral("sluice/dev-ca"));
        DevCertificateAuthority first;
        const std::string error = first.open(dir.toStdString());
        QVERIFY2(error.empty(), error.c_str());
        QVERIFY(first.created());
        QCOMPARE(mode(dir + QStringLiteral("/ca.key")), 0600u);
        QCOMPARE(mode(dir), 0700u);
        QVERIFY(first.certificatePem().starts_with("-----BEGIN CERTIFICATE-----"));
        QCOMPARE(first.certificatePath().string(), QString(dir + QStringLiteral("/ca.crt")).toStdString());

        DevCertificateAuthority second;
        QVERIFY(second.open(dir.toStdString()).empty());
        QVERIFY(!second.created());
        QCOMPARE(second.certificatePem(), first.certificatePem());
    }

    void issuesForTheHosts() {
        QTemporaryDir home;
        DevCertificateAuthority ca;
        QVERIFY(ca.open(home.filePath(QStringLiteral("ca")).toStdString()).empty());
        std::string problem;
        const auto pair = ca.issue({"shop.example.com", "*.api.example.com"},
                                   DevCertificateAuthority::Usage::Server, problem);
        QVERIFY2(pair, problem.c_str());
        QVERIFY(pair->privateKey.reveal().starts_with("-----BEGIN PRIVATE KEY-----"));
        QVERIFY(verifies(pair->certificateChain, ca.certificatePem(), "shop.example.com",
                         X509_PURPOSE_SSL_SERVER));
        QVERIFY(verifies(pair->certificateChain, ca.certificatePem(), "v1.api.example.com",
                         X509_PURPOSE_SSL_SERVER));
        QVERIFY(!verifies(pair->certificateChain, ca.certificatePem(), "other.example.com",
                          X509_PURPOSE_SSL_SERVER));
        QVERIFY(!verifies(pair->certificateChain, ca.certificatePem(), nullptr, X509_PURPOSE_SSL_CLIENT));

        // Another CA does not vouch for it.
        QTemporaryDir otherHome;
        DevCertificateAuthority other;
        QVERIFY(other.open(otherHome.path().toStdString()).empty());
        QVERIFY(!verifies(pair->certificateChain, other.certificatePem(), "shop.example.com",
                          X509_PURPOSE_SSL_SERVER));

        QVERIFY(!ca.issue({}, DevCertificateAuthority::Usage::Server, problem));
    }

    void clientCertificateBesideTheCa() {
        QTemporaryDir home;
        DevCertificateAuthority ca;
        QVERIFY(ca.open(home.path().toStdString()).empty());
        std::filesystem::path cert, key;
        QVERIFY(ca.ensureClientCertificate(cert, key).empty());
        QCOMPARE(mode(QString::fromStdString(key.string())), 0600u);
        QFile file(QString::fromStdString(cert.string()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const std::string pem = file.readAll().toStdString();
        QVERIFY(verifies(pem, ca.certificatePem(), nullptr, X509_PURPOSE_SSL_CLIENT));
        std::filesystem::path again, againKey;
        QVERIFY(ca.ensureClientCertificate(again, againKey).empty()); // kept, not remade
        QFile kept(QString::fromStdString(again.string()));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll().toStdString(), pem);
    }

    void incompleteDirectoryIsReportedNotOverwritten() {
        QTemporaryDir home;
        QFile lone(home.filePath(QStringLiteral("ca.crt")));
        QVERIFY(lone.open(QIODevice::WriteOnly));
        lone.write("not a certificate");
        lone.close();
        DevCertificateAuthority ca;
        const std::string error = ca.open(home.path().toStdString());
        QVERIFY(error.find("incomplete") != std::string::npos);
        QVERIFY(!QFile::exists(home.filePath(QStringLiteral("ca.key"))));

        QFile key(home.filePath(QStringLiteral("ca.key")));
        QVERIFY(key.open(QIODevice::WriteOnly));
        key.write("junk");
        key.close();
        QVERIFY(ca.open(home.path().toStdString()).find("is not a CA certificate with its key") !=
                std::string::npos);
    }
};

QTEST_APPLESS_MAIN(DevCertificateAuthorityTest)
#include "dev_certificate_authority_test.moc"
