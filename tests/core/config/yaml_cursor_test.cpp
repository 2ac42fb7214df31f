// SPDX-License-Identifier: Apache-2.0
#include "config/yaml_cursor.h"
#include "cursor_mark.h"

#include <QTest>

using sluice::config::formatYamlPath;
using sluice::config::YamlCursor;
using sluice::config::yamlCursorAt;
using sluice::config::YamlSlot;

Q_DECLARE_METATYPE(YamlSlot)

using sluice::test::Marked;
using sluice::test::unmark;

class YamlCursorTest : public QObject {
    Q_OBJECT

private slots:
    void findsThePathAtTheCursor_data() {
        QTest::addColumn<QByteArray>("marked");
        QTest::addColumn<YamlSlot>("slot");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("prefix");
        using S = YamlSlot;
        // Document root and the envelope's values.
        QTest::newRow("empty document") << QByteArray("‸") << S::Key << ""
                                        << "";
        QTest::newRow("root after a key") << QByteArray("apiVersion: v1\n‸") << S::Key << ""
                                          << "";
        QTest::newRow("root key typed") << QByteArray("apiVersion: v1\nki‸") << S::Key << ""
                                        << "ki";
        QTest::newRow("kind value typed") << QByteArray("kind: Vi‸") << S::Value << "kind"
                                          << "Vi";
        QTest::newRow("kind value empty") << QByteArray("kind: ‸") << S::Value << "kind"
                                          << "";
        QTest::newRow("kind value quoted") << QByteArray("kind: \"Virt‸") << S::Value << "kind"
                                           << "Virt";
        QTest::newRow("quoted value closed") << QByteArray("kind: \"Virtual\" ‸") << S::None << ""
                                             << "";
        // Block mappings and sequences, compact (`- ` at the key's indentation) and indented.
        QTest::newRow("under spec") << QByteArray("kind: VirtualService\nspec:\n  ‸") << S::Key << "spec"
                                    << "";
        QTest::newRow("key typed in spec") << QByteArray("spec:\n  ho‸") << S::Key << "spec"
                                           << "ho";
        QTest::newRow("key typed mid-line") << QByteArray("spec:\n  hos‸ts:") << S::Key << "spec"
                                            << "hos";
        QTest::newRow("compact list, back in the rule")
            << QByteArray("spec:\n  http:\n  - match:\n    - uri:\n        prefix: /\n    ‸") << S::Key
            << "spec.http[]"
            << "";
        QTest::newRow("compact list, new match item")
            << QByteArray("spec:\n  http:\n  - match:\n    - ‸") << S::Key << "spec.http[].match[]"
            << "";
        QTest::newRow("compact list, match key typed")
            << QByteArray("spec:\n  http:\n  - match:\n    - ur‸") << S::Key << "spec.http[].match[]"
            << "ur";
        QTest::newRow("indented lists")
            << QByteArray("spec:\n  http:\n    - route:\n        - destination:\n            ‸") << S::Key
            << "spec.http[].route[].destination"
            << "";
        QTest::newRow("sibling of a key in an item")
            << QByteArray("spec:\n  http:\n  - name: a\n    ‸") << S::Key << "spec.http[]"
            << "";
        QTest::newRow("next item") << QByteArray("spec:\n  http:\n  - name: a\n  - ‸") << S::Key
                                   << "spec.http[]"
                                   << "";
        QTest::newRow("list of lists") << QByteArray("a:\n- - ‸") << S::Key << "a[][]"
                                       << "";
        QTest::newRow("enum value") << QByteArray("spec:\n  servers:\n  - tls:\n      mode: SIM‸") << S::Value
                                    << "spec.servers[].tls.mode"
                                    << "SIM";
        QTest::newRow("quoted key above")
            << QByteArray("spec:\n  \"http\":\n  - ‸") << S::Key << "spec.http[]"
            << "";
        // Flow style on the cursor's line.
        QTest::newRow("flow map key") << QByteArray("spec:\n  http:\n  - match:\n    - uri: {pre‸") << S::Key
                                      << "spec.http[].match[].uri"
                                      << "pre";
        QTest::newRow("flow map after a closed one")
            << QByteArray("spec:\n  http:\n  - match: [{uri: {prefix: /a}}, {hea‸") << S::Key
            << "spec.http[].match[]"
            << "hea";
        QTest::newRow("flow map value")
            << QByteArray("spec:\n  tls: {mode: MU‸") << S::Value << "spec.tls.mode"
            << "MU";
        QTest::newRow("flow list item") << QByteArray("spec:\n  hosts: [a, b‸") << S::Value << "spec.hosts[]"
                                        << "b";
        QTest::newRow("flow list closed") << QByteArray("spec:\n  hosts: [a, b] ‸") << S::None << ""
                                          << "";
        QTest::newRow("flow string open") << QByteArray("spec:\n  hosts: [\"a‸") << S::None << ""
                                          << "";
        // Comments, block scalars, documents, broken text.
        QTest::newRow("in a comment") << QByteArray("spec:\n  # a comm‸") << S::None << ""
                                      << "";
        QTest::newRow("comment lines between") << QByteArray("spec:\n  # comment\n\n  ‸") << S::Key << "spec"
                                               << "";
        QTest::newRow("comment after the key") << QByteArray("spec: # the spec\n  ‸") << S::Key << "spec"
                                               << "";
        QTest::newRow("hash inside a quoted value")
            << QByteArray("spec:\n  a: \"x #y\"\n  b‸") << S::Key << "spec"
            << "b";
        QTest::newRow("in a block scalar")
            << QByteArray("metadata:\n  annotations:\n    note: |\n      some text: here\n      ‸") << S::None
            << ""
            << "";
        QTest::newRow("after a block scalar")
            << QByteArray("metadata:\n  annotations:\n    note: |\n      text\n\n      more: text\n  ‸")
            << S::Key << "metadata"
            << "";
        QTest::newRow("second document")
            << QByteArray("kind: Gateway\nspec:\n  servers: []\n---\nkind: VirtualService\nspec:\n  ‸")
            << S::Key << "spec"
            << "";
        QTest::newRow("root of a new document") << QByteArray("a:\n  b: 1\n---\n‸") << S::Key << ""
                                                << "";
        QTest::newRow("on a separator") << QByteArray("a: 1\n---‸") << S::None << ""
                                        << "";
        QTest::newRow("dash alone") << QByteArray("spec:\n  -‸") << S::None << ""
                                    << "";
        QTest::newRow("under a scalar") << QByteArray("spec:\n  hosts: a\n    ‸") << S::None << ""
                                        << "";
        QTest::newRow("anchor on the parent") << QByteArray("base: &b\n  ‸") << S::Key << "base"
                                              << "";
        QTest::newRow("windows line ends")
            << QByteArray("spec:\r\n  http:\r\n  - ‸\r\n") << S::Key << "spec.http[]"
            << "";
    }

    void findsThePathAtTheCursor() {
        QFETCH(QByteArray, marked);
        QFETCH(YamlSlot, slot);
        QFETCH(QString, path);
        QFETCH(QString, prefix);
        const Marked m = unmark(marked);
        const YamlCursor c = yamlCursorAt(m.text, m.line, m.column);
        QCOMPARE(c.slot, slot);
        QCOMPARE(QString::fromStdString(formatYamlPath(c.path)), path);
        QCOMPARE(QString::fromStdString(c.prefix), prefix);
        if (slot != YamlSlot::None)
            QCOMPARE(c.prefixColumn, m.column - static_cast<std::uint32_t>(c.prefix.size()));
    }

    void readsTheKindOfTheCursorsDocument() {
        const Marked m =
            unmark("apiVersion: networking.istio.io/v1\nkind: Gateway\n---\n# c\napiVersion: "
                   "\"networking.istio.io/v1beta1\"\nspec:\n  ‸\nkind: 'VirtualService'\n---\nkind: "
                   "Service\n");
        const YamlCursor c = yamlCursorAt(m.text, m.line, m.column);
        QCOMPARE(c.kind, std::string("VirtualService"));
        QCOMPARE(c.apiVersion, std::string("networking.istio.io/v1beta1"));
    }

    void listsTheKeysTheMappingAlreadyHas_data() {
        QTest::addColumn<QByteArray>("marked");
        QTest::addColumn<QStringList>("siblings");
        QTest::newRow("above and below")
            << QByteArray("spec:\n  hosts: [a]\n  http:\n  - name: x\n  ‸\n  gateways: [g]\nstatus: {}\n")
            << sluice::test::strings({"hosts", "http", "gateways"});
        QTest::newRow("a new item has only the keys below it")
            << QByteArray("http:\n- name: a\n  timeout: 1s\n- ‸\n  route: []\n- name: b\n")
            << sluice::test::strings({"route"});
        QTest::newRow("the item's own keys") << QByteArray("http:\n- name: a\n  ‸\n  route: []\n- name: b\n")
                                             << sluice::test::strings({"name", "route"});
        QTest::newRow("flow maps have none") << QByteArray("uri: {exact: a, ‸") << QStringList{};
    }

    void listsTheKeysTheMappingAlreadyHas() {
        QFETCH(QByteArray, marked);
        QFETCH(QStringList, siblings);
        const Marked m = unmark(marked);
        QStringList got;
        for (const std::string& key : yamlCursorAt(m.text, m.line, m.column).siblings)
            got << QString::fromStdString(key);
        got.sort();
        siblings.sort();
        QCOMPARE(got, siblings);
    }

    void outOfRangePositionsAreSafe() {
        QCOMPARE(yamlCursorAt("a: 1\n", 7, 0).slot, YamlSlot::None);
        const YamlCursor c = yamlCursorAt("spec:\n  ", 1, 99);
        QCOMPARE(c.slot, YamlSlot::Key);
        QCOMPARE(c.prefixColumn, 2u);
        QCOMPARE(yamlCursorAt("", 0, 0).slot, YamlSlot::Key);
    }
};

QTEST_GUILESS_MAIN(YamlCursorTest)
#include "yaml_cursor_test.moc"
