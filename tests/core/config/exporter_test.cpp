// SPDX-License-Identifier: Apache-2.0
#include "config/exporter.h"
#include "config/loader.h"
#include "config/private_keys.h"
#include "config/schema_equal.h"
#include "config_files.h"

#include <algorithm>

#include <QTest>

using namespace sluice;

namespace {

config::LoadResult load(const std::string& text, const std::string& path = "in.yaml") {
    config::LoadResult result;
    config::loadText(path, text, result);
    return result;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

const std::string kGateway = R"(# Ingress for bookinfo.   (comments and odd spacing must survive)
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata:
  name: bookinfo-gateway     # trailing comment
  namespace: istio-system
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['bookinfo.example.com']
)";

const std::string kVirtualService = R"(apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  # 90/10 canary
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
)";

const std::string kService = R"(apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  ports:
  - {port: 9080, name: http}   # named for protocol selection
  selector: {app: reviews}
)";

const std::string kRollout = R"(apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews      # foreign kinds are carried over as they are
spec:
  strategy: {canary: {steps: [{setWeight: 10}]}}
)";

const std::string kInput = kGateway + "---\n" + kVirtualService + "---\n" + kService + "---\n" + kRollout;

config::ExportPlan plan(const model::ResourceSet& set, config::ExportOptions options = {}) {
    return config::planExport(set, options);
}

} // namespace

class ExporterTest : public QObject {
    Q_OBJECT

private slots:
    // load(export(x)) == x on every real-world file and sample, minus the Secrets holding keys;
    // and a file nobody changed keeps every document's bytes.
    void roundTripsRealFiles_data() {
        QTest::addColumn<QString>("path");
        const QStringList files =
            sluice::test::configFilesUnder(QStringLiteral(SLUICE_SHARED_DIR "/realworld")) +
            sluice::test::configFilesUnder(QStringLiteral(SLUICE_SOURCE_DIR "/samples"));
        if (files.isEmpty())
            QSKIP("neither ../shared/realworld nor samples/ is present");
        for (const QString& f : files)
            QTest::newRow(
                qPrintable(f.mid(f.lastIndexOf(QLatin1Char('/'), f.lastIndexOf(QLatin1Char('/')) - 1) + 1)))
                << f;
    }
    void roundTripsRealFiles() {
        QFETCH(QString, path);
        const config::LoadResult loaded = config::loadPaths({path.toStdString()});
        model::ResourceSet expected = loaded.resources;
        std::erase_if(expected.secrets,
                      [](const model::Secret& s) { return !config::privateKeyReason(s).empty(); });
        for (const bool canonical : {false, true}) {
            for (const bool split : {false, true}) {
                const config::ExportPlan out = plan(loaded.resources, {{}, split, canonical});
                config::LoadResult back;
                for (const auto& f : out.files)
                    config::loadText(f.name.empty() ? "out.yaml" : f.name, f.text, back);
                config::dropRedefinedResources(back);
                const auto difference = config::schemaDifference(expected, back.resources);
                QVERIFY2(!difference, (difference.value_or("") + (split ? " (split)" : "") +
                                       (canonical ? " (canonical)" : ""))
                                          .c_str());
                QCOMPARE(back.resources.skipped.size(), loaded.resources.skipped.size());
            }
        }
        const config::ExportPlan out = plan(loaded.resources);
        for (const auto& doc : loaded.resources.files.at(0).documents) {
            const std::string original =
                loaded.resources.files[0].text.substr(doc.begin, doc.end - doc.begin);
            const bool holdsKey = !config::privateKeyReasonInText(original).empty();
            QVERIFY2(contains(out.files.at(0).text, original) != holdsKey, original.c_str());
        }
    }

    void unchangedInputComesOutIdentical() {
        const config::LoadResult loaded = load(kInput);
        const config::ExportPlan out = plan(loaded.resources);
        QCOMPARE(out.files.size(), std::size_t(1));
        QCOMPARE(out.files[0].name, std::string());
        QCOMPARE(out.files[0].text, kInput);
        QCOMPARE(out.kept, std::size_t(4));
        QCOMPARE(out.rewritten, std::size_t(0));
        QVERIFY(out.notes.empty());
    }

    void changedDocumentIsRewrittenOthersKeepTheirBytes() {
        config::LoadResult loaded = load(kInput);
        loaded.resources.virtualServices[0].spec.http[0].route[0].weight.value = 75;
        loaded.resources.virtualServices[0].spec.http[0].route[1].weight.value = 25;
        const config::ExportPlan out = plan(loaded.resources);
        const std::string& text = out.files.at(0).text;
        QVERIFY2(text.starts_with(kGateway + "---\n"), text.c_str());
        QVERIFY2(contains(text, "---\n" + kService + "---\n" + kRollout), text.c_str());
        QVERIFY2(!contains(text, "# 90/10 canary"), text.c_str()); // the rewritten document is canonical
        QVERIFY2(contains(text, "weight: 75"), text.c_str());
        QCOMPARE(out.kept, std::size_t(3));
        QCOMPARE(out.rewritten, std::size_t(1));
        const config::LoadResult back = load(text);
        const auto difference = config::schemaDifference(loaded.resources, back.resources);
        QVERIFY2(!difference, difference.value_or("").c_str());
        QCOMPARE(back.resources.skipped.size(), std::size_t(1));
    }

    void apiVersionUpgradeRewritesOnlyApiVersion_data() {
        QTest::addColumn<QString>("version");
        QTest::newRow("v1") << QStringLiteral("v1");
        QTest::newRow("v1beta1") << QStringLiteral("v1beta1");
        QTest::newRow("v1alpha3") << QStringLiteral("v1alpha3");
    }
    void apiVersionUpgradeRewritesOnlyApiVersion() {
        QFETCH(QString, version);
        const config::LoadResult loaded = load(kInput);
        const std::string apiVersion = "networking.istio.io/" + version.toStdString();
        const config::ExportPlan out = plan(loaded.resources, {version.toStdString(), false, false});
        const std::string& text = out.files.at(0).text;
        // Kubernetes kinds and foreign kinds are untouched, byte for byte.
        QVERIFY2(contains(text, "---\n" + kService + "---\n" + kRollout), text.c_str());
        // A resource already at that version keeps its bytes too.
        QVERIFY2(contains(text, kGateway) == (version == QStringLiteral("v1alpha3")), text.c_str());
        QVERIFY2(contains(text, kVirtualService) == (version == QStringLiteral("v1beta1")), text.c_str());

        config::LoadResult back = load(text);
        QCOMPARE(back.resources.gateways.at(0).header.apiVersion.value, apiVersion);
        QCOMPARE(back.resources.virtualServices.at(0).header.apiVersion.value, apiVersion);
        back.resources.gateways[0].header.apiVersion = loaded.resources.gateways[0].header.apiVersion;
        back.resources.virtualServices[0].header.apiVersion =
            loaded.resources.virtualServices[0].header.apiVersion;
        const auto difference = config::schemaDifference(loaded.resources, back.resources);
        QVERIFY2(!difference, difference.value_or("").c_str());
    }

    void canonicalRewritesEverythingButForeignKinds() {
        const config::LoadResult loaded = load(kInput);
        const config::ExportPlan out = plan(loaded.resources, {{}, false, true});
        const std::string& text = out.files.at(0).text;
        QCOMPARE(out.rewritten, std::size_t(3));
        QCOMPARE(out.kept, std::size_t(1));
        QVERIFY2(!contains(text, "# trailing comment"), text.c_str());
        QVERIFY2(text.ends_with(kRollout), text.c_str());
        const auto difference = config::schemaDifference(loaded.resources, load(text).resources);
        QVERIFY2(!difference, difference.value_or("").c_str());
    }

    void removedResourceTakesItsDocument() {
        config::LoadResult loaded = load(kInput);
        loaded.resources.services.clear();
        const std::string text = plan(loaded.resources).files.at(0).text;
        QCOMPARE(text, kGateway + "---\n" + kVirtualService + "---\n" + kRollout);
    }

    void resourceCreatedInMemoryIsAppended() {
        config::LoadResult loaded = load(kInput);
        model::Service extra = loaded.resources.services[0];
        extra.header.span = {};
        extra.header.metadata.name.value = "ratings";
        loaded.resources.services.push_back(extra);
        const std::string text = plan(loaded.resources).files.at(0).text;
        QVERIFY2(
            text.starts_with(kInput + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n"),
            text.c_str());
        QCOMPARE(load(text).resources.services.size(), std::size_t(2));
    }

    // Deployments, Services and Pods are modelled in part: rewriting one must not lose the rest.
    void partiallyModelledKindKeepsWhatTheModelDoesNotHold() {
        const std::string deployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  uid: 1234            # not modelled, kept
spec:
  replicas: 1
  strategy: {type: Recreate}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec:
      containers:
      - name: web
        image: web:1.0
        ports: [{containerPort: 8080}]
status: {readyReplicas: 1}
)";
        for (const bool inList : {false, true}) {
            std::string input = deployment;
            if (inList) { // the same Deployment as the item of a List
                input = "apiVersion: v1\nkind: List\nitems:\n";
                for (std::size_t at = 0, next; at < deployment.size(); at = next + 1) {
                    next = deployment.find('\n', at);
                    input += (at == 0 ? "- " : "  ") + deployment.substr(at, next - at) + "\n";
                }
            }
            config::LoadResult loaded = load(input);
            QCOMPARE(loaded.resources.deployments.size(), std::size_t(1));
            model::Deployment& d = loaded.resources.deployments[0];
            d.spec.replicas.value = 3;
            d.spec.template_->metadata.labels.erase("version");
            d.spec.selector.emplace();
            d.spec.selector->matchLabels["app"] = model::Located<std::string>("web");
            const std::string text = plan(loaded.resources).files.at(0).text;
            for (const char* kept : {"uid: 1234", "strategy:", "type: Recreate", "containers:",
                                     "image: web:1.0", "containerPort: 8080", "status:", "readyReplicas: 1"})
                QVERIFY2(contains(text, kept), (std::string(kept) + " missing in:\n" + text).c_str());
            QVERIFY2(contains(text, "replicas: 3") && !contains(text, "version: v1"), text.c_str());
            // key order is the original's; the new selector comes after the keys that were there
            QVERIFY2(text.find("replicas:") < text.find("strategy:") &&
                         text.find("strategy:") < text.find("template:") &&
                         text.find("template:") < text.find("selector:"),
                     text.c_str());
            const config::LoadResult back = load(text);
            const auto difference = config::schemaDifference(loaded.resources, back.resources);
            QVERIFY2(!difference, (difference.value_or("") + "\n" + text).c_str());
        }
    }

    void secretsWithPrivateKeysAreNeverWritten_data() {
        QTest::addColumn<QString>("secret");
        QTest::addColumn<bool>("dropped");
        QTest::addColumn<QString>("mustNotAppear");
        QTest::newRow("tls.key in data")
            << QStringLiteral(
                   "apiVersion: v1\nkind: Secret\nmetadata: {name: cred}\ntype: kubernetes.io/tls\n"
                   "data:\n  tls.crt: Y2VydA==\n  tls.key: c2VjcmV0LWtleS1ieXRlcw==\n")
            << true << QStringLiteral("c2VjcmV0LWtleS1ieXRlcw==");
        QTest::newRow("key in stringData")
            << QStringLiteral("apiVersion: v1\nkind: Secret\nmetadata: {name: generic}\n"
                              "stringData:\n  cert: CERT\n  key: super-secret-key-text\n")
            << true << QStringLiteral("super-secret-key-text");
        QTest::newRow("PEM under another name")
            << QStringLiteral(
                   "apiVersion: v1\nkind: Secret\nmetadata: {name: odd}\nstringData:\n  bundle: |\n"
                   "    -----BEGIN EC PRIVATE KEY-----\n    MHcCAQEEIBkg\n    -----END EC PRIVATE KEY-----\n")
            << true << QStringLiteral("MHcCAQEEIBkg");
        QTest::newRow("base64 PEM under another name")
            << QStringLiteral("apiVersion: v1\nkind: Secret\nmetadata: {name: b64}\ndata:\n"
                              "  bundle: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTgo=\n")
            << true << QStringLiteral("LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0t");
        QTest::newRow("foreign kind carrying a PEM key")
            << QStringLiteral("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leaky}\ndata:\n  k: |\n"
                              "    -----BEGIN RSA PRIVATE KEY-----\n    MIIEowIBAAKCAQEA\n"
                              "    -----END RSA PRIVATE KEY-----\n")
            << true << QStringLiteral("MIIEowIBAAKCAQEA");
        QTest::newRow("Secret in a List")
            << QStringLiteral("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n"
                              "  metadata: {name: in-list}\n  data: {tls.key: a2V5LWluLWxpc3Q=}\n")
            << true << QStringLiteral("a2V5LWluLWxpc3Q=");
        QTest::newRow("CA-only Secret is kept")
            << QStringLiteral(
                   "apiVersion: v1\nkind: Secret\nmetadata: {name: cacert}\ndata:\n  ca.crt: Y2E=\n")
            << false << QStringLiteral("no-such-text");
    }
    void secretsWithPrivateKeysAreNeverWritten() {
        QFETCH(QString, secret);
        QFETCH(bool, dropped);
        QFETCH(QString, mustNotAppear);
        const std::string input = kService + "---\n" + secret.toStdString();
        const config::LoadResult loaded = load(input);
        for (const bool split : {false, true}) {
            for (const bool canonical : {false, true}) {
                const config::ExportPlan out = plan(loaded.resources, {{}, split, canonical});
                std::string all;
                for (const auto& f : out.files)
                    all += f.text;
                QVERIFY2(!contains(all, mustNotAppear.toStdString()), all.c_str());
                QVERIFY2(!contains(all, "PRIVATE KEY"), all.c_str());
                QCOMPARE(out.dropped, std::size_t(dropped ? 1 : 0));
                QCOMPARE(out.notes.size(), std::size_t(dropped ? 1 : 0));
                if (dropped) {
                    QCOMPARE(out.notes[0].code, std::string(config::kNotePrivateKeyDropped));
                    QCOMPARE(out.notes[0].level, model::Level::Warning);
                    QVERIFY(out.notes[0].span.line >= 10); // the Secret's document, after the Service
                }
                QVERIFY2(contains(all, "name: reviews"), all.c_str()); // the rest is exported
            }
        }
    }

    void listIsKeptWholeOrWrittenItemByItem() {
        const std::string list = R"(apiVersion: v1
kind: List
items:
# a Service and a foreign kind
- apiVersion: v1
  kind: Service
  metadata: {name: a}
  spec: {ports: [{port: 80, name: http}]}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: cfg, namespace: tools}
  data: {x: "1"}
)";
        config::LoadResult loaded = load(list);
        QCOMPARE(plan(loaded.resources).files.at(0).text, list); // unchanged: kept whole
        loaded.resources.services[0].spec.ports[0].port.value = 8080;
        const std::string text = plan(loaded.resources).files.at(0).text;
        QCOMPARE(count(text, "---\n"), std::size_t(1)); // two documents now
        QVERIFY2(contains(text, "port: 8080"), text.c_str());
        const config::LoadResult back = load(text);
        QCOMPARE(back.resources.services.at(0).spec.ports.at(0).port.value, 8080);
        QCOMPARE(back.resources.skipped.at(0).kind, std::string("ConfigMap"));
        QCOMPARE(back.resources.skipped.at(0).ns, std::string("tools"));
    }

    void splitWritesOneFilePerResource() {
        const std::string input = kInput + "---\n" + kService; // a duplicate name gets a suffix
        const config::LoadResult loaded = load(input);
        const config::ExportPlan out = plan(loaded.resources, {{}, true, false});
        std::vector<std::string> names;
        for (const auto& f : out.files)
            names.push_back(f.name);
        QCOMPARE(names, (std::vector<std::string>{
                            "gateway-istio-system-bookinfo-gateway.yaml",
                            "virtualservice-default-reviews.yaml", "service-default-reviews.yaml",
                            "rollout-default-reviews.yaml", "service-default-reviews-2.yaml"}));
        QCOMPARE(out.files[0].text, kGateway); // unchanged documents keep their bytes in their own file
        QCOMPARE(out.files[3].text, kRollout);
    }

    void splitNamesCannotEscapeTheDirectory() {
        const config::LoadResult loaded =
            load("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ../../etc/x\n"
                 "  namespace: ..\n");
        const config::ExportPlan out = plan(loaded.resources, {{}, true, false});
        QCOMPARE(out.files.at(0).name, std::string("configmap-_.-_._.._etc_x.yaml"));
    }

    void unparseableDocumentIsLeftOutWithANote() {
        const std::string broken = "apiVersion: v1\nkind: Service\nmetadata: {name: [unclosed\n";
        const config::LoadResult loaded = load(kService + "---\n" + broken + "---\n" + kRollout);
        const config::ExportPlan out = plan(loaded.resources);
        QCOMPARE(out.files.at(0).text, kService + "---\n" + kRollout);
        QCOMPARE(out.notes.size(), std::size_t(1));
        QCOMPARE(out.notes[0].code, std::string(config::kNoteUnreadableDocument));
        QCOMPARE(out.notes[0].span.line, 10u);
    }

    void commentOnlyHeaderIsKept() {
        const std::string input = "# Licence header\n# second line\n---\n" + kService;
        const config::LoadResult loaded = load(input);
        QCOMPARE(plan(loaded.resources).files.at(0).text, input);
    }
};

QTEST_GUILESS_MAIN(ExporterTest)
#include "exporter_test.moc"
