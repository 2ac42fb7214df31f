// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using sluice::config::LoadResult;
using sluice::config::loadText;
using sluice::model::Diagnostic;
using sluice::model::Level;

namespace {

constexpr const char* kService = "apiVersion: v1\nkind: Service\nmetadata:\n";

LoadResult load(const std::string& text, const std::string& path = "config.yaml") {
    LoadResult result;
    loadText(path, text, result);
    return result;
}

QString describe(const LoadResult& r) {
    QString out;
    for (const Diagnostic& d : r.diagnostics)
        out += QStringLiteral("\n  %1:%2 %3 %4 %5")
                   .arg(d.span.line)
                   .arg(d.span.column)
                   .arg(QString::fromStdString(d.code))
                   .arg(int(d.level))
                   .arg(QString::fromStdString(d.message));
    return out.isEmpty() ? QStringLiteral(" (no diagnostics)") : out;
}

const Diagnostic* find(const LoadResult& r, const std::string& code) {
    const auto it = std::find_if(r.diagnostics.begin(), r.diagnostics.end(),
                                 [&](const Diagnostic& d) { return d.code == code; });
    return it == r.diagnostics.end() ? nullptr : &*it;
}

// A VirtualService whose aliases multiply through three nested lists of the schema (http, match,
// headers): 1000^3 nodes if expanded, a few KB as text. The node budget must stop it.
std::string aliasBombVirtualService() {
    std::string s = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: bomb\n"
                    "x-header: &h {exact: a}\n";
    s += "x-match: &m {headers: {";
    for (int i = 0; i < 1000; ++i)
        s += (i ? ", h" : "h") + std::to_string(i) + ": *h";
    s += "}}\nx-route: &r {match: [";
    for (int i = 0; i < 1000; ++i)
        s += i ? ", *m" : "*m";
    s += "]}\nspec:\n  hosts: [a.example.com]\n  http: [";
    for (int i = 0; i < 1000; ++i)
        s += i ? ", *r" : "*r";
    return s + "]\n";
}

// The classic "billion laughs": nine levels of nine aliases, in a field that is not a list.
std::string billionLaughs() {
    std::string s = std::string(kService) +
                    "  name: lol\n  labels:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    const std::string names = "abcdefghi";
    for (std::size_t i = 1; i < names.size(); ++i) {
        s += std::string("    ") + names[i] + ": &" + names[i] + " [";
        for (int j = 0; j < 9; ++j)
            s += std::string(j ? ", *" : "*") + names[i - 1];
        s += "]\n";
    }
    return s;
}

} // namespace

class LoaderTest : public QObject {
    Q_OBJECT

private slots:
    // Every malformed input: the loader returns (no crash, no hang, no exception), reports the
    // expected code and level at the expected line:column, and every diagnostic has a position.
    void reportsMalformedInput_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("code"); // empty: no diagnostic at all
        QTest::addColumn<int>("level");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        const auto row = [](const char* name, const std::string& text, const char* code, Level level,
                            int line, int column, const char* path = "config.yaml") {
            QTest::newRow(name) << QByteArray::fromStdString(text) << QString::fromUtf8(path)
                                << QString::fromUtf8(code) << int(level) << line << column;
        };
        const std::string svc = kService;
        row("tab indentation", svc + "\tname: x\n", "SLU0001", Level::Error, 4, 1);
        row("tab after spaces", svc + "  name: x\n  labels:\n  \ta: b\n", "SLU0001", Level::Error, 6, 3);
        row("a: b: c", svc + "  name: a: b: c\n", "SLU0001", Level::Error, 4, 10);
        row("unclosed double quote at end", svc + "  name: \"abc\n", "SLU0001", Level::Error, 4, 9);
        row("unclosed double quote swallowing keys", svc + "  name: \"abc\n  namespace: x\n", "SLU0001",
            Level::Error, 4, 9);
        row("unclosed single quote", svc + "  name: x\n  labels:\n    a: 'it''s\n", "SLU0001", Level::Error,
            6, 8);
        row("unclosed bracket", svc + "  name: x\nspec:\n  ports: [{port: 80}\n", "SLU0001", Level::Error, 7,
            1);
        row("unclosed brace", svc + "  name: x\nspec:\n  selector: {app: a\n", "SLU0001", Level::Error, 7, 1);
        row("duplicate key", svc + "  name: x\n  name: y\n", "SLU0002", Level::Error, 5, 3);
        row("duplicate top-level key",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n"
            "  selector: {istio: ingressgateway}\nspec:\n  servers: []\n",
            "SLU0002", Level::Error, 7, 1);
        row("weight is a quoted string",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: v\nspec:\n"
            "  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a}\n      weight: \"ten\"\n",
            "IST0106", Level::Error, 10, 15);
        row("exact: on is a boolean",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: v\nspec:\n"
            "  hosts: [a]\n  http:\n  - match:\n    - headers:\n        x-flag:\n          exact: on\n"
            "    route:\n    - destination: {host: a}\n",
            "IST0106", Level::Error, 11, 18);
        row("unknown field",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: v\nspec:\n"
            "  hosts: [a]\n  http:\n  - route:\n    - destnation: {host: a}\n",
            "IST0106", Level::Error, 9, 7);
        row("unknown enum value",
            "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: d\nspec:\n"
            "  host: a\n  trafficPolicy:\n    loadBalancer:\n      simple: ROUND_ROBBIN\n",
            "IST0106", Level::Error, 9, 15);
        row("list where a map belongs",
            "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: d\nspec:\n"
            "  host: a\n  trafficPolicy: [x]\n",
            "IST0106", Level::Error, 7, 18);
        row("deeply nested flow", "spec: " + std::string(100'000, '['), "SLU0001", Level::Error, 1, 1);
        row(
            "deeply nested flow maps",
            "spec: " +
                [] {
                    std::string s;
                    for (int i = 0; i < 100'000; ++i)
                        s += "{a: ";
                    return s;
                }(),
            "SLU0001", Level::Error, 1, 1998);
        row("alias bomb through the schema", aliasBombVirtualService(), "SLU0004", Level::Error, 5, 22);
        row("20 MB document",
            svc + "  name: big\n  annotations:\n    blob: \"" + std::string(20u << 20, 'x') + "\"\n",
            "SLU0004", Level::Error, 1, 1);
        row("binary garbage", std::string("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", 20),
            "SLU0001", Level::Error, 3, 3);
        // \xff\xfe reads as a UTF-16 byte-order mark: the rest decodes to a (strange) string document.
        row("garbage bytes", std::string("\xff\xfe\x00\x01\"\x02\x03\n\t\x7f}", 12), "SLU0005", Level::Error,
            1, 1);
        row("empty file", "", "", Level::Info, 0, 0);
        row("only comments", "# nothing here\n\n   # still nothing\n---\n# and here\n", "", Level::Info, 0,
            0);
        row("only markers", "---\n---\n...\n", "", Level::Info, 0, 0);
        row("JSON file",
            "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Service\",\n  \"metadata\": {\"name\": \"j\"},\n"
            "  \"spec\": {\"ports\": [{\"port\": \"x\"}]}\n}\n",
            "SLU0007", Level::Error, 5, 31, "config.json");
        row("List kind",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: "
            "a\n"
            "- apiVersion: networking.istio.io/v1\n  kind: Gateway\n  metadata:\n    name: g\n  spec:\n"
            "    servrs: []\n",
            "IST0106", Level::Error, 13, 5);
        row("List item not a map", "apiVersion: v1\nkind: List\nitems:\n- 3\n", "SLU0005", Level::Error, 4,
            3);
        row("byte-order mark", "\xEF\xBB\xBF" + svc + "  name: x\n  nme: y\n", "SLU0007", Level::Error, 5, 3);
        row("CRLF line endings",
            "apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: c\r\nspec:\r\n  ports:\r\n"
            "  - port: x\r\n",
            "SLU0007", Level::Error, 7, 11);
        row("third document",
            svc + "  name: a\n---\n" + svc + "  name: b\n---\n# c\n" + svc + "  name: c\n  nam: d\n",
            "SLU0007", Level::Error, 16, 3);
        row("document is a scalar", "just text\n", "SLU0005", Level::Error, 1, 1);
        row("document is a list", "- a\n- b\n", "SLU0005", Level::Error, 1, 1);
        row("no kind", "apiVersion: v1\nmetadata:\n  name: x\n", "SLU0005", Level::Error, 1, 1);
        row("unsupported apiVersion",
            "apiVersion: networking.istio.io/v2\nkind: Gateway\nmetadata:\n  name: g\n", "SLU0006",
            Level::Error, 1, 13);
        row("missing metadata.name",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  namespace: x\n", "IST0106",
            Level::Error, 4, 3);
        row("map key is a map", svc + "  name: m\n  labels:\n    ? {a: 1}\n    : b\n", "SLU0007",
            Level::Error, 6, 7);
        row("bad merge key", svc + "  name: m\n  labels:\n    <<: 3\n", "SLU0007", Level::Error, 6, 9);
    }
    void reportsMalformedInput() {
        QFETCH(QByteArray, text);
        QFETCH(QString, path);
        QFETCH(QString, code);
        QFETCH(int, level);
        QFETCH(int, line);
        QFETCH(int, column);
        QElapsedTimer timer;
        timer.start();
        const LoadResult r = load(text.toStdString(), path.toStdString());
        QVERIFY2(timer.elapsed() < 10'000, "loading took more than 10 s");
        for (const Diagnostic& d : r.diagnostics) {
            QVERIFY2(d.span.line >= 1 && d.span.column >= 1, qPrintable(describe(r)));
            QVERIFY2(r.resources.fileName(d.span.file) == path.toStdString(), qPrintable(describe(r)));
        }
        if (code.isEmpty()) {
            QVERIFY2(r.diagnostics.empty(), qPrintable(describe(r)));
            QCOMPARE(r.resources.resourceCount(), std::size_t(0));
            return;
        }
        const Diagnostic* d = find(r, code.toStdString());
        QVERIFY2(d, qPrintable(QStringLiteral("no %1 in").arg(code) + describe(r)));
        QCOMPARE(int(d->level), level);
        QCOMPARE(QStringLiteral("%1:%2").arg(d->span.line).arg(d->span.column),
                 QStringLiteral("%1:%2").arg(line).arg(column));
    }

    void suggestsTheFieldAndEnumMeant() {
        const LoadResult field = load("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n"
                                      "  name: v\nspec:\n  hosts: [a]\n  http:\n  - route:\n"
                                      "    - destnation: {host: a}\n");
        QVERIFY2(find(field, "IST0106"), qPrintable(describe(field)));
        QVERIFY(QString::fromStdString(find(field, "IST0106")->message)
                    .contains(u"did you mean \"destination\""));
        QCOMPARE(QString::fromStdString(find(field, "IST0106")->field),
                 QStringLiteral("spec.http[0].route[0].destnation"));

        const LoadResult value = load("apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n"
                                      "  name: d\nspec:\n  host: a\n  trafficPolicy:\n    loadBalancer:\n"
                                      "      simple: ROUND_ROBBIN\n");
        QVERIFY2(find(value, "IST0106"), qPrintable(describe(value)));
        QVERIFY(QString::fromStdString(find(value, "IST0106")->message)
                    .contains(u"did you mean \"ROUND_ROBIN\""));
    }

    void explainsTheBooleanTrap() {
        const LoadResult r = load("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n"
                                  "  name: v\nspec:\n  hosts: [a]\n  http:\n  - match:\n    - uri:\n"
                                  "        exact: yes\n    route:\n    - destination: {host: a}\n");
        const Diagnostic* d = find(r, "IST0106");
        QVERIFY2(d, qPrintable(describe(r)));
        QVERIFY(QString::fromStdString(d->message).contains(u"quote it"));
        // Quoted, it is the string "yes".
        const LoadResult ok = load("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n"
                                   "  name: v\nspec:\n  hosts: [a]\n  http:\n  - match:\n    - uri:\n"
                                   "        exact: \"yes\"\n    route:\n    - destination: {host: a}\n");
        QVERIFY2(ok.diagnostics.empty(), qPrintable(describe(ok)));
        QCOMPARE(QString::fromStdString(
                     ok.resources.virtualServices.at(0).spec.http.at(0).match.at(0).uri->exact.value),
                 QStringLiteral("yes"));
    }

    void aliasesStayBounded() {
        QElapsedTimer timer;
        timer.start();
        const LoadResult r = load(billionLaughs());
        QVERIFY(timer.elapsed() < 10'000);
        QVERIFY2(r.diagnostics.size() <= 16, qPrintable(describe(r))); // one per label, not one per laugh
        QCOMPARE(r.resources.services.size(), std::size_t(1));
    }

    void snakeCaseFieldsLoadLikeCamelCase() {
        const std::string head =
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: v\n"
            "spec:\n  hosts: [nginx.example.com]\n  gateways: [gw]\n  tls:\n  - match:\n"
            "    - port: 443\n";
        const std::string tail = ": [nginx.example.com]\n    route:\n    - destination: {host: my-nginx}\n";
        const LoadResult snake = load(head + "      sni_hosts" + tail);
        const LoadResult camel = load(head + "      sniHosts" + tail);
        QVERIFY2(snake.diagnostics.empty(), qPrintable(describe(snake)));
        QVERIFY2(camel.diagnostics.empty(), qPrintable(describe(camel)));
        const auto& hosts = snake.resources.virtualServices.at(0).spec.tls.at(0).match.at(0).sniHosts;
        QCOMPARE(hosts.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(hosts[0].value), QStringLiteral("nginx.example.com"));
        QCOMPARE(hosts[0].span.line, 11u);
        const auto& camelHosts = camel.resources.virtualServices.at(0).spec.tls.at(0).match.at(0).sniHosts;
        QCOMPARE(camelHosts.size(), std::size_t(1));
        QCOMPARE(camelHosts[0].value, hosts[0].value);
    }

    void deprecatedFieldsLoadAndWarn_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::newRow("consecutiveErrors")
            << QByteArray("apiVersion: networking.istio.io/v1\nkind: DestinationRule\n"
                          "metadata:\n  name: d\nspec:\n  host: a\n  trafficPolicy:\n"
                          "    outlierDetection:\n      consecutiveErrors: 1\n")
            << 9 << 7;
        QTest::newRow("mirrorPercent")
            << QByteArray("apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
                          "metadata:\n  name: v\nspec:\n  hosts: [a]\n  http:\n"
                          "  - route:\n    - destination: {host: a}\n"
                          "    mirror: {host: b}\n    mirrorPercent: 100\n")
            << 11 << 5;
        QTest::newRow("mirror_percent (proto name)")
            << QByteArray("apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
                          "metadata:\n  name: v\nspec:\n  hosts: [a]\n  http:\n"
                          "  - route:\n    - destination: {host: a}\n"
                          "    mirror: {host: b}\n    mirror_percent: 100\n")
            << 11 << 5;
    }
    void deprecatedFieldsLoadAndWarn() {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(int, column);
        const LoadResult r = load(text.toStdString());
        QCOMPARE(r.diagnostics.size(), std::size_t(1));
        const Diagnostic& d = r.diagnostics[0];
        QCOMPARE(QString::fromStdString(d.code), QStringLiteral("IST0002"));
        QCOMPARE(int(d.level), int(Level::Warning));
        QCOMPARE(int(d.span.line), line);
        QCOMPARE(int(d.span.column), column);
        QCOMPARE(r.resources.resourceCount(), std::size_t(1));
        if (!r.resources.destinationRules.empty())
            QCOMPARE(
                r.resources.destinationRules[0].spec.trafficPolicy->outlierDetection->consecutiveErrors.value,
                1);
        else
            QCOMPARE(r.resources.virtualServices.at(0).spec.http.at(0).mirrorPercent.value, 100u);
    }

    void unknownKindsAreSkippedWithInfo_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("apiVersion");
        QTest::newRow("Argo Rollout")
            << QByteArray("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n"
                          "  name: canary\n  namespace: shop\nspec:\n  strategy: {}\n")
            << "Rollout"
            << "argoproj.io/v1alpha1";
        QTest::newRow("Gateway API Gateway")
            << QByteArray(
                   "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: canary\n"
                   "  namespace: shop\nspec:\n  gatewayClassName: istio\n")
            << "Gateway"
            << "gateway.networking.k8s.io/v1";
        QTest::newRow("HTTPRoute") << QByteArray(
                                          "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: HTTPRoute\n"
                                          "metadata:\n  name: canary\n  namespace: shop\n")
                                   << "HTTPRoute"
                                   << "gateway.networking.k8s.io/v1beta1";
        QTest::newRow("CRD") << QByteArray(
                                    "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                                    "metadata:\n  name: canary\n  namespace: shop\n")
                             << "CustomResourceDefinition"
                             << "apiextensions.k8s.io/v1";
    }
    void unknownKindsAreSkippedWithInfo() {
        QFETCH(QByteArray, text);
        QFETCH(QString, kind);
        QFETCH(QString, apiVersion);
        const LoadResult r = load("# leading comment\n" + text.toStdString());
        QCOMPARE(r.diagnostics.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(r.diagnostics[0].code), QStringLiteral("SLU0003"));
        QCOMPARE(int(r.diagnostics[0].level), int(Level::Info));
        QCOMPARE(r.diagnostics[0].span.line, 2u);
        QCOMPARE(r.resources.resourceCount(), std::size_t(0));
        QCOMPARE(r.resources.skipped.size(), std::size_t(1));
        const auto& s = r.resources.skipped[0];
        QCOMPARE(QString::fromStdString(s.kind), kind);
        QCOMPARE(QString::fromStdString(s.apiVersion), apiVersion);
        QCOMPARE(QString::fromStdString(s.name), QStringLiteral("canary"));
        QCOMPARE(QString::fromStdString(s.ns), QStringLiteral("shop"));
        QCOMPARE(s.doc.firstLine, 1u);
    }

    // go-yaml reads `001:db8::` inside a flow list as a string; yaml-cpp sees a one-entry map.
    void flowItemEndingInColonIsAString() {
        const LoadResult r =
            load("apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: s\n"
                 "spec:\n  hosts: [example.com]\n  addresses: [1.2.3.4, 001:db8::, 2001:db8::1]\n"
                 "  exportTo: [a::]\n");
        QVERIFY2(r.diagnostics.empty(), qPrintable(describe(r)));
        const auto& se = r.resources.serviceEntries.at(0).spec;
        QCOMPARE(se.addresses.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(se.addresses[1].value), QStringLiteral("001:db8::"));
        QCOMPARE(se.addresses[1].span.line, 7u);
        QCOMPARE(se.addresses[1].span.column, 24u);
        QCOMPARE(QString::fromStdString(se.exportTo.at(0).value), QStringLiteral("a::"));
    }

    void realMapsInStringFieldsStayErrors_data() {
        QTest::addColumn<QByteArray>("addresses");
        QTest::newRow("key with value") << QByteArray("[a: b]");
        QTest::newRow("colon then space") << QByteArray("[a: ]");
        QTest::newRow("explicit flow map") << QByteArray("[{a:}]");
        QTest::newRow("quoted key") << QByteArray("[\"a\":]");
        QTest::newRow("block map") << QByteArray("\n  - a:\n");
    }
    void realMapsInStringFieldsStayErrors() {
        QFETCH(QByteArray, addresses);
        const LoadResult r =
            load("apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: s\n"
                 "spec:\n  hosts: [example.com]\n  addresses: " +
                 addresses.toStdString() + "\n");
        const Diagnostic* d = find(r, "IST0106");
        QVERIFY2(d, qPrintable(describe(r)));
        QVERIFY2(QString::fromStdString(d->message).contains(u"expected a single value"),
                 qPrintable(describe(r)));
    }

    void loadsIstioServiceEntryTestData() {
        const std::filesystem::path file = std::filesystem::path(SLUICE_SHARED_DIR) /
                                           "realworld/istio/validation-testdata/serviceentry-valid.yaml";
        if (!std::filesystem::exists(file))
            QSKIP("../shared/realworld is not present");
        const LoadResult r = sluice::config::loadPaths({file.string()});
        QVERIFY2(r.diagnostics.empty(), qPrintable(describe(r)));
        const auto it = std::find_if(r.resources.serviceEntries.begin(), r.resources.serviceEntries.end(),
                                     [](const auto& se) { return se.header.name() == "full"; });
        QVERIFY(it != r.resources.serviceEntries.end());
        QCOMPARE(it->spec.addresses.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(it->spec.addresses[1].value), QStringLiteral("001:db8::"));
    }

    void mergeKeysFollowKubernetes() {
        const LoadResult r = load(std::string(kService) +
                                  "  name: m\n  labels: &base {app: shop, tier: web}\nspec:\n  selector:\n"
                                  "    <<: *base\n    tier: api\n");
        QVERIFY2(r.diagnostics.empty(), qPrintable(describe(r)));
        const auto& selector = r.resources.services.at(0).spec.selector;
        QCOMPARE(selector.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(selector.at("app").value), QStringLiteral("shop"));
        QCOMPARE(QString::fromStdString(selector.at("tier").value),
                 QStringLiteral("api")); // explicit key wins
    }

    void mergeKeyListsPreferEarlierMaps() {
        const LoadResult r =
            load(std::string(kService) +
                 "  name: m\n  labels: &first {tier: web}\n  annotations: &second {tier: db, zone: a}\n"
                 "spec:\n  selector:\n    <<: [*first, *second]\n");
        QVERIFY2(r.diagnostics.empty(), qPrintable(describe(r)));
        const auto& selector = r.resources.services.at(0).spec.selector;
        QCOMPARE(QString::fromStdString(selector.at("tier").value), QStringLiteral("web"));
        QCOMPARE(QString::fromStdString(selector.at("zone").value), QStringLiteral("a"));
    }

    // loadPaths() loads files on several threads; the result must be the sequential one, order
    // of files, resources and diagnostics included.
    void parallelLoadMatchesSequential() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path root = dir.path().toStdString();
        std::filesystem::create_directories(root / "nested");
        auto write = [&](const std::string& name, const std::string& text) {
            std::ofstream(root / name, std::ios::binary) << text;
        };
        for (int i = 0; i < 12; ++i) {
            const std::string n = std::to_string(i);
            write((i % 3 ? "" : "nested/") + std::string("svc-") + n + ".yaml",
                  std::string(kService) + "  name: svc-" + n +
                      "\nspec:\n  ports:\n  - port: " + std::to_string(8000 + i) + "\n---\n" + kService +
                      "  name: extra-" + n + (i % 4 == 0 ? "\nspec:\n  ports: 80\n" : "\n"));
        }
        write("broken.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n");
        write("rollout.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\n");
        write("list.json", R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "from-json"}})");

        const std::vector<std::string> paths{root.string(), "/nonexistent/sluice/x.yaml",
                                             (root / "broken.yaml").string()};
        sluice::config::LoadOptions sequential;
        sequential.threads = 1;
        sluice::config::LoadOptions parallel;
        parallel.threads = 4;
        const LoadResult a = sluice::config::loadPaths(paths, sequential);
        const LoadResult b = sluice::config::loadPaths(paths, parallel);

        QCOMPARE(b.resources.files.size(), a.resources.files.size());
        QCOMPARE(
            a.resources.files.size(),
            std::size_t(16)); // 15 in the folder and the missing one; broken.yaml, named again, loads once
        for (std::size_t i = 0; i < a.resources.files.size(); ++i) {
            QCOMPARE(b.resources.files[i].path, a.resources.files[i].path);
            QCOMPARE(b.resources.files[i].documents.size(), a.resources.files[i].documents.size());
        }
        QCOMPARE(b.resources.services.size(), a.resources.services.size());
        QCOMPARE(a.resources.services.size(), std::size_t(25));
        for (std::size_t i = 0; i < a.resources.services.size(); ++i) {
            QCOMPARE(b.resources.services[i].header.name(), a.resources.services[i].header.name());
            QCOMPARE(b.resources.services[i].header.doc.file, a.resources.services[i].header.doc.file);
        }
        QCOMPARE(b.resources.skipped.size(), std::size_t(1));
        QCOMPARE(b.unreadable, a.unreadable);
        QVERIFY(a.unreadable);
        QCOMPARE(b.diagnostics.size(), a.diagnostics.size());
        QCOMPARE(a.diagnostics.size(),
                 std::size_t(
                     6)); // 3 wrong types, 1 syntax error (broken.yaml loads once), 1 skipped, 1 unreadable
        for (std::size_t i = 0; i < a.diagnostics.size(); ++i) {
            const Diagnostic& x = a.diagnostics[i];
            const Diagnostic& y = b.diagnostics[i];
            QCOMPARE(y.code, x.code);
            QCOMPARE(y.message, x.message);
            QCOMPARE(y.resource, x.resource);
            QCOMPARE(y.field, x.field);
            QCOMPARE(y.span.file, x.span.file);
            QCOMPARE(y.span.line, x.span.line);
            QCOMPARE(y.span.column, x.span.column);
        }
        // Spans name the right file: the syntax error sits in broken.yaml (loaded once, though named twice).
        std::size_t broken = 0;
        for (const Diagnostic& d : b.diagnostics)
            if (d.code == "SLU0001") {
                QVERIFY(b.resources.fileName(d.span.file).ends_with("broken.yaml"));
                ++broken;
            }
        QCOMPARE(broken, std::size_t(1));
    }

    // The editor revalidates what the user typed, not what is on disk: an unsaved buffer replaces
    // its file, and diagnostics point into the buffer's lines.
    void unsavedTextReplacesTheFileOnDisk() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / "svc.yaml").string();
        std::ofstream(path, std::ios::binary) << kService << "  name: on-disk\n";
        sluice::config::LoadOptions options;
        options.unsavedText[path] =
            std::string("# edited\n") + kService + "  name: edited\nspec:\n  ports: 80\n";
        const LoadResult r = sluice::config::loadPaths({dir.path().toStdString()}, options);
        QCOMPARE(r.resources.services.size(), std::size_t(1));
        QCOMPARE(r.resources.services[0].header.name(), std::string("edited"));
        QCOMPARE(r.diagnostics.size(), std::size_t(1));
        QCOMPARE(r.diagnostics[0].span.line, 7u);
        const LoadResult disk = sluice::config::loadPaths({path});
        QCOMPARE(disk.resources.services[0].header.name(), std::string("on-disk"));
    }

    // What `sluice serve` watches: the fingerprint moves when a file is rewritten, added or removed,
    // and stays put otherwise (files outside the config's extensions do not count).
    void fingerprintFollowsTheConfigFiles() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path root = dir.path().toStdString();
        std::ofstream(root / "a.yaml") << kService << "  name: a\n";
        const std::vector<std::string> paths{root.string()};
        const std::string first = sluice::config::sourcesFingerprint(paths);
        QCOMPARE(sluice::config::sourcesFingerprint(paths), first);
        std::ofstream(root / "notes.txt") << "not config";
        QCOMPARE(sluice::config::sourcesFingerprint(paths), first);
        std::ofstream(root / "a.yaml") << kService << "  name: renamed\n";
        const std::string rewritten = sluice::config::sourcesFingerprint(paths);
        QVERIFY(rewritten != first);
        std::ofstream(root / "b.yml") << kService << "  name: b\n";
        QVERIFY(sluice::config::sourcesFingerprint(paths) != rewritten);
        QCOMPARE(sluice::config::configFilesUnder(root).size(), std::size_t(2));
    }

    void missingPathIsUnreadable() {
        const LoadResult r = sluice::config::loadPaths({"/nonexistent/sluice/config.yaml"});
        QVERIFY(r.unreadable);
        QCOMPARE(r.diagnostics.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(r.diagnostics[0].code), QStringLiteral("SLU0008"));
        QCOMPARE(r.diagnostics[0].span.line, 1u);
    }
};

QTEST_GUILESS_MAIN(LoaderTest)
#include "loader_test.moc"
