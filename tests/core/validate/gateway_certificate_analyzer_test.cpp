// SPDX-License-Identifier: Apache-2.0
// IST0101 (credentialName), IST0161, SLU0106 and IST0138: gateway_certificate_analyzer.cpp and
// credential_check.cpp. Certificates are made here with OpenSSL, not stored.

#include "analyzer_test_support.h"
#include "model/base64.h"
#include "validate/credential_check.h"

#include <memory>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

using sluice::model::Level;
using namespace sluice::test;

namespace {

struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

Key newKey() {
    return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

std::string pemOf(void (*write)(BIO*, const void*), const void* object) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio, object);
    char* data = nullptr;
    const long size = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);
    std::string out(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return out;
}

/// Self-signed certificate for `key`, valid from now+notBefore to now+notAfter seconds.
std::string certificatePem(EVP_PKEY* key, long notBefore, long notAfter) {
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), notBefore);
    X509_gmtime_adj(X509_getm_notAfter(cert), notAfter);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("shop.example.com"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    std::string pem = pemOf(
        [](BIO* b, const void* c) { PEM_write_bio_X509(b, static_cast<X509*>(const_cast<void*>(c))); }, cert);
    X509_free(cert);
    return pem;
}

std::string keyPem(EVP_PKEY* key) {
    return pemOf(
        [](BIO* b, const void* k) {
            PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(const_cast<void*>(k)), nullptr, nullptr, 0,
                                     nullptr, nullptr);
        },
        key);
}

QByteArray base64(const std::string& bytes) {
    return QByteArray::fromStdString(bytes).toBase64();
}

/// A TLS Secret in istio-system (lines 1-7) and a Gateway (line 9 on) whose credentialName is on line 22.
QByteArray secretAndGateway(const std::string& cert, const std::string& key,
                            const char* secretNs = "istio-system") {
    return QByteArray(R"yaml(apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: NS
type: kubernetes.io/tls
data: {tls.crt: CERT, tls.key: KEY}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: secure-gw
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["shop.example.com"]
    tls:
      mode: SIMPLE
      credentialName: shop-tls
)yaml")
        .replace("NS", secretNs)
        .replace("CERT", base64(cert))
        .replace("KEY", base64(key));
}

} // namespace

class GatewayCertificateAnalyzerTest : public QObject {
    Q_OBJECT

private slots:
    void findings_data() {
        addColumns();
        const Key key = newKey();
        const Key other = newKey();
        const std::string valid = certificatePem(key.get(), -3600, 365 * 24 * 3600L);
        const std::string expired = certificatePem(key.get(), -7200, -3600);
        const std::string ownKey = keyPem(key.get());

        for (const char* code : {"IST0101", "IST0161", "SLU0106"})
            QTest::newRow(code) << secretAndGateway(valid, ownKey) << QByteArray(code) << false << 0 << 0
                                << QByteArray();
        QTest::newRow("secret in the Gateway's namespace, not the workload's")
            << secretAndGateway(valid, ownKey, "shop") << QByteArray("IST0101") << true << level(Level::Error)
            << 22 << QByteArray("Gateway shop/secure-gw");
        QTest::newRow("expired certificate")
            << secretAndGateway(expired, ownKey) << QByteArray("IST0161") << true << level(Level::Error) << 22
            << QByteArray("Gateway shop/secure-gw");
        QTest::newRow("not a certificate")
            << secretAndGateway("hush hush", ownKey) << QByteArray("IST0161") << true << level(Level::Error)
            << 22 << QByteArray("Gateway shop/secure-gw");
        QTest::newRow("key of another certificate")
            << secretAndGateway(valid, keyPem(other.get())) << QByteArray("SLU0106") << true
            << level(Level::Error) << 22 << QByteArray("Gateway shop/secure-gw");
        QTest::newRow("key does not parse")
            << secretAndGateway(valid, "not a key") << QByteArray("SLU0106") << true << level(Level::Error)
            << 22 << QByteArray("Gateway shop/secure-gw");

        const QByteArray noSecrets = R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: secure-gw
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["shop.example.com"]
    tls: {mode: SIMPLE, credentialName: missing}
)yaml";
        QTest::newRow("no Secret in the input: credential checks skipped")
            << noSecrets << QByteArray("IST0101") << false << 0 << 0 << QByteArray();

        const QByteArray duplicate = R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gw
  namespace: istio-system
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["shop.example.com"]
    tls: {mode: SIMPLE, serverCertificate: /etc/certs/wild.crt, privateKey: /etc/certs/wild.key}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: blog-gw
  namespace: istio-system
spec:
  selector: SELECTOR
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["blog.example.com"]
    tls: {mode: SIMPLE, serverCertificate: /etc/certs/wild.crt, privateKey: /etc/certs/wild.key}
)yaml";
        QTest::newRow("same certificate files, same selector")
            << QByteArray(duplicate).replace("SELECTOR", "{istio: ingressgateway}") << QByteArray("IST0138")
            << true << level(Level::Warning) << 16 << QByteArray("Gateway istio-system/blog-gw");
        // shop-gw's selector is a subset of blog-gw's: only shop-gw is reported.
        QTest::newRow("narrower selector is not reported")
            << QByteArray(duplicate).replace("SELECTOR", "{istio: ingressgateway, tier: internal}")
            << QByteArray("IST0138") << true << level(Level::Warning) << 4
            << QByteArray("Gateway istio-system/shop-gw");
    }

    void findings() { verifyRow(); }

    void narrowerSelectorCount() {
        const auto found = analyze(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: a
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["a.example.com"]
    tls: {mode: SIMPLE, credentialName: wild}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: b
spec:
  selector: {istio: ingressgateway, type: internal}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["b.example.com"]
    tls: {mode: SIMPLE, credentialName: wild}
)yaml");
        QCOMPARE(std::count_if(found.begin(), found.end(), [](const auto& d) { return d.code == "IST0138"; }),
                 1);
    }

    void base64Decoding() {
        QCOMPARE(
            sluice::model::decodeBase64("aHVzaCBodXNoCg==", sluice::model::Base64Form::Padded).value_or("?"),
            std::string("hush hush\n"));
        QCOMPARE(sluice::model::decodeBase64("aHVz aA==\n", sluice::model::Base64Form::Padded).value_or("?"),
                 std::string("hush"));
        QVERIFY(!sluice::model::decodeBase64("aHVzaA=", sluice::model::Base64Form::Padded)
                     .has_value()); // bad padding
        QVERIFY(!sluice::model::decodeBase64("aH*zaA==", sluice::model::Base64Form::Padded)
                     .has_value()); // not base64
    }

    void istioSecretKeysAndMessages() {
        sluice::model::Secret secret;
        secret.data.emplace("tls.cert", sluice::model::Located<std::string>("aHVzaAo="));
        const auto problems = sluice::validate::checkGatewayCredential(secret, std::time(nullptr));
        QCOMPARE(problems.certificate,
                 std::string(
                     "found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); "
                     "found: tls.cert"));
        QVERIFY(problems.privateKey.empty());
    }
};

QTEST_GUILESS_MAIN(GatewayCertificateAnalyzerTest)
#include "gateway_certificate_analyzer_test.moc"
