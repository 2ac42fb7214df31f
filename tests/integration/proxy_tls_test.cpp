// SPDX-License-Identifier: Apache-2.0
// TLS termination on the live proxy with real clients: SNI picks the Gateway server (and its
// certificate) as the routing engine does, MUTUAL verifies client certificates, unknown SNI and
// hostile ClientHellos close the connection while the proxy keeps serving; httpsRedirect and
// the samples/tls config end to end.

#include "client_process.h"
#include "served_config.h"
#include "test_pki.h"

#include <optional>

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>

using sluice::proxy::DevCertificateAuthority;
using sluice::test::ClientRun;
using sluice::test::curlRun;
using sluice::test::runClient;
using sluice::test::Served;
using sluice::test::TestPki;

namespace {

std::string config(const TestPki& pki, const TestPki::Issued& a, const TestPki::Issued& b,
                   const TestPki::Issued& m) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https-a, protocol: HTTPS}
    hosts: ["a.example.com"]
    tls: {mode: SIMPLE, credentialName: a-cred}
  - port: {number: 443, name: https-b, protocol: HTTPS}
    hosts: ["b.example.com"]
    tls: {mode: SIMPLE, credentialName: b-cred}
  - port: {number: 443, name: https-m, protocol: HTTPS}
    hosts: ["m.example.com"]
    tls: {mode: MUTUAL, credentialName: m-cred}
  - port: {number: 443, name: https-o, protocol: HTTPS}
    hosts: ["o.example.com"]
    tls: {mode: OPTIONAL_MUTUAL, credentialName: m-cred}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: ["a.example.com", "b.example.com", "m.example.com", "o.example.com"]
  gateways: ["istio-system/gw"]
  http:
  - match: [{authority: {exact: b.example.com}}]
    route: [{destination: {host: svc-b, port: {number: 80}}}]
  - match: [{uri: {prefix: /big}}]
    route: [{destination: {host: big, port: {number: 80}}}]
  - route: [{destination: {host: svc-a, port: {number: 80}}}]
---
apiVersion: v1
kind: Service
metadata: {name: svc-a}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: svc-b}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: big}
spec: {selector: {app: big}, ports: [{name: http, port: 80}]}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: big}
spec: {labels: {app: big}, responseBytes: 300000}
)" + pki.secret("istio-system", "a-cred", a) +
           pki.secret("istio-system", "b-cred", b) + pki.secret("istio-system", "m-cred", m, true);
}

} // namespace

class ProxyTlsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(m_pki.error.empty(), m_pki.error.c_str());
        const auto a = m_pki.issue(QStringLiteral("a"), {"a.example.com"});
        const auto b = m_pki.issue(QStringLiteral("b"), {"b.example.com"});
        const auto m = m_pki.issue(QStringLiteral("m"), {"m.example.com", "o.example.com"});
        m_client = m_pki.issue(QStringLiteral("client"), {"client"}, DevCertificateAuthority::Usage::Client);
        m_foreignClient =
            m_foreign.issue(QStringLiteral("foreign"), {"client"}, DevCertificateAuthority::Usage::Client);
        QVERIFY2(m_pki.error.empty() && m_foreign.error.empty(), m_pki.error.c_str());
        sluice::proxy::ServeOptions options;
        options.tlsHandshakeTimeout = std::chrono::milliseconds(1000);
        m_served.emplace(Served::yaml(config(m_pki, a, b, m), options));
        QVERIFY2(m_served->error.empty(), m_served->error.c_str());
        QVERIFY(m_served->tlsProblems.empty());
        m_port = m_served->port(443);
        QVERIFY(m_port != 0);
    }

    void cleanupTestCase() { m_served.reset(); }

    void sniPicksTheServerAndItsCertificate_data() {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::addColumn<QByteArray>("workload");
        // ALPN offers h2 first: curl --http2 gets HTTP/2, --http1.1 (ALPN http/1.1 only) HTTP/1.1.
        QTest::newRow("a, HTTP/1.1") << QStringLiteral("a.example.com") << QStringLiteral("--http1.1")
                                     << QByteArray("HTTP/1.1 200 OK") << QByteArray("svc-a-1");
        QTest::newRow("b, HTTP/1.1") << QStringLiteral("b.example.com") << QStringLiteral("--http1.1")
                                     << QByteArray("HTTP/1.1 200 OK") << QByteArray("svc-b-1");
        QTest::newRow("a, h2") << QStringLiteral("a.example.com") << QStringLiteral("--http2")
                               << QByteArray("HTTP/2 200") << QByteArray("svc-a-1");
        QTest::newRow("b, h2") << QStringLiteral("b.example.com") << QStringLiteral("--http2")
                               << QByteArray("HTTP/2 200") << QByteArray("svc-b-1");
    }

    void sniPicksTheServerAndItsCertificate() {
        QFETCH(QString, host);
        QFETCH(QString, protocol);
        QFETCH(QByteArray, statusLine);
        QFETCH(QByteArray, workload);
        // --cacert with curl's host name check: only the certificate for `host` passes.
        // The Host a client of the real gateway sends (no local port): the authority match sees it.
        const ClientRun r =
            curlRun(QStringList{QStringLiteral("-i"), protocol, QStringLiteral("-H"),
                                QStringLiteral("Host: ") + host, QStringLiteral("--cacert"), m_pki.caFile()} +
                    resolve(host) +
                    QStringList{url(host, QStringLiteral("/hello")),
                                url(host, QStringLiteral("/again"))}); // two requests, one connection
        QVERIFY2(r.exitCode == 0, r.all().constData());
        QCOMPARE(r.out.count(statusLine), 2);
        QVERIFY2(r.out.contains(QByteArray(QByteArray("x-sluice-workload: ") + workload)), r.out.constData());
        QVERIFY2(r.out.contains("\"x-forwarded-proto\":\"https\""), r.out.constData());
    }

    void largeBodiesBothWays() {
        QTemporaryFile upload;
        QVERIFY(upload.open());
        upload.write(QByteArray(500000, 'u'));
        upload.flush();
        const ClientRun post =
            curlRun(QStringList{QStringLiteral("--cacert"), m_pki.caFile()} +
                    resolve(QStringLiteral("a.example.com")) +
                    QStringList{QStringLiteral("--data-binary"), QStringLiteral("@") + upload.fileName(),
                                url(QStringLiteral("a.example.com"), QStringLiteral("/upload"))});
        QVERIFY2(post.exitCode == 0, post.all().constData());
        QVERIFY2(post.out.contains("\"content-length\":\"500000\""), post.out.constData());
        const ClientRun big =
            curlRun(QStringList{QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                                QStringLiteral("%{http_code} %{size_download}"), QStringLiteral("--cacert"),
                                m_pki.caFile()} +
                    resolve(QStringLiteral("a.example.com")) +
                    QStringList{url(QStringLiteral("a.example.com"), QStringLiteral("/big"))});
        QVERIFY2(big.exitCode == 0, big.all().constData());
        QVERIFY2(big.out.startsWith("200 ") && big.out.mid(4).toLongLong() >= 300000, big.out.constData());
    }

    void unknownSniIsRefused() {
        const ClientRun r = curlRun(QStringList{QStringLiteral("--cacert"), m_pki.caFile()} +
                                    resolve(QStringLiteral("c.example.com")) +
                                    QStringList{url(QStringLiteral("c.example.com"), QStringLiteral("/"))});
        QVERIFY2(r.exitCode != 0 && !r.out.contains("HTTP/"), r.all().constData());
        // No SNI at all: no chain without server names either.
        const ClientRun ip =
            curlRun({QStringLiteral("-k"), QStringLiteral("https://127.0.0.1:%1/").arg(m_port)});
        QVERIFY2(ip.exitCode != 0, ip.all().constData());
        const ClientRun s = sClient(QStringLiteral("c.example.com"), {});
        QVERIFY2(s.exitCode != 0 && !s.all().contains("Verification: OK"), s.all().constData());
    }

    void opensslSeesTheChosenCertificate() {
        const ClientRun s = sClient(QStringLiteral("b.example.com"), {});
        QVERIFY2(s.exitCode == 0, s.all().constData());
        QVERIFY2(s.all().contains("Verification: OK"), s.all().constData());
        QVERIFY2(s.all().contains("CN = b.example.com"), s.all().constData());
    }

    void mutualAcceptsACertificateOfItsCa() {
        const ClientRun r =
            curlRun(QStringList{QStringLiteral("--cacert"), m_pki.caFile(), QStringLiteral("--cert"),
                                m_client.certificateFile, QStringLiteral("--key"), m_client.keyFile} +
                    resolve(QStringLiteral("m.example.com")) +
                    QStringList{url(QStringLiteral("m.example.com"), QStringLiteral("/mtls"))});
        QVERIFY2(r.exitCode == 0 && r.out.contains("\"path\":\"/mtls\""), r.all().constData());
        const ClientRun s =
            sClient(QStringLiteral("m.example.com"), {QStringLiteral("-cert"), m_client.certificateFile,
                                                      QStringLiteral("-key"), m_client.keyFile});
        QVERIFY2(s.exitCode == 0 && s.all().contains("Verification: OK"), s.all().constData());
    }

    void mutualRefusesMissingOrForeignCertificates() {
        const ClientRun none =
            curlRun(QStringList{QStringLiteral("--cacert"), m_pki.caFile()} +
                    resolve(QStringLiteral("m.example.com")) +
                    QStringList{url(QStringLiteral("m.example.com"), QStringLiteral("/"))});
        QVERIFY2(none.exitCode != 0 && !none.out.contains("\"path\""), none.all().constData());
        const ClientRun foreign = curlRun(
            QStringList{QStringLiteral("--cacert"), m_pki.caFile(), QStringLiteral("--cert"),
                        m_foreignClient.certificateFile, QStringLiteral("--key"), m_foreignClient.keyFile} +
            resolve(QStringLiteral("m.example.com")) +
            QStringList{url(QStringLiteral("m.example.com"), QStringLiteral("/"))});
        QVERIFY2(foreign.exitCode != 0 && !foreign.out.contains("\"path\""), foreign.all().constData());
        // TLS 1.2: the refusal is part of the handshake, so s_client itself fails.
        const ClientRun s = sClient(QStringLiteral("m.example.com"), {QStringLiteral("-tls1_2")});
        QVERIFY2(s.exitCode != 0, s.all().constData());
        const ClientRun sForeign =
            sClient(QStringLiteral("m.example.com"),
                    {QStringLiteral("-tls1_2"), QStringLiteral("-cert"), m_foreignClient.certificateFile,
                     QStringLiteral("-key"), m_foreignClient.keyFile});
        QVERIFY2(sForeign.exitCode != 0, sForeign.all().constData());
    }

    void optionalMutualVerifiesOnlyWhatIsPresented() {
        const QString host = QStringLiteral("o.example.com");
        const ClientRun none = curlRun(QStringList{QStringLiteral("--cacert"), m_pki.caFile()} +
                                       resolve(host) + QStringList{url(host, QStringLiteral("/optional"))});
        QVERIFY2(none.exitCode == 0 && none.out.contains("\"path\":\"/optional\""), none.all().constData());
        const ClientRun good =
            curlRun(QStringList{QStringLiteral("--cacert"), m_pki.caFile(), QStringLiteral("--cert"),
                                m_client.certificateFile, QStringLiteral("--key"), m_client.keyFile} +
                    resolve(host) + QStringList{url(host, QStringLiteral("/optional"))});
        QVERIFY2(good.exitCode == 0, good.all().constData());
        const ClientRun foreign = curlRun(
            QStringList{QStringLiteral("--cacert"), m_pki.caFile(), QStringLiteral("--cert"),
                        m_foreignClient.certificateFile, QStringLiteral("--key"), m_foreignClient.keyFile} +
            resolve(host) + QStringList{url(host, QStringLiteral("/optional"))});
        QVERIFY2(foreign.exitCode != 0 && !foreign.out.contains("\"path\""), foreign.all().constData());
    }

    void plaintextToTheTlsPortIsClosed() {
        const ClientRun r = curlRun({QStringLiteral("-H"), QStringLiteral("Host: a.example.com"),
                                     QStringLiteral("http://127.0.0.1:%1/").arg(m_port)});
        QVERIFY2(r.exitCode != 0 && !r.out.contains("HTTP/"), r.all().constData());
    }

    void hostileClientHellosCloseTheConnection_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("garbage") << QByteArray(2000, '\x7f');
        QTest::newRow("sslv2 hello") << QByteArray::fromHex("802e0103010015000000100000");
        QTest::newRow("malformed hello") << QByteArray::fromHex("160301000901000005030301020304");
        QTest::newRow("alert first") << QByteArray::fromHex("15030100020228");
        QTest::newRow("huge declared hello")
            << QByteArray::fromHex("1603014000") + QByteArray::fromHex("01ffffff") + QByteArray(16380, '\0');
        QByteArray tiny;
        for (int i = 0; i < 40000; ++i) // one handshake byte per record
            tiny += QByteArray::fromHex("160301000101");
        QTest::newRow("tiny records") << tiny;
        QTest::newRow("truncated, then silent") << QByteArray::fromHex("16030102000100");
    }

    void hostileClientHellosCloseTheConnection() {
        QFETCH(QByteArray, bytes);
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        QVERIFY(socket.waitForConnected(5000));
        socket.write(bytes);
        socket.waitForBytesWritten(5000);
        QElapsedTimer timer;
        timer.start();
        // Closed by the proxy: at once, or after the ClientHello timeout (1 s here) for a stall.
        QVERIFY(socket.state() == QAbstractSocket::UnconnectedState || socket.waitForDisconnected(8000));
        QVERIFY(timer.elapsed() < 8000);
        QVERIFY(socket.readAll().isEmpty()); // no byte of an answer
        // And the proxy still serves.
        const ClientRun r =
            curlRun(QStringList{QStringLiteral("--cacert"), m_pki.caFile()} +
                    resolve(QStringLiteral("a.example.com")) +
                    QStringList{url(QStringLiteral("a.example.com"), QStringLiteral("/after"))});
        QVERIFY2(r.exitCode == 0 && r.out.contains("\"path\":\"/after\""), r.all().constData());
    }

    void samplesTlsEndToEnd() {
        Served s = Served::sample("tls");
        QVERIFY2(s.error.empty(), s.error.c_str());
        QVERIFY(s.tlsProblems.empty());
        // httpsRedirect on port 80: 301 to https, path and query kept, routes not consulted.
        const ClientRun redirect =
            curlRun({QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: shop.example.com"),
                     QStringLiteral("http://127.0.0.1:%1/cart?item=7").arg(s.port(80))});
        QVERIFY2(redirect.out.startsWith("HTTP/1.1 301 "), redirect.all().constData());
        QVERIFY2(redirect.out.contains("\r\nlocation: https://shop.example.com/cart?item=7\r\n"),
                 redirect.out.constData());

        // SIMPLE with the Secret's self-signed certificate as the trust anchor.
        QTemporaryFile shopCert;
        QVERIFY(shopCert.open());
        for (const auto& secret : s.loaded.resources.secrets)
            if (secret.header.name() == "shop-tls")
                shopCert.write(
                    QByteArray::fromBase64(QByteArray::fromStdString(secret.data.at("tls.crt").value)));
        shopCert.flush();
        const QString https = QStringLiteral("%1").arg(s.port(443));
        const ClientRun shop =
            curlRun({QStringLiteral("-i"), QStringLiteral("--cacert"), shopCert.fileName(),
                     QStringLiteral("--resolve"),
                     QStringLiteral("shop.example.com:") + https + QStringLiteral(":127.0.0.1"),
                     QStringLiteral("https://shop.example.com:") + https + QStringLiteral("/")});
        QVERIFY2(shop.exitCode == 0 && shop.out.contains("x-sluice-workload: store-"),
                 shop.all().constData());

        // MUTUAL with the sample's test client certificate.
        const QString client = QStringLiteral(SLUICE_SOURCE_DIR "/samples/tls/test-client/");
        const ClientRun partner =
            curlRun({QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: partner.example.com"),
                     QStringLiteral("--cacert"), client + QStringLiteral("ca.crt"), QStringLiteral("--cert"),
                     client + QStringLiteral("client.crt"), QStringLiteral("--key"),
                     client + QStringLiteral("client.key"), QStringLiteral("--resolve"),
                     QStringLiteral("partner.example.com:") + https + QStringLiteral(":127.0.0.1"),
                     QStringLiteral("https://partner.example.com:") + https + QStringLiteral("/orders")});
        QVERIFY2(partner.exitCode == 0 && partner.out.contains("x-sluice-workload: store-api-"),
                 partner.all().constData());
    }

private:
    /// curl's --resolve pinning `host` on the proxy's TLS port to loopback (SNI = host).
    [[nodiscard]] QStringList resolve(const QString& host) const {
        return {QStringLiteral("--resolve"), QStringLiteral("%1:%2:127.0.0.1").arg(host).arg(m_port)};
    }
    [[nodiscard]] QString url(const QString& host, const QString& path) const {
        return QStringLiteral("https://%1:%2%3").arg(host).arg(m_port).arg(path);
    }
    /// openssl s_client to the TLS port with `sni`, verifying against the test CA and host name.
    [[nodiscard]] ClientRun sClient(const QString& sni, const QStringList& extra) const {
        return runClient(QStringLiteral("openssl"),
                         QStringList{QStringLiteral("s_client"), QStringLiteral("-connect"),
                                     QStringLiteral("127.0.0.1:%1").arg(m_port),
                                     QStringLiteral("-servername"), sni, QStringLiteral("-verify_hostname"),
                                     sni, QStringLiteral("-CAfile"), m_pki.caFile(),
                                     QStringLiteral("-verify_return_error"), QStringLiteral("-brief")} +
                             extra,
                         "GET / HTTP/1.1\r\nHost: " + sni.toUtf8() + "\r\nConnection: close\r\n\r\n");
    }

    TestPki m_pki{"ca"};
    TestPki m_foreign{"foreign-ca"};
    TestPki::Issued m_client;
    TestPki::Issued m_foreignClient;
    std::optional<Served> m_served;
    std::uint16_t m_port = 0;
};

QTEST_GUILESS_MAIN(ProxyTlsTest)
#include "proxy_tls_test.moc"
