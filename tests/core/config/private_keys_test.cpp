// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "config/private_keys.h"

#include <QTest>

using namespace sluice;

class PrivateKeysTest : public QObject {
    Q_OBJECT

private slots:
    void secrets_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("reason"); // empty: safe to export
        const QString head = QStringLiteral("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n");
        QTest::newRow("tls.key") << head + QStringLiteral("data: {tls.crt: Yw==, tls.key: aw==}\n")
                                 << QStringLiteral("holds tls.key");
        QTest::newRow("key (Istio generic)")
            << head + QStringLiteral("data: {cert: Yw==, key: aw==, cacert: Yw==}\n")
            << QStringLiteral("holds key");
        QTest::newRow("empty tls.key still a key slot")
            << head + QStringLiteral("data: {tls.key: \"\"}\n") << QStringLiteral("holds tls.key");
        QTest::newRow("ssh") << head + QStringLiteral("stringData: {ssh-privatekey: x}\n")
                             << QStringLiteral("holds ssh-privatekey");
        QTest::newRow("ca.key") << head + QStringLiteral("stringData: {ca.key: x}\n")
                                << QStringLiteral("holds ca.key");
        QTest::newRow("PEM in stringData")
            << head + QStringLiteral("stringData:\n  bundle: \"-----BEGIN PRIVATE KEY-----\\nabc\\n\"\n")
            << QStringLiteral("holds a PEM private key in bundle");
        // base64("x-----BEGIN RSA PRIVATE KEY-----\n"): the marker is not 3-byte aligned
        QTest::newRow("base64 PEM, unaligned")
            << head + QStringLiteral("data: {bundle: eC0tLS0tQkVHSU4gUlNBIFBSSVZBVEUgS0VZLS0tLS0K}\n")
            << QStringLiteral("holds a PEM private key in bundle");
        QTest::newRow("certificate only")
            << head + QStringLiteral("data: {tls.crt: Yw==, ca.crt: Yw==}\n") << QString();
        QTest::newRow("base64 certificate")
            << head + QStringLiteral("data: {ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==}\n")
            << QString();
        QTest::newRow("keyword in a value only")
            << head + QStringLiteral("stringData: {note: key}\n") << QString();
    }
    void secrets() {
        QFETCH(QString, yaml);
        QFETCH(QString, reason);
        config::LoadResult loaded;
        config::loadText("s.yaml", yaml.toStdString(), loaded);
        QCOMPARE(loaded.resources.secrets.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(config::privateKeyReason(loaded.resources.secrets[0])), reason);
        // The text check agrees with the model check on every modelled Secret.
        QCOMPARE(config::privateKeyReasonInText(yaml.toStdString()).empty(), reason.isEmpty());
    }

    void text_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("unsafe");
        QTest::newRow("foreign kind with PEM")
            << QStringLiteral("kind: ConfigMap\ndata:\n  k: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n")
            << true;
        QTest::newRow("Secret as a List item")
            << QStringLiteral("kind: List\nitems:\n- kind: Secret\n  data: {tls.key: aw==}\n") << true;
        QTest::newRow("not YAML but a PEM") << QStringLiteral("a: [\n-----BEGIN PRIVATE KEY-----\n") << true;
        QTest::newRow("Gateway privateKey is a path")
            << QStringLiteral("kind: Gateway\nspec: {servers: [{tls: {privateKey: /etc/certs/key.pem}}]}\n")
            << false;
        QTest::newRow("public key") << QStringLiteral(
                                           "kind: ConfigMap\ndata: {k: \"-----BEGIN PUBLIC KEY-----\"}\n")
                                    << false;
        QTest::newRow("alias bomb is not checked, so unsafe")
            << QStringLiteral(
                   "kind: Secret\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, "
                   "*a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, "
                   "*c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, "
                   "*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n")
            << true;
    }
    void text() {
        QFETCH(QString, text);
        QFETCH(bool, unsafe);
        const std::string why = config::privateKeyReasonInText(text.toStdString());
        QVERIFY2(why.empty() != unsafe, why.c_str());
    }
};

QTEST_GUILESS_MAIN(PrivateKeysTest)
#include "private_keys_test.moc"
