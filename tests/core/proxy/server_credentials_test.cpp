// SPDX-License-Identifier: Apache-2.0
// Secret (or file) -> certificate extraction for SIMPLE and MUTUAL Gateway servers, with Istio's
// key names, namespace rule and messages. The "PEM" here is placeholder text: only where it comes
// from is under test (OpenSSL parses it later, in TlsChainContext).

#include "config/loader.h"
#include "proxy/server_credentials.h"

#include <QTemporaryDir>
#include <QTest>

using sluice::proxy::CredentialLookup;
using sluice::proxy::resolveServerCredentials;

namespace {

std::string b64(const char* text) {
    return QByteArray(text).toBase64().toStdString();
}

/// A Gateway whose first server has `tls` (YAML flow map), plus `secrets` (YAML documents).
std::string config(const std::string& tls, const std::string& secrets) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["shop.example.com"]
    tls: )" +
           tls + "\n" + secrets;
}

std::string secret(const std::string& ns, const std::string& name, const std::string& data,
                   const std::string& extra = {}) {
    return "---\napiVersion: v1\nkind: Secret\nmetadata: {name: " + name + ", namespace: " + ns +
           "}\ntype: kubernetes.io/tls\ndata: " + data + "\n" + extra;
}

CredentialLookup resolve(const std::string& yaml, bool mutual, const std::string& path = "gw.yaml") {
    sluice::config::LoadResult loaded;
    sluice::config::loadText(path, yaml, loaded);
    const auto& tls = *loaded.resources.gateways.at(0).spec.servers.at(0).tls;
    return resolveServerCredentials(tls, mutual, loaded.resources, "istio-system");
}

} // namespace

class ServerCredentialsTest : public QObject {
    Q_OBJECT

private slots:
    void fromSecrets_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<bool>("mutual");
        QTest::addColumn<QString>("certificate"); ///< expected chain, or empty when it fails
        QTest::addColumn<QString>("clientCa");
        QTest::addColumn<QString>("problem"); ///< expected problem (substring)
        const std::string tlsPair = "{tls.crt: " + b64("CERT-T") + ", tls.key: " + b64("KEY-T") + "}";
        const auto row = [](const char* name, const std::string& yaml, bool mutual, const char* cert,
                            const char* ca, const char* problem) {
            QTest::newRow(name) << QString::fromStdString(yaml) << mutual << QString::fromLatin1(cert)
                                << QString::fromLatin1(ca) << QString::fromLatin1(problem);
        };
        row("kubernetes.io/tls secret",
            config("{mode: SIMPLE, credentialName: cred}", secret("istio-system", "cred", tlsPair)), false,
            "CERT-T", "", "");
        row("kubernetes:// prefix",
            config("{mode: SIMPLE, credentialName: \"kubernetes://cred\"}",
                   secret("istio-system", "cred", tlsPair)),
            false, "CERT-T", "", "");
        row("generic cert/key win over tls.crt",
            config("{mode: SIMPLE, credentialName: cred}",
                   secret("istio-system", "cred",
                          "{cert: " + b64("CERT-G") + ", key: " + b64("KEY-G") +
                              ", tls.crt: " + b64("CERT-T") + ", tls.key: " + b64("KEY-T") + "}")),
            false, "CERT-G", "", "");
        row("stringData merged over data",
            config("{mode: SIMPLE, credentialName: cred}",
                   secret("istio-system", "cred", "{tls.key: " + b64("KEY-T") + "}",
                          "stringData: {tls.crt: PLAIN}\n")),
            false, "PLAIN", "", "");
        row("secret in the Gateway's namespace is not the gateway's",
            config("{mode: SIMPLE, credentialName: cred}", secret("shop", "cred", tlsPair)), false, "", "",
            "credentialName \"cred\": secret istio-system/cred not found in the loaded YAML");
        row("another namespace is not readable",
            config("{mode: SIMPLE, credentialName: shop/cred}", secret("shop", "cred", tlsPair)), false, "",
            "",
            "Secret shop/cred is not accessible to the gateway, which reads Secrets of its own namespace "
            "istio-system only");
        row("empty values",
            config("{mode: SIMPLE, credentialName: cred}",
                   secret("istio-system", "cred", "{tls.crt: \"\", tls.key: \"\"}")),
            false, "", "", "found keys \"tls.crt\" and \"tls.key\", but they were empty");
        row("wrong keys",
            config("{mode: SIMPLE, credentialName: cred}",
                   secret("istio-system", "cred",
                          "{a: " + b64("x") + ", b: " + b64("y") + ", c: " + b64("z") + ", d: " + b64("w") +
                              "}")),
            false, "", "",
            "found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: a, "
            "b, c, "
            "and 1 more...");
        row("not base64",
            config("{mode: SIMPLE, credentialName: cred}",
                   secret("istio-system", "cred", "{tls.crt: \"%%%\", tls.key: " + b64("K") + "}")),
            false, "", "", "data.tls.crt is not valid base64");
        row("mutual: ca.crt of the same secret",
            config("{mode: MUTUAL, credentialName: cred}",
                   secret("istio-system", "cred",
                          "{tls.crt: " + b64("CERT-T") + ", tls.key: " + b64("KEY-T") +
                              ", ca.crt: " + b64("CA-1") + "}")),
            true, "CERT-T", "CA-1", "");
        row("mutual: the -cacert secret wins",
            config("{mode: MUTUAL, credentialName: cred}",
                   secret("istio-system", "cred",
                          "{tls.crt: " + b64("CERT-T") + ", tls.key: " + b64("KEY-T") +
                              ", ca.crt: " + b64("CA-1") + "}") +
                       secret("istio-system", "cred-cacert", "{cacert: " + b64("CA-2") + "}")),
            true, "CERT-T", "CA-2", "");
        row("mutual: no CA anywhere",
            config("{mode: MUTUAL, credentialName: cred}", secret("istio-system", "cred", tlsPair)), true, "",
            "",
            "Secret istio-system/cred: found secret, but didn't have expected keys cacert or ca.crt; found: "
            "tls.crt, tls.key");
        row("simple ignores a missing CA",
            config("{mode: SIMPLE, credentialName: cred}", secret("istio-system", "cred", tlsPair)), false,
            "CERT-T", "", "");
    }

    void fromSecrets() {
        QFETCH(QString, yaml);
        QFETCH(bool, mutual);
        QFETCH(QString, certificate);
        QFETCH(QString, clientCa);
        QFETCH(QString, problem);
        const CredentialLookup lookup = resolve(yaml.toStdString(), mutual);
        if (certificate.isEmpty()) {
            QVERIFY(!lookup.credentials);
            QVERIFY2(QString::fromStdString(lookup.problem).contains(problem), lookup.problem.c_str());
            QVERIFY(!QString::fromStdString(lookup.problem)
                         .contains(QStringLiteral("KEY"))); // never key material
            return;
        }
        QVERIFY2(lookup.credentials, lookup.problem.c_str());
        QCOMPARE(lookup.credentials->pairs.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(lookup.credentials->pairs[0].certificateChain), certificate);
        QVERIFY(lookup.credentials->pairs[0].privateKey.reveal().starts_with("KEY-"));
        QCOMPARE(QString::fromStdString(lookup.credentials->clientCa), clientCa);
        QVERIFY(lookup.credentials->origin.starts_with("Secret istio-system/cred"));
    }

    void filesRelativeToTheYaml() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const auto& [name, text] :
             {std::pair{"server.crt", "FILE-CERT"}, std::pair{"server.key", "FILE-KEY"},
              std::pair{"ca.crt", "FILE-CA"}}) {
            QFile f(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
        const std::string yaml =
            config("{mode: MUTUAL, serverCertificate: server.crt, privateKey: server.key, caCertificates: " +
                       dir.filePath(QStringLiteral("ca.crt")).toStdString() + "}",
                   "");
        const CredentialLookup lookup =
            resolve(yaml, true, dir.filePath(QStringLiteral("gw.yaml")).toStdString());
        QVERIFY2(lookup.credentials, lookup.problem.c_str());
        QCOMPARE(lookup.credentials->pairs.at(0).certificateChain, std::string("FILE-CERT"));
        QCOMPARE(lookup.credentials->pairs.at(0).privateKey.reveal(), std::string("FILE-KEY"));
        QCOMPARE(lookup.credentials->clientCa, std::string("FILE-CA"));

        const CredentialLookup missing = resolve(
            config(
                "{mode: SIMPLE, serverCertificate: /nonexistent/tls.crt, privateKey: /nonexistent/tls.key}",
                ""),
            false);
        QVERIFY(!missing.credentials);
        QCOMPARE(missing.problem, std::string("cannot read /nonexistent/tls.crt"));
    }

    void noCertificateAtAll() {
        const CredentialLookup lookup = resolve(config("{mode: SIMPLE}", ""), false);
        QVERIFY(!lookup.credentials);
        QVERIFY(lookup.problem.starts_with("no credentialName and no serverCertificate/privateKey"));
    }
};

QTEST_APPLESS_MAIN(ServerCredentialsTest)
#include "server_credentials_test.moc"
