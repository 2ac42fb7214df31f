// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "config/schema_completion.h"
#include "cursor_mark.h"

#include <QTest>

using sluice::config::completeAt;
using sluice::config::Completion;
using sluice::config::CompletionKind;
using sluice::config::schemaCompletions;
using sluice::config::YamlCursor;
using sluice::config::YamlSlot;
using sluice::test::unmark;

namespace {

QStringList texts(const std::vector<Completion>& completions) {
    QStringList out;
    for (const Completion& c : completions)
        out << QString::fromStdString(c.text);
    return out;
}

std::vector<Completion> completeMarked(const QByteArray& marked) {
    const auto m = unmark(marked);
    return completeAt(m.text, m.line, m.column);
}

} // namespace

class SchemaCompletionTest : public QObject {
    Q_OBJECT

private slots:
    void offersTheSchemasNames_data() {
        QTest::addColumn<QByteArray>("marked");
        QTest::addColumn<QStringList>("expected");
        const QString vs = QStringLiteral("kind: VirtualService\n");
        QTest::newRow("root without a kind")
            << QByteArray("‸") << sluice::test::strings({"apiVersion", "kind", "metadata"});
        QTest::newRow("root of a VirtualService, kind written")
            << QByteArray("kind: VirtualService\n‸")
            << sluice::test::strings({"apiVersion", "metadata", "spec"});
        QTest::newRow("root of a Secret")
            << QByteArray("kind: Secret\nd‸") << sluice::test::strings({"data"});
        QTest::newRow("kinds") << QByteArray("kind: ‸")
                               << sluice::test::strings({"Gateway", "VirtualService", "DestinationRule",
                                                         "ServiceEntry", "Service", "Secret", "Pod",
                                                         "Deployment", "Workload"});
        QTest::newRow("kind typed") << QByteArray("kind: virt‸") << sluice::test::strings({"VirtualService"});
        QTest::newRow("apiVersions of the kind")
            << QByteArray("apiVersion: ‸\nkind: VirtualService\n")
            << sluice::test::strings(
                   {"networking.istio.io/v1alpha3", "networking.istio.io/v1beta1", "networking.istio.io/v1"});
        QTest::newRow("apiVersion of a Service")
            << QByteArray("apiVersion: ‸\nkind: Service\n") << sluice::test::strings({"v1"});
        QTest::newRow("apiVersion of a Deployment")
            << QByteArray("kind: Deployment\napiVersion: a‸") << sluice::test::strings({"apps/v1"});
        QTest::newRow("VirtualService spec")
            << QByteArray("kind: VirtualService\nspec:\n  ‸")
            << sluice::test::strings({"hosts", "gateways", "http", "tls", "tcp", "exportTo"});
        QTest::newRow("spec keys already written are left out")
            << QByteArray("kind: VirtualService\nspec:\n  hosts: [a]\n  ‸\n  http: []\n")
            << sluice::test::strings({"gateways", "tls", "tcp", "exportTo"});
        QTest::newRow("HTTPMatchRequest")
            << QByteArray("kind: VirtualService\nspec:\n  http:\n  - match:\n    - ‸")
            << sluice::test::strings({"name", "uri", "scheme", "method", "authority", "headers", "port",
                                      "sourceLabels", "gateways", "queryParams", "ignoreUriCase",
                                      "withoutHeaders", "sourceNamespace", "statPrefix"});
        QTest::newRow("HTTPMatchRequest, typed")
            << QByteArray(
                   "kind: VirtualService\nspec:\n  http:\n  - match:\n    - uri:\n        exact: /\n      "
                   "s‸")
            << sluice::test::strings({"scheme", "sourceLabels", "sourceNamespace", "statPrefix"});
        QTest::newRow("StringMatch in flow style")
            << QByteArray("kind: VirtualService\nspec:\n  http:\n  - match:\n    - uri: {pre‸")
            << sluice::test::strings({"prefix"});
        QTest::newRow("StringMatch under a header name (map value)")
            << QByteArray(
                   "kind: VirtualService\nspec:\n  http:\n  - match:\n    - headers:\n        x-user:\n    "
                   "      ‸")
            << sluice::test::strings({"exact", "prefix", "regex"});
        QTest::newRow("Destination")
            << QByteArray("kind: VirtualService\nspec:\n  http:\n  - route:\n    - destination:\n        ‸")
            << sluice::test::strings({"host", "subset", "port"});
        QTest::newRow("enum values") << QByteArray(
                                            "kind: Gateway\nspec:\n  servers:\n  - tls:\n      mode: ‸")
                                     << sluice::test::strings({"PASSTHROUGH", "SIMPLE", "MUTUAL",
                                                               "AUTO_PASSTHROUGH", "ISTIO_MUTUAL",
                                                               "OPTIONAL_MUTUAL"});
        QTest::newRow("enum value typed, any case")
            << QByteArray("kind: Gateway\nspec:\n  servers:\n  - tls: {mode: mu‸")
            << sluice::test::strings({"MUTUAL"});
        QTest::newRow("enum in a DestinationRule")
            << QByteArray(
                   "kind: DestinationRule\nspec:\n  trafficPolicy:\n    loadBalancer:\n      simple: LEAST‸")
            << sluice::test::strings({"LEAST_CONN", "LEAST_REQUEST"});
        QTest::newRow("boolean")
            << QByteArray("kind: VirtualService\nspec:\n  http:\n  - match:\n    - ignoreUriCase: ‸")
            << sluice::test::strings({"true", "false"});
        QTest::newRow("metadata") << QByteArray("kind: Gateway\nmetadata:\n  name: a\n  n‸")
                                  << sluice::test::strings({"namespace"});
        QTest::newRow("metadata of a kind Sluice does not model")
            << QByteArray("kind: Rollout\nmetadata:\n  na‸") << sluice::test::strings({"name", "namespace"});
        QTest::newRow("spec of a kind Sluice does not model")
            << QByteArray("kind: Rollout\nspec:\n  ‸") << QStringList{};
        QTest::newRow("keys of a string map")
            << QByteArray("kind: Gateway\nmetadata:\n  labels:\n    ‸") << QStringList{};
        QTest::newRow("unknown field")
            << QByteArray("kind: VirtualService\nspec:\n  nope:\n    ‸") << QStringList{};
        QTest::newRow("in a comment") << QByteArray("kind: VirtualService\nspec:\n  # h‸") << QStringList{};
        QTest::newRow("second document")
            << QByteArray("kind: Gateway\nspec: {}\n---\nkind: DestinationRule\nspec:\n  s‸")
            << sluice::test::strings({"subsets"});
    }

    void offersTheSchemasNames() {
        QFETCH(QByteArray, marked);
        QFETCH(QStringList, expected);
        QStringList got = texts(completeMarked(marked));
        got.sort();
        expected.sort();
        QCOMPARE(got, expected);
    }

    void describesFieldsAndFlagsDeprecatedOnes() {
        const auto all = completeMarked("kind: VirtualService\nspec:\n  http:\n  - mirror‸");
        QStringList names = texts(all);
        names.sort();
        QCOMPARE(names, (sluice::test::strings({"mirror", "mirrorPercent", "mirrorPercentage", "mirrors"})));
        for (const Completion& c : all) {
            QCOMPARE(c.kind, CompletionKind::Field);
            QCOMPARE(c.deprecated, c.text == "mirrorPercent");
        }
        const auto spec = completeMarked("kind: VirtualService\nspec:\n  ht‸");
        QCOMPARE(spec.size(), std::size_t(1));
        QCOMPARE(spec[0].detail, std::string("list of HTTPRoute"));
        const auto kinds = completeMarked("kind: Gat‸");
        QCOMPARE(kinds.size(), std::size_t(1));
        QCOMPARE(kinds[0].kind, CompletionKind::Kind);
    }

    // The walkers in schema_completion.cpp and the loader's kinds must not drift apart.
    void everyModelledKindHasFields() {
        for (const auto& kind : sluice::config::modelledKinds()) {
            YamlCursor cursor;
            cursor.slot = YamlSlot::Key;
            cursor.kind = kind.kind;
            QVERIFY2(schemaCompletions(cursor).size() > 3, kind.kind.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(SchemaCompletionTest)
#include "schema_completion_test.moc"
