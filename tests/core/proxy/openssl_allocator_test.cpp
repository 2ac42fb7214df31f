// SPDX-License-Identifier: Apache-2.0
// The CLI installs OpenSSL's allocator before anything else; TLS then works as before.

#include "proxy/openssl_allocator.h"

#include <QTest>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

class OpenSslAllocatorTest : public QObject {
    Q_OBJECT

private slots:
    void installsBeforeOpenSslAllocates() { QVERIFY(sluice::proxy::installOpenSslAllocator()); }

    void tlsWorksThroughIt() {
        SSL_CTX* context = SSL_CTX_new(TLS_server_method());
        QVERIFY(context);
        SSL* ssl = SSL_new(context);
        QVERIFY(ssl);
        ERR_put_error(ERR_LIB_SSL, 0, SSL_R_BAD_LENGTH, __FILE__, __LINE__); // a queued error is freed
        ERR_clear_error();
        QCOMPARE(ERR_peek_error(), 0ul);
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned length = 0;
        QVERIFY(EVP_Digest("abc", 3, digest, &length, EVP_sha256(), nullptr));
        QCOMPARE(length, 32u);
        QCOMPARE(digest[0], static_cast<unsigned char>(0xba)); // SHA-256("abc") = ba7816bf...
        SSL_free(ssl);
        SSL_CTX_free(context);
    }
};

QTEST_GUILESS_MAIN(OpenSslAllocatorTest)
#include "openssl_allocator_test.moc"
