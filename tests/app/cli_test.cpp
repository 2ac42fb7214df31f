// SPDX-License-Identifier: Apache-2.0
// The `sluice` binary as users and CI see it: exit codes, output formats, export.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run sluice(const QStringList& args) {
    QProcess process;
    process.start(QStringLiteral(SLUICE_CLI), args);
    Run run;
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return path;
}

QStringList filesIn(const QString& dir) {
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// A small, complete, correct config: gateway -> route -> Service -> Deployment.
const QByteArray kClean = R"(# web: the whole path, valid
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: web-gateway
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway   # the default ingress gateway
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [web.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
spec:
  hosts: [web.example.com]
  gateways: [istio-system/web-gateway]
  http:
  - route:
    - destination: {host: web, port: {number: 8080}}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 8080}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
)";

// An unknown field: an Error (IST0106) at line 6, column 3.
const QByteArray kError = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: broken
spec:
  htttp:
  - route:
    - destination: {host: web}
  hosts: [web]
)";

// The clean config plus a rule using a deprecated field: a Warning (IST0002) only.
QByteArray deprecatedRule(const QByteArray& annotations = {}) {
    return kClean +
           "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: web-dr\n" +
           annotations +
           "spec:\n  host: web\n  trafficPolicy:\n    outlierDetection:\n      consecutiveErrors: 5\n";
}

/// ":LINE:7: warning IST0002:" for the deprecated field of deprecatedRule().
QString deprecationAt() {
    const QByteArray text = deprecatedRule();
    const int line = static_cast<int>(text.left(text.indexOf("consecutiveErrors")).count('\n')) + 1;
    return QStringLiteral(":%1:7: warning IST0002:").arg(line);
}

const QByteArray kMalformed = "apiVersion: v1\nkind: Service\nmetadata: {name: [oops\n";

// A TLS Secret: tls.key must never reach an export.
const QByteArray kTlsSecret = R"(apiVersion: v1
kind: Secret
metadata:
  name: web-credential
  namespace: istio-system
type: kubernetes.io/tls
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ0ZXN0Y2VydAotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Z0lCQURBTkJna3Foa2lHOXcwQgotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg==
)";

} // namespace

class CliTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(QFile::exists(QStringLiteral(SLUICE_CLI)), SLUICE_CLI); }

    void versionAndHelp_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("--version") << QStringList{QStringLiteral("--version")}
                                   << QStringLiteral("sluice " SLUICE_VERSION);
        QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << QStringLiteral("export");
        QTest::newRow("validate --help") << QStringList{QStringLiteral("validate"), QStringLiteral("--help")}
                                         << QStringLiteral("--fail-on");
        QTest::newRow("export --help") << QStringList{QStringLiteral("export"), QStringLiteral("--help")}
                                       << QStringLiteral("--api-version");
    }
    void versionAndHelp() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Run run = sluice(args);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(QString::fromUtf8(run.out).contains(expected), run.out.constData());
    }

    void validateExitCodes_data() {
        QTest::addColumn<QByteArray>("yaml"); // empty: a path that does not exist
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected"); // a line of the text output
        QTest::newRow("clean") << kClean << QStringList{} << 0 << QString();
        QTest::newRow("schema error")
            << kError << QStringList{} << 1 << QStringLiteral(":6:3: error IST0106: unknown field \"htttp\"");
        QTest::newRow("malformed YAML")
            << kMalformed << QStringList{} << 1 << QStringLiteral(":4:1: error SLU0001: YAML syntax error");
        QTest::newRow("missing file")
            << QByteArray() << QStringList{} << 2 << QStringLiteral("error SLU0008");
        QTest::newRow("warning passes by default")
            << deprecatedRule() << QStringList{} << 0 << deprecationAt();
        QTest::newRow("--fail-on warning")
            << deprecatedRule() << QStringList{QStringLiteral("--fail-on"), QStringLiteral("warning")} << 1
            << deprecationAt();
        QTest::newRow("--suppress with a glob")
            << deprecatedRule()
            << QStringList{QStringLiteral("--fail-on"), QStringLiteral("warning"),
                           QStringLiteral("--suppress"), QStringLiteral("IST000*=DestinationRule web-*")}
            << 0 << QString();
        QTest::newRow("--suppress another resource")
            << deprecatedRule()
            << QStringList{QStringLiteral("--fail-on"), QStringLiteral("warning"),
                           QStringLiteral("--suppress"),
                           QStringLiteral("IST0002=DestinationRule other.default")}
            << 1 << QStringLiteral("IST0002");
        QTest::newRow("analyze-suppress annotation")
            << deprecatedRule("  annotations:\n    galley.istio.io/analyze-suppress: IST0101,IST0002\n")
            << QStringList{QStringLiteral("--fail-on"), QStringLiteral("warning")} << 0 << QString();
        QTest::newRow("bad --suppress")
            << kClean << QStringList{QStringLiteral("--suppress"), QStringLiteral("IST0002")} << 2
            << QString();
        QTest::newRow("bad --output")
            << kClean << QStringList{QStringLiteral("-o"), QStringLiteral("xml")} << 2 << QString();
    }
    void validateExitCodes() {
        QFETCH(QByteArray, yaml);
        QFETCH(QStringList, extra);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = yaml.isEmpty() ? dir.filePath(QStringLiteral("missing.yaml"))
                                            : writeFile(dir, QStringLiteral("in.yaml"), yaml);
        const Run run = sluice(QStringList{QStringLiteral("validate"), path} + extra);
        QVERIFY2(run.exitCode == exitCode, QByteArray(run.out + run.err).constData());
        if (expected.isEmpty() && exitCode == 0) // nothing at warning level or above (infos may come)
            QVERIFY2(!run.out.contains(" error ") && !run.out.contains(" warning "), run.out.constData());
        else if (!expected.isEmpty())
            QVERIFY2(QString::fromUtf8(run.out).contains(expected),
                     QByteArray(run.out + run.err).constData());
    }

    void jsonOutputHasEveryField() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("in.yaml"), kError);
        const Run run =
            sluice({QStringLiteral("validate"), QStringLiteral("-o"), QStringLiteral("json"), path});
        QCOMPARE(run.exitCode, 1);
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, run.out.constData());
        QVERIFY(doc.isArray());
        const QJsonArray items = doc.array();
        QVERIFY(!items.isEmpty());
        for (const auto& item : items)
            for (const char* key :
                 {"code", "level", "resource", "file", "line", "column", "field", "message"})
                QVERIFY2(item.toObject().contains(QLatin1String(key)), key);
        const QJsonObject first = items.first().toObject();
        QCOMPARE(first[QStringLiteral("code")].toString(), QStringLiteral("IST0106"));
        QCOMPARE(first[QStringLiteral("level")].toString(), QStringLiteral("Error"));
        QCOMPARE(first[QStringLiteral("resource")].toString(),
                 QStringLiteral("VirtualService default/broken"));
        QCOMPARE(first[QStringLiteral("file")].toString(), path);
        QCOMPARE(first[QStringLiteral("line")].toInt(), 6);
        QCOMPARE(first[QStringLiteral("column")].toInt(), 3);
        QCOMPARE(first[QStringLiteral("field")].toString(), QStringLiteral("spec.htttp"));

        const Run clean = sluice({QStringLiteral("validate"), QStringLiteral("-o"), QStringLiteral("json"),
                                  writeFile(dir, QStringLiteral("clean.yaml"), kClean)});
        QCOMPARE(clean.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(clean.out).array().size(), 0);
    }

    void sarifOutputIsSarif210() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("in.yaml"), kError);
        const Run run =
            sluice({QStringLiteral("validate"), QStringLiteral("-o"), QStringLiteral("sarif"), path});
        QCOMPARE(run.exitCode, 1);
        const QJsonObject log = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(log[QStringLiteral("version")].toString(), QStringLiteral("2.1.0"));
        const QJsonObject firstRun = log[QStringLiteral("runs")].toArray().at(0).toObject();
        QCOMPARE(firstRun[QStringLiteral("tool")]
                     .toObject()[QStringLiteral("driver")]
                     .toObject()[QStringLiteral("name")]
                     .toString(),
                 QStringLiteral("sluice"));
        const QJsonArray results = firstRun[QStringLiteral("results")].toArray();
        QVERIFY(!results.isEmpty());
        const QJsonObject result = results.at(0).toObject();
        QCOMPARE(result[QStringLiteral("ruleId")].toString(), QStringLiteral("IST0106"));
        QCOMPARE(result[QStringLiteral("level")].toString(), QStringLiteral("error"));
        const QJsonObject location = result[QStringLiteral("locations")]
                                         .toArray()
                                         .at(0)
                                         .toObject()[QStringLiteral("physicalLocation")]
                                         .toObject();
        QCOMPARE(location[QStringLiteral("region")].toObject()[QStringLiteral("startLine")].toInt(), 6);
        QCOMPARE(location[QStringLiteral("artifactLocation")].toObject()[QStringLiteral("uri")].toString(),
                 path);
    }

    void exportRefusesWhileErrorsRemain() {
        QTemporaryDir dir;
        const QString in = writeFile(dir, QStringLiteral("in.yaml"), kClean + "---\n" + kError);
        const QString out = dir.filePath(QStringLiteral("out.yaml"));
        const Run run = sluice({QStringLiteral("export"), in, QStringLiteral("-o"), out});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("error IST0106"), run.err.constData());
        QVERIFY2(run.err.contains("refusing"), run.err.constData());
        QVERIFY(!QFile::exists(out));
        QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("in.yaml")});

        const Run forced =
            sluice({QStringLiteral("export"), in, QStringLiteral("-o"), out, QStringLiteral("--force")});
        QCOMPARE(forced.exitCode, 0);
        QCOMPARE(readFile(out), QByteArray(kClean + "---\n" + kError));
    }

    void exportFailOnWarning() {
        QTemporaryDir dir;
        const QString in = writeFile(dir, QStringLiteral("in.yaml"), deprecatedRule());
        const QString out = dir.filePath(QStringLiteral("out.yaml"));
        QCOMPARE(sluice({QStringLiteral("export"), in, QStringLiteral("-o"), out, QStringLiteral("--fail-on"),
                         QStringLiteral("warning")})
                     .exitCode,
                 1);
        QVERIFY(!QFile::exists(out));
        QCOMPARE(sluice({QStringLiteral("export"), in, QStringLiteral("-o"), out}).exitCode, 0);
        QCOMPARE(readFile(out), deprecatedRule());
    }

    void exportKeepsUnchangedDocumentsAndLeavesNoTemporaryFile() {
        QTemporaryDir dir;
        const QString in = writeFile(dir, QStringLiteral("in.yaml"), kClean);
        const QString out = dir.filePath(QStringLiteral("out.yaml"));
        const Run run = sluice({QStringLiteral("export"), in, QStringLiteral("-o"), out});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(readFile(out), kClean); // comments and all
        QCOMPARE(filesIn(dir.path()), (QStringList{QStringLiteral("in.yaml"), QStringLiteral("out.yaml")}));

        const Run toStdout =
            sluice({QStringLiteral("export"), in, QStringLiteral("-o"), QStringLiteral("-")});
        QCOMPARE(toStdout.exitCode, 0);
        QCOMPARE(toStdout.out, kClean);
    }

    void exportRefusesToReplaceItsInputUnlessForced() {
        QTemporaryDir dir;
        const QString in = writeFile(dir, QStringLiteral("in.yaml"), kClean);
        const Run run = sluice({QStringLiteral("export"), in, QStringLiteral("-o"), in});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("one of the inputs"), run.err.constData());
        const Run forced =
            sluice({QStringLiteral("export"), in, QStringLiteral("-o"), in, QStringLiteral("--force"),
                    QStringLiteral("--api-version"), QStringLiteral("v1beta1")});
        QCOMPARE(forced.exitCode, 0);
        const QByteArray text = readFile(in);
        QCOMPARE(text.count("apiVersion: networking.istio.io/v1beta1\n"), 2);
        QVERIFY2(text.contains("kind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n"),
                 text.constData()); // untouched kinds keep their bytes
        QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("in.yaml")});
    }

    void exportNeverWritesPrivateKeys() {
        QTemporaryDir dir;
        const QString in = writeFile(dir, QStringLiteral("in.yaml"), kClean + "---\n" + kTlsSecret);
        const QString out = dir.filePath(QStringLiteral("out.yaml"));
        const QString split = dir.filePath(QStringLiteral("split"));
        for (const QStringList& target : {QStringList{out}, QStringList{split, QStringLiteral("--split")}}) {
            const Run run = sluice(QStringList{QStringLiteral("export"), in, QStringLiteral("-o")} + target);
            QVERIFY2(run.exitCode == 0, run.err.constData());
            QVERIFY2(run.err.contains("warning SLU0901") && run.err.contains("web-credential"),
                     run.err.constData());
        }
        QByteArray everything = readFile(out);
        for (const QString& f : filesIn(split))
            everything += readFile(split + QLatin1Char('/') + f);
        QVERIFY(!everything.isEmpty());
        QVERIFY2(!everything.contains("tls.key") && !everything.contains("LS0tLS1CRUdJTiBQUklWQVRF"),
                 everything.constData());
        QCOMPARE(readFile(out), kClean);
        QCOMPARE(filesIn(split), (QStringList{QStringLiteral("deployment-default-web.yaml"),
                                              QStringLiteral("gateway-istio-system-web-gateway.yaml"),
                                              QStringLiteral("service-default-web.yaml"),
                                              QStringLiteral("virtualservice-default-web.yaml")}));
    }

    void exportUsageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("missing input")
            << QStringList{QStringLiteral("export"), QStringLiteral("/no/such/file.yaml"),
                           QStringLiteral("-o"), QStringLiteral("OUT")};
        QTest::newRow("unwritable output")
            << QStringList{QStringLiteral("export"), QStringLiteral("IN"), QStringLiteral("-o"),
                           QStringLiteral("/no/such/dir/out.yaml")};
        QTest::newRow("directory without --split") << QStringList{
            QStringLiteral("export"), QStringLiteral("IN"), QStringLiteral("-o"), QStringLiteral("DIR")};
        QTest::newRow("bad --api-version") << QStringList{QStringLiteral("export"),
                                                          QStringLiteral("IN"),
                                                          QStringLiteral("-o"),
                                                          QStringLiteral("OUT"),
                                                          QStringLiteral("--api-version"),
                                                          QStringLiteral("v2")};
        QTest::newRow("no -o") << QStringList{QStringLiteral("export"), QStringLiteral("IN")};
    }
    void exportUsageErrors() {
        QFETCH(QStringList, args);
        QTemporaryDir dir;
        const QString in = writeFile(dir, QStringLiteral("in.yaml"), kClean);
        args.replaceInStrings(QStringLiteral("IN"), in);
        args.replaceInStrings(QStringLiteral("OUT"), dir.filePath(QStringLiteral("out.yaml")));
        args.replaceInStrings(QStringLiteral("DIR"), dir.path());
        const Run run = sluice(args);
        QVERIFY2(run.exitCode == 2, QByteArray(run.out + run.err).constData());
        QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("in.yaml")});
    }

    void graphPrintsDotAndJson() {
        const QString bookinfo = QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo");
        Run run = sluice({QStringLiteral("graph"), bookinfo});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.startsWith("digraph flow {"));
        QVERIFY(run.out.contains(
            "\"rule:default/bookinfo/http/0\" -> "
            "\"dest:outbound|9080||productpage.default.svc.cluster.local\" [label=\"100%\"];"));

        run = sluice({QStringLiteral("graph"), QStringLiteral("--format"), QStringLiteral("json"),
                      QStringLiteral("--layout"), bookinfo});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject graph = QJsonDocument::fromJson(run.out).object();
        const QJsonArray nodes = graph.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), 14);
        const QJsonArray edges = graph.value(QStringLiteral("edges")).toArray();
        QCOMPARE(edges.size(), 14);
        int mesh = 0; // bookinfo's calls: productpage -> details, reviews; reviews v2, v3 -> ratings
        for (const auto& e : edges)
            mesh += e.toObject().value(QStringLiteral("kind")).toString() == QLatin1String("Mesh");
        QCOMPARE(mesh, 4);
        QCOMPARE(edges.at(0).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("Route"));
        const QJsonObject server = nodes.at(0).toObject();
        QCOMPARE(server.value(QStringLiteral("kind")).toString(), QStringLiteral("GatewayServer"));
        QCOMPARE(server.value(QStringLiteral("source")).toObject().value(QStringLiteral("line")).toInt(), 12);
        QVERIFY(server.value(QStringLiteral("box")).toObject().value(QStringLiteral("width")).toDouble() > 0);
        QVERIFY(graph.value(QStringLiteral("size")).toObject().value(QStringLiteral("width")).toDouble() > 0);

        run = sluice({QStringLiteral("graph"), QStringLiteral("--format"), QStringLiteral("json"),
                      QStringLiteral(SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml")});
        QCOMPARE(run.exitCode, 0);
        bool greyWithFinding = false;
        for (const auto& n :
             QJsonDocument::fromJson(run.out).object().value(QStringLiteral("nodes")).toArray())
            greyWithFinding |=
                n.toObject().value(QStringLiteral("greyed")).toBool() &&
                n.toObject().value(QStringLiteral("reason")).toString().startsWith(QStringLiteral("IST0101"));
        QVERIFY(greyWithFinding);

        QCOMPARE(sluice({QStringLiteral("graph"), QStringLiteral("/no/such/path")}).exitCode, 2);
        QCOMPARE(
            sluice({QStringLiteral("graph"), QStringLiteral("-f"), QStringLiteral("svg"), bookinfo}).exitCode,
            2);
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "cli_test.moc"
