// SPDX-License-Identifier: Apache-2.0
#include "rule_test_support.h"
#include "validate/rules.h"

#include <QTest>

using sluice::model::Level;

namespace {

/// A Gateway named `name` whose spec continues with `spec` (line 6 onwards; servers' items from line 7).
std::string gateway(const char* spec, const char* name = "gw") {
    return std::string("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: ") + name +
           "\nspec:\n" + spec;
}

} // namespace

class GatewayRulesTest : public QObject {
    Q_OBJECT

private slots:
    void rules_data() {
        sluice::test::addRuleColumns();
        const QString error = QStringLiteral("IST0106"), warning = QStringLiteral("IST0133"), none;

        QTest::newRow("valid: http redirect and https with credential") << gateway(R"(  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [a.example.com, "ns/b.example.com", "*", "10.0.0.1"]
    tls: {httpsRedirect: true}
  - port: {number: 443, name: https, protocol: https}
    hosts: [a.example.com]
    tls: {mode: MUTUAL, credentialName: a-cert}
)") << none << Level::Error << 0 << QString();
        QTest::newRow("G1 name is not a DNS label")
            << gateway("  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: "
                       "[a.example.com]\n",
                       "my.gw")
            << error << Level::Error << 4 << "invalid gateway name: \"my.gw\"";
        QTest::newRow("G2 no servers") << gateway("  servers: []\n") << error << Level::Error << 6
                                       << "gateway must have at least one server";
        QTest::newRow("G3 server without hosts")
            << gateway("  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n") << error
            << Level::Error << 7 << "server config must contain at least one host";
        QTest::newRow("G3 short host name")
            << gateway("  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [shop]\n")
            << error << Level::Error << 8 << "short names (non FQDN) are not allowed";
        QTest::newRow("G3 partial wildcard host")
            << gateway("  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: "
                       "[\"*shop.example.com\"]\n")
            << error << Level::Error << 8 << "partial wildcard";
        QTest::newRow("G3 bad namespace in host")
            << gateway("  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: "
                       "[bad_ns/a.example.com]\n")
            << error << Level::Error << 8 << "invalid namespace value \"bad_ns\"";
        QTest::newRow("G4 port missing") << gateway("  servers:\n  - hosts: [a.example.com]\n") << error
                                         << Level::Error << 7 << "port is required";
        QTest::newRow("G4 unknown protocol")
            << gateway("  servers:\n  - port: {number: 80, name: http, protocol: HTTPX}\n    hosts: "
                       "[a.example.com]\n")
            << error << Level::Error << 7 << "invalid protocol \"HTTPX\", supported protocols are";
        QTest::newRow("valid: protocols are case-insensitive")
            << gateway("  servers:\n  - port: {number: 80, name: web, protocol: grpc-web}\n    hosts: "
                       "[a.example.com]\n"
                       "  - port: {number: 81, name: mongo, protocol: Mongo}\n    hosts: [a.example.com]\n")
            << none << Level::Error << 0 << QString();
        QTest::newRow("G4 port number out of range")
            << gateway("  servers:\n  - port: {number: 70000, name: http, protocol: HTTP}\n    hosts: "
                       "[a.example.com]\n")
            << error << Level::Error << 7 << "port number 70000 must be in the range 1..65535";
        QTest::newRow("G4 port name missing")
            << gateway("  servers:\n  - port: {number: 80, protocol: HTTP}\n    hosts: [a.example.com]\n")
            << error << Level::Error << 1 << "port name must be set: number:80 protocol:\"HTTP\"";
        QTest::newRow("G5 targetPort")
            << gateway("  servers:\n  - port: {number: 80, name: http, protocol: HTTP, targetPort: 8080}\n   "
                       " hosts: "
                       "[a.example.com]\n")
            << error << Level::Error << 7 << "targetPort has no impact on Gateways";
        QTest::newRow("G6 duplicate port names") << gateway(R"(  servers:
  - port: {number: 80, name: web, protocol: HTTP}
    hosts: [a.example.com]
  - port: {number: 81, name: web, protocol: HTTP}
    hosts: [b.example.com]
)") << error << Level::Error << 9 << "port names in servers must be unique: duplicate name web";
        QTest::newRow("G7 HTTPS without tls")
            << gateway("  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: "
                       "[a.example.com]\n")
            << error << Level::Error << 7 << "server must have TLS settings for HTTPS/TLS protocols";
        QTest::newRow("G7 certificates on plain HTTP") << gateway(R"(  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [a.example.com]
    tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}
)") << error << Level::Error << 9 << "server cannot have TLS settings for plain text HTTP ports";
        QTest::newRow("G7 tls on TCP") << gateway(R"(  servers:
  - port: {number: 15443, name: tcp, protocol: TCP}
    hosts: ["*.local"]
    tls: {mode: AUTO_PASSTHROUGH}
)") << error << Level::Error << 9 << "server cannot have TLS settings for non HTTPS/TLS ports";
        QTest::newRow("G8 httpsRedirect on HTTPS") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls: {mode: SIMPLE, credentialName: c, httpsRedirect: true}
)") << warning << Level::Warning << 9 << "tls.httpsRedirect should only be used with http servers";
        QTest::newRow("G9 bind not an IP") << gateway(R"(  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [a.example.com]
    bind: 1.2.3
)") << error << Level::Error << 9 << "1.2.3 is not a valid IP";
        QTest::newRow("G9 unix socket needs port 0") << gateway(R"(  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [a.example.com]
    bind: unix:///var/run/gw.sock
)") << error << Level::Error << 9 << "port number must be 0 for unix domain socket";
        QTest::newRow("G9 unix socket path not absolute") << gateway(R"(  servers:
  - port: {number: 0, name: uds, protocol: HTTP}
    hosts: [a.example.com]
    bind: unix://var/run/gw.sock
)") << error << Level::Error << 9 << "var/run/gw.sock is not an absolute path to a file";
        QTest::newRow("valid: IP bind and unix socket with port 0") << gateway(R"(  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [a.example.com]
    bind: 127.0.0.1
  - port: {number: 0, name: uds, protocol: HTTP}
    hosts: [a.example.com]
    bind: unix:///var/run/gw.sock
)") << none << Level::Error << 0 << QString();
        QTest::newRow("G10 SIMPLE without certificate") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls: {mode: SIMPLE}
)") << error << Level::Error << 9 << "SIMPLE TLS requires a server certificate";
        QTest::newRow("G10 MUTUAL without CA bundle") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls: {mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem}
)") << error << Level::Error << 9 << "MUTUAL TLS requires a client CA bundle";
        QTest::newRow("G10 more than two tlsCertificates") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: SIMPLE
      tlsCertificates:
      - {serverCertificate: /a.pem, privateKey: /a.key}
      - {serverCertificate: /b.pem, privateKey: /b.key}
      - {serverCertificate: /c.pem, privateKey: /c.key}
)") << warning << Level::Warning << 14 << "SIMPLE TLS can support up to 2 server certificates";
        QTest::newRow("G10 tlsCertificate without key") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: SIMPLE
      tlsCertificates:
      - {serverCertificate: /a.pem}
)") << error << Level::Error << 12 << "SIMPLE TLS requires a private key";
        QTest::newRow("G11 two certificate sources") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls: {mode: SIMPLE, credentialName: c, serverCertificate: /c.pem, privateKey: /k.pem}
)") << error << Level::Error << 1 << "only one of credential_name, credential_names";
        QTest::newRow("G12 ISTIO_MUTUAL with credentialName") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: ISTIO_MUTUAL
      credentialName: c
)") << error << Level::Error << 11 << "ISTIO_MUTUAL TLS cannot have associated credentialName";
        QTest::newRow("G13 PASSTHROUGH with certificate") << gateway(R"(  servers:
  - port: {number: 443, name: tls, protocol: TLS}
    hosts: [a.example.com]
    tls:
      mode: PASSTHROUGH
      serverCertificate: /c.pem
)") << warning << Level::Warning << 11 << "PASSTHROUGH mode does not use certificates, they will be ignored";
        QTest::newRow("G14 caCrl with SIMPLE") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: SIMPLE
      serverCertificate: /c.pem
      privateKey: /k.pem
      caCrl: /crl.pem
)") << error << Level::Error << 13 << "CRL is not supported with SIMPLE TLS";
        QTest::newRow("G14 TLS 1.1 without cipher suites") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls: {mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_1}
)") << warning << Level::Warning << 9 << "TLS version below TLSV1_2 require setting compatible ciphers";
        QTest::newRow("G14 invalid cipher suite") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: SIMPLE
      credentialName: c
      cipherSuites: [FOO-BAR, ECDHE-RSA-AES128-SHA]
)") << warning << Level::Warning << 12 << "ignoring invalid cipher suites: [FOO-BAR]";
        QTest::newRow("G14 duplicate cipher suite") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: SIMPLE
      credentialName: c
      cipherSuites: [AES128-SHA, AES128-SHA]
)") << warning << Level::Warning << 12 << "ignoring duplicate cipher suites: [AES128-SHA]";
        QTest::newRow("valid: TLS 1.1 with known and operator cipher suites") << gateway(R"(  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: OPTIONAL_MUTUAL
      serverCertificate: /c.pem
      privateKey: /k.pem
      caCertificates: /ca.pem
      minProtocolVersion: TLSV1_1
      cipherSuites: [ECDHE-RSA-AES128-GCM-SHA256, "-AES128-SHA"]
)") << none << Level::Error << 0 << QString();
    }

    void rules() {
        sluice::test::checkRuleRow(
            [](const sluice::model::ResourceSet& r) -> const auto& { return r.gateways; },
            sluice::validate::checkGatewaySchema);
    }
};

QTEST_GUILESS_MAIN(GatewayRulesTest)
#include "gateway_rules_test.moc"
