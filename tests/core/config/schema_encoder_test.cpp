// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "config/schema_encoder.h"
#include "config/schema_equal.h"
#include "config_files.h"

#include <algorithm>

#include <QTest>

using namespace sluice;

namespace {

config::LoadResult load(const std::string& text, const std::string& path = "test.yaml") {
    config::LoadResult result;
    config::loadText(path, text, result);
    return result;
}

std::size_t errorCount(const model::Diagnostics& diagnostics) {
    return static_cast<std::size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const auto& d) {
        return d.level == model::Level::Error;
    }));
}

/// Every resource of the set, encoded one by one, as one multi-document stream.
std::string encodeAll(const model::ResourceSet& set) {
    std::string out;
    set.forEachResource([&](const auto& r) { out += "---\n" + config::encodeResource(r); });
    return out;
}

std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

} // namespace

class SchemaEncoderTest : public QObject {
    Q_OBJECT

private slots:
    // load(encode(x)) == x for every real-world input nobody here wrote, and the repo's samples.
    void roundTripsRealFiles_data() {
        QTest::addColumn<QString>("path");
        const QString shared = QStringLiteral(SLUICE_SHARED_DIR "/realworld");
        const QString samples = QStringLiteral(SLUICE_SOURCE_DIR "/samples");
        QStringList files = sluice::test::configFilesUnder(shared) + sluice::test::configFilesUnder(samples);
        if (files.isEmpty())
            QSKIP("neither ../shared/realworld nor samples/ is present");
        for (const QString& f : files)
            QTest::newRow(
                qPrintable(f.mid(f.lastIndexOf(QLatin1Char('/'), f.lastIndexOf(QLatin1Char('/')) - 1) + 1)))
                << f;
    }
    void roundTripsRealFiles() {
        QFETCH(QString, path);
        const config::LoadResult original = config::loadPaths({path.toStdString()});
        QVERIFY(!original.unreadable);
        const std::string text = encodeAll(original.resources);
        const config::LoadResult back = load(text);
        const auto difference = config::schemaDifference(original.resources, back.resources);
        QVERIFY2(!difference, difference.value_or("").c_str());
        // Canonical output adds no problem of its own (it may lose unknown fields the input had).
        QVERIFY2(errorCount(back.diagnostics) <= errorCount(original.diagnostics), text.c_str());
    }

    // Scalars come back as the same type and value, whatever YAML 1.1 would make of them.
    void scalarsReadBackAsWritten_data() {
        QTest::addColumn<QByteArray>("yaml");
        auto vs = [](const char* httpRoute) -> QByteArray {
            return QByteArray(
                       "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v}\n"
                       "spec:\n  hosts: [a]\n  http:\n") +
                   QByteArray(httpRoute);
        };
        QTest::newRow("yaml-1.1 booleans as strings")
            << vs("  - match:\n    - uri: {exact: \"on\"}\n    - uri: {exact: \"yes\"}\n    - uri: {prefix: "
                  "\"N\"}\n"
                  "    - uri: {regex: \"off\"}\n    - uri: {exact: \"True\"}\n");
        QTest::newRow("numbers and nulls as strings")
            << vs("  - match:\n    - uri: {exact: \"80\"}\n    - uri: {exact: \"0x1F\"}\n    - uri: {exact: "
                  "\"1e3\"}\n"
                  "    - uri: {exact: \"~\"}\n    - uri: {exact: \"\"}\n    - uri: {exact: \"null\"}\n"
                  "    - uri: {exact: \".5\"}\n    - uri: {exact: \"1_000\"}\n");
        QTest::newRow("punctuation") << vs(
            "  - match:\n    - uri: {exact: \"a: b\"}\n    - uri: {exact: \"# x\"}\n    - uri: {exact: \" "
            "lead\"}\n"
            "    - uri: {exact: \"trail \"}\n    - uri: {exact: \"*star\"}\n    - uri: {exact: \"&a\"}\n"
            "    - uri: {exact: \"[x]\"}\n    - uri: {exact: \"{y}\"}\n    - uri: {exact: \"'q'\"}\n"
            "    - uri: {exact: \"\\\"dq\\\"\"}\n    - uri: {exact: \"- dash\"}\n    - uri: {exact: "
            "\"---\"}\n"
            "    - uri: {regex: \"^/api/v[0-9]+/.*$\"}\n    - uri: {exact: \"caf\u00e9 \u2713\"}\n");
        QTest::newRow("multi-line text") << vs(
            "  - directResponse:\n      status: 200\n      body: {string: \"line one\\nline two\\n\"}\n"
            "  - directResponse:\n      status: 200\n      body: {string: \"no final newline\\nhere\"}\n"
            "  - directResponse:\n      status: 200\n      body: {string: \"two final\\nnewlines\\n\\n\"}\n"
            "  - directResponse:\n      status: 200\n      body: {string: \"  indented first\\nline\\n\"}\n"
            "  - directResponse:\n      status: 200\n      body: {string: \"tab\\there\\r\\nand cr\\n\"}\n"
            "  - directResponse:\n      status: 200\n      body: {string: \"blank\\n\\nline inside\\n\"}\n");
        QTest::newRow("durations, numbers, enums") << vs(
            "  - timeout: 1.5s\n    retries: {attempts: 3, perTryTimeout: 100us, backoff: 1h2m3s}\n"
            "    redirect: {uri: /x, derivePort: 1, redirectCode: 308}\n"
            "    fault: {delay: {fixedDelay: 0s, percentage: {value: 0.1}}, abort: {httpStatus: 503, "
            "percentage: {value: 1e-7}}}\n"
            "    mirrorPercentage: {value: 33.333333333333336}\n    route: [{destination: {host: b}, weight: "
            "0}]\n");
        QTest::newRow("maps with odd keys")
            << vs("  - match:\n    - headers:\n        \"on\": {exact: x}\n        \"80\": {prefix: yy}\n"
                  "        x-user: {regex: \".*\"}\n      sourceLabels: {\"yes\": \"no\", app: \"true\"}\n"
                  "    headers: {request: {set: {\"~\": \"\", x-a: \"1\"}, remove: [\"null\"]}}\n");
        QTest::newRow("destination rule") << QByteArray(
            "apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: {name: d, namespace: "
            "ns1, labels: {a: b}, annotations: {\"x/y\": \"true\"}}\nspec:\n  host: h\n  trafficPolicy:\n"
            "    loadBalancer:\n      consistentHash: {ringHash: {minimumRingSize: 18446744073709551}}\n"
            "      localityLbSetting: {distribute: [{from: a/*, to: {\"a/b/*\": 80, \"c/*\": 20}}]}\n"
            "    connectionPool: {tcp: {connectTimeout: 30ms}, http: {h2UpgradePolicy: UPGRADE}}\n"
            "    outlierDetection: {consecutive5xxErrors: 7, interval: 5m, baseEjectionTime: 15m}\n"
            "    tls: {mode: ISTIO_MUTUAL, sni: \"yes\"}\n  subsets:\n  - name: v1\n    labels: {version: "
            "v1}\n  - name: empty\n    trafficPolicy: {}\n");
        QTest::newRow("kubernetes kinds") << QByteArray(
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {name: http, "
            "port: 80, targetPort: 8080}\n  - {name: grpc, port: 90, targetPort: grpc-port}\n"
            "  selector: {app: s}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: "
            "d}\nspec:\n  replicas: 0\n  selector: {matchLabels: {app: d}}\n  template:\n"
            "    metadata: {labels: {app: d, version: \"1.0\"}}\n    spec: {serviceAccountName: "
            "sa}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: c}\ntype: "
            "kubernetes.io/tls\ndata: {ca.crt: Zm9v, \"tls.crt\": \"\"}\nimmutable: false\n");
        QTest::newRow("workload") << QByteArray(
            "apiVersion: sluice.dev/v1\nkind: Workload\nmetadata: {name: w}\nspec:\n"
            "  labels: {app: w}\n  replicas: 2\n  latency: {p50: 20ms, p99: 150ms}\n"
            "  errors: {rate: 0.02, status: 503}\n  sequence: [503, 200]\n  responseBytes: 1200\n"
            "  calls:\n  - {service: r, port: 9080, path: /r/0, propagate: [end-user]}\n");
    }
    void scalarsReadBackAsWritten() {
        QFETCH(QByteArray, yaml);
        const config::LoadResult original = load(yaml.toStdString());
        QCOMPARE(errorCount(original.diagnostics), std::size_t(0));
        QVERIFY(original.resources.resourceCount() > 0);
        const std::string text = encodeAll(original.resources);
        const config::LoadResult back = load(text);
        QVERIFY2(back.diagnostics.empty(), text.c_str());
        const auto difference = config::schemaDifference(original.resources, back.resources);
        QVERIFY2(!difference, (difference.value_or("") + "\n" + text).c_str());
    }

    void emitsCanonicalForm() {
        const config::LoadResult loaded = load(R"(# comment that canonical form drops
spec:
  tls:
  - match:
    - sni_hosts: [a.example.com]
      port: 443
    route:
    - destination: {host: a, port: {number: 8443}}
  hosts: [a.example.com]
metadata:
  namespace: prod
  name: tls-route
kind: VirtualService
apiVersion: networking.istio.io/v1
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: g}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: 1, credential_name: cert}
)");
        QCOMPARE(errorCount(loaded.diagnostics), std::size_t(0));
        QCOMPARE(config::encodeResource(loaded.resources.virtualServices.at(0)),
                 std::string("apiVersion: networking.istio.io/v1\n"
                             "kind: VirtualService\n"
                             "metadata:\n"
                             "  name: tls-route\n"
                             "  namespace: prod\n"
                             "spec:\n"
                             "  hosts:\n"
                             "    - a.example.com\n"
                             "  tls:\n"
                             "    - match:\n"
                             "        - sniHosts:\n"
                             "            - a.example.com\n"
                             "          port: 443\n"
                             "      route:\n"
                             "        - destination:\n"
                             "            host: a\n"
                             "            port:\n"
                             "              number: 8443\n"));
        const std::string gateway = config::encodeResource(loaded.resources.gateways.at(0));
        QCOMPARE(firstLine(gateway), std::string("apiVersion: networking.istio.io/v1"));
        QVERIFY2(gateway.find("mode: SIMPLE") != std::string::npos, gateway.c_str());         // enum by name
        QVERIFY2(gateway.find("credentialName: cert") != std::string::npos, gateway.c_str()); // JSON name
        QVERIFY2(gateway.find("- \"*\"") != std::string::npos, gateway.c_str());
        QVERIFY2(gateway.find("namespace") == std::string::npos, gateway.c_str()); // absent stays absent
    }

    void quotesStringsYamlWouldRetype() {
        const config::LoadResult loaded = load(R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: v}
spec:
  hosts: ["on", "8080", plain]
)");
        const std::string text = config::encodeResource(loaded.resources.virtualServices.at(0));
        QVERIFY2(text.find("- \"on\"\n") != std::string::npos, text.c_str());
        QVERIFY2(text.find("- \"8080\"\n") != std::string::npos, text.c_str());
        QVERIFY2(text.find("- plain\n") != std::string::npos, text.c_str());
    }

    void differenceNamesTheField() {
        const std::string yaml = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: v}
spec:
  hosts: [a]
  http:
  - route:
    - destination: {host: a}
      weight: 90
    - destination: {host: b}
      weight: 10
)";
        const config::LoadResult a = load(yaml);
        config::LoadResult b = load("\n\n" + yaml); // other lines, same content
        QVERIFY(config::schemaEqual(a.resources, b.resources));
        b.resources.virtualServices[0].spec.http[0].route[1].weight.value = 20;
        QCOMPARE(config::schemaDifference(a.resources.virtualServices[0], b.resources.virtualServices[0])
                     .value_or(""),
                 std::string("spec.http[0].route[1].weight"));
        QVERIFY(!config::schemaEqual(a.resources, b.resources));
    }
};

QTEST_GUILESS_MAIN(SchemaEncoderTest)
#include "schema_encoder_test.moc"
