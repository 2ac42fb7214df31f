// SPDX-License-Identifier: Apache-2.0
// `sluice load -f` and `sluice replay -f` with --dev-certs, over real TLS on loopback: TLS servers
// whose Secrets are missing get development certificates (as `sluice serve --dev-certs`), the
// generator verifies them against the development CA and presents its client certificate to
// MUTUAL servers; a replay sends each recorded request with its own host as SNI.

#include "cli_run.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using sluice_cli_test::Run;

namespace {

// Two HTTPS servers on port 443 told apart by SNI: shop (SIMPLE) and partner (MUTUAL), neither
// Secret in the YAML.
constexpr const char* kConfig = SLUICE_SOURCE_DIR "/tests/integration/data/secure-gateway.yaml";

QJsonObject json(const QByteArray& bytes) {
    return QJsonDocument::fromJson(bytes).object();
}

int statusCount(const QJsonObject& report, const char* code) {
    return report.value(QStringLiteral("status")).toObject().value(QLatin1String(code)).toInt();
}

} // namespace

class TrafficDevCertsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(QStringLiteral(SLUICE_CLI)), SLUICE_CLI);
        QVERIFY(m_dir.isValid());
        m_config = QString::fromUtf8(kConfig);
        QVERIFY(QFile::exists(m_config));
    }

    // Without --dev-certs the servers have no certificate: served (as a gateway whose Secret is
    // missing), every handshake fails, and the warning names the way out.
    void withoutDevCertsHandshakesFail() {
        const Run r = sluice({QStringLiteral("load"), QStringLiteral("-f"), m_config,
                              QStringLiteral("https://shop.example.com/"), QStringLiteral("-n"),
                              QStringLiteral("3"), QStringLiteral("-c"), QStringLiteral("1"),
                              QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(statusCount(json(r.out), "0"), 3);
        QVERIFY2(r.err.contains("no usable certificate, handshakes fail (see --dev-certs)"),
                 r.err.constData());
        QVERIFY2(r.err.contains("credentialName \"shop-cert\""), r.err.constData());
    }

    // SIMPLE: the generator verifies the development certificate against the CA (made now).
    void loadSimpleServer() {
        const Run r =
            sluice({QStringLiteral("load"), QStringLiteral("-f"), m_config, QStringLiteral("--dev-certs"),
                    QStringLiteral("https://shop.example.com/"), QStringLiteral("-n"), QStringLiteral("20"),
                    QStringLiteral("-c"), QStringLiteral("2"), QStringLiteral("-o"), QStringLiteral("json"),
                    QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject report = json(r.out);
        QVERIFY2(statusCount(report, "200") == 20, r.out.constData());
        QVERIFY2(r.err.contains("--dev-certs: development certificate for shop.example.com"),
                 r.err.constData());
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("data/sluice/dev-ca/ca.crt"))));
        QVERIFY(!r.out.contains("PRIVATE KEY") && !r.err.contains("PRIVATE KEY"));
    }

    // MUTUAL: the CA's client certificate is presented (made beside the CA on first use).
    void loadMutualServer() {
        const Run r =
            sluice({QStringLiteral("load"), QStringLiteral("-f"), m_config, QStringLiteral("--dev-certs"),
                    QStringLiteral("https://partner.example.com/"), QStringLiteral("-n"),
                    QStringLiteral("10"), QStringLiteral("-c"), QStringLiteral("1"), QStringLiteral("-o"),
                    QStringLiteral("json"), QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(statusCount(json(r.out), "200") == 10, r.out.constData());
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("data/sluice/dev-ca/client.crt"))));
    }

    // A recording of both hosts, interleaved: each request goes with its own host as SNI, so the
    // gateway picks its server (and certificate, and routes) as it did for the recorded client.
    // With one SNI for the run, the other host's requests would land on the wrong server (404).
    void replayUsesEachRequestsSni() {
        const QString recording = m_dir.filePath(QStringLiteral("tls.jsonl"));
        QFile f(recording);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"t_ms": 0, "scheme": "https", "authority": "shop.example.com", "path": "/a"}
{"t_ms": 5, "scheme": "https", "authority": "partner.example.com", "path": "/b"}
{"t_ms": 10, "scheme": "https", "authority": "shop.example.com:443", "path": "/c"}
{"t_ms": 15, "scheme": "https", "authority": "partner.example.com", "path": "/d"}
)");
        f.close();
        const Run r = sluice({QStringLiteral("replay"), recording, QStringLiteral("-f"), m_config,
                              QStringLiteral("--dev-certs"), QStringLiteral("-o"), QStringLiteral("json"),
                              QStringLiteral("-q")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray requests = json(r.out).value(QStringLiteral("requests")).toArray();
        QCOMPARE(requests.size(), 4);
        for (const auto& q : requests)
            QVERIFY2(q.toObject().value(QStringLiteral("status")).toInt() == 200, r.out.constData());
        QCOMPARE(statusCount(json(r.out).value(QStringLiteral("report")).toObject(), "200"), 4);
    }

    // --dev-certs is about the embedded gateway: without -f it is bad usage.
    void devCertsNeedsAConfig() {
        const Run load = sluice(
            {QStringLiteral("load"), QStringLiteral("--dev-certs"), QStringLiteral("https://127.0.0.1:1/")});
        QCOMPARE(load.exitCode, 2);
        QVERIFY2(load.err.contains("--dev-certs"), load.err.constData());
        const Run replay =
            sluice({QStringLiteral("replay"), QStringLiteral("x.jsonl"), QStringLiteral("--target"),
                    QStringLiteral("https://127.0.0.1:1/"), QStringLiteral("--dev-certs")});
        QCOMPARE(replay.exitCode, 2);
        QVERIFY2(replay.err.contains("--dev-certs"), replay.err.constData());
    }

private:
    /// Runs sluice with its development CA under this test's directory.
    Run sluice(const QStringList& args) const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        return sluice_cli_test::sluice(args, 60000, env);
    }

    QTemporaryDir m_dir;
    QString m_config;
};

QTEST_GUILESS_MAIN(TrafficDevCertsTest)
#include "traffic_dev_certs_test.moc"
