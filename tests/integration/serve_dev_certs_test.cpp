// SPDX-License-Identifier: Apache-2.0
// `sluice serve` with TLS servers whose certificates are not in the YAML: refused with the server
// and credentialName named; with --dev-certs served from a local CA (made once, key 0600, reused)
// that curl trusts with --cacert, MUTUAL included; no private key ever printed.

#include "client_process.h"
#include "port_offset.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using sluice::test::ClientRun;
using sluice::test::curlRun;

namespace {

// Two HTTPS servers on port 443 told apart by SNI: shop (SIMPLE) and partner (MUTUAL), neither
// Secret in the YAML.
constexpr const char* kConfig = SLUICE_SOURCE_DIR "/tests/integration/data/secure-gateway.yaml";

class ServeProcess {
public:
    ServeProcess(const QString& dataHome, const QStringList& extra, const QString& config, int offset) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome);
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(SLUICE_CLI),
                      QStringList{QStringLiteral("serve"), QStringLiteral("--workers"), QStringLiteral("1"),
                                  QStringLiteral("--port-offset"), QString::number(offset)} +
                          extra + QStringList{config});
        process.waitForStarted(10000);
    }
    ~ServeProcess() {
        if (process.state() == QProcess::Running) {
            process.terminate();
            process.waitForFinished(10000);
        }
    }
    /// Waits for the banner (or the end); true when serving.
    bool started() {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000 && process.state() == QProcess::Running && !out.contains("Ctrl+C stops")) {
            process.waitForReadyRead(200);
            out += process.readAllStandardOutput();
            err += process.readAllStandardError();
        }
        out += process.readAllStandardOutput();
        err += process.readAllStandardError();
        if (process.state() != QProcess::Running)
            err += "\n(exited with " + QByteArray::number(process.exitCode()) + ")";
        return process.state() == QProcess::Running && out.contains("Ctrl+C stops");
    }

    QProcess process;
    QByteArray out;
    QByteArray err;
};

QStringList https(const QString& host, int port, const QString& ca,
                  const QString& path = QStringLiteral("/")) {
    return {QStringLiteral("-H"),
            QStringLiteral("Host: ") + host,
            QStringLiteral("--cacert"),
            ca,
            QStringLiteral("--resolve"),
            QStringLiteral("%1:%2:127.0.0.1").arg(host).arg(port),
            QStringLiteral("https://%1:%2%3").arg(host).arg(port).arg(path)};
}

} // namespace

class ServeDevCertsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_config = QString::fromUtf8(kConfig);
        QVERIFY(QFile::exists(m_config));
    }

    void refusedWithoutCertificates() {
        ServeProcess serve(m_dir.filePath(QStringLiteral("data")), {}, m_config, offset());
        QVERIFY(serve.process.waitForFinished(20000));
        QCOMPARE(serve.process.exitCode(), 1);
        const QByteArray err = serve.process.readAllStandardError();
        QVERIFY2(err.contains("Gateway istio-system/secure server port 443 (https-shop): credentialName "
                              "\"shop-cert\": secret istio-system/shop-cert not found in the loaded YAML"),
                 err.constData());
        QVERIFY2(err.contains("credentialName \"partner-cert\""), err.constData());
        QVERIFY2(err.contains("--dev-certs"), err.constData());
    }

    void devCertsServeWithALocalCa() {
        const QString data = m_dir.filePath(QStringLiteral("data"));
        const int port = offset();
        ServeProcess serve(data, {QStringLiteral("--dev-certs")}, m_config, port);
        QVERIFY2(serve.started(), QByteArray(serve.out + serve.err).constData());
        const QString ca = data + QStringLiteral("/sluice/dev-ca/ca.crt");
        QVERIFY2(serve.out.contains(QByteArray(ca.toUtf8() + " (made now)")), serve.out.constData());
        QVERIFY(serve.out.contains(QByteArray("curl --cacert " + ca.toUtf8())));
        QVERIFY(serve.out.contains("update-ca-certificates"));
        QVERIFY(!serve.out.contains("PRIVATE KEY") && !serve.err.contains("PRIVATE KEY"));
        struct stat st {};
        QCOMPARE(
            ::stat(QString(data + QStringLiteral("/sluice/dev-ca/ca.key")).toLocal8Bit().constData(), &st),
            0);
        QCOMPARE(st.st_mode & 0777u, 0600u);

        const int httpsPort = port + 443;
        const ClientRun shop = curlRun(https(QStringLiteral("shop.example.com"), httpsPort, ca));
        QVERIFY2(shop.exitCode == 0 && shop.out.contains("\"workload\":\"shop-1\""), shop.all().constData());
        // MUTUAL: the development client certificate beside the CA is accepted, none is refused.
        const QString dir = data + QStringLiteral("/sluice/dev-ca/");
        const ClientRun partner =
            curlRun(QStringList{QStringLiteral("--cert"), dir + QStringLiteral("client.crt"),
                                QStringLiteral("--key"), dir + QStringLiteral("client.key")} +
                    https(QStringLiteral("partner.example.com"), httpsPort, ca));
        QVERIFY2(partner.exitCode == 0 && partner.out.contains("\"workload\":\"shop-1\""),
                 partner.all().constData());
        const ClientRun anonymous = curlRun(https(QStringLiteral("partner.example.com"), httpsPort, ca));
        QVERIFY2(anonymous.exitCode != 0, anonymous.all().constData());
    }

    void theCaIsReusedAcrossRuns() {
        const QString data = m_dir.filePath(QStringLiteral("data"));
        QFile caFile(data + QStringLiteral("/sluice/dev-ca/ca.crt"));
        QVERIFY(caFile.open(QIODevice::ReadOnly));
        const QByteArray before = caFile.readAll();
        const int port = offset();
        ServeProcess serve(data, {QStringLiteral("--dev-certs")}, m_config, port);
        QVERIFY2(serve.started(), QByteArray(serve.out + serve.err).constData());
        QVERIFY2(serve.out.contains(" (reused)"), serve.out.constData());
        caFile.seek(0);
        QCOMPARE(caFile.readAll(), before);
        const ClientRun shop =
            curlRun(https(QStringLiteral("shop.example.com"), port + 443, caFile.fileName()));
        QVERIFY2(shop.exitCode == 0, shop.all().constData());
    }

private:
    static int offset() { return sluice::test::freePortOffset(); }

    QTemporaryDir m_dir;
    QString m_config;
};

QTEST_GUILESS_MAIN(ServeDevCertsTest)
#include "serve_dev_certs_test.moc"
