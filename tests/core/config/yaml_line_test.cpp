// SPDX-License-Identifier: Apache-2.0
#include "config/yaml_line.h"

#include <QTest>

using sluice::config::analyseYamlLine;
using sluice::config::yamlCommentStart;
using sluice::config::YamlLineEntry;
using sluice::config::yamlTokenEnd;

class YamlLineTest : public QObject {
    Q_OBJECT

private slots:
    // "Item@2 Key(name)@4=a" lists a line's entries with their columns.
    void splitsALine_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("entries");
        QTest::newRow("blank") << QByteArray("   ") << "";
        QTest::newRow("comment only") << QByteArray("  # note: x") << "";
        QTest::newRow("key") << QByteArray("spec:") << "Key(spec)@0=";
        QTest::newRow("key and value") << QByteArray("  name: a b  # c") << "Key(name)@2=a b";
        QTest::newRow("item with key") << QByteArray("  - name: a") << "Item@2 Key(name)@4=a";
        QTest::newRow("items of items") << QByteArray("- - a") << "Item@0 Item@2 Scalar(a)@4";
        QTest::newRow("dash in a scalar") << QByteArray("-a: 1") << "Key(-a)@0=1";
        QTest::newRow("quoted key") << QByteArray("\"a: b\": c") << "Key(a: b)@0=c";
        QTest::newRow("colon in a url") << QByteArray("- http://x") << "Item@0 Scalar(http://x)@2";
        QTest::newRow("flow value") << QByteArray("a: {b: c}") << "Key(a)@0={b: c}";
        QTest::newRow("flow item") << QByteArray("- {b: c}") << "Item@0 Scalar({b: c})@2";
        QTest::newRow("hash in quotes") << QByteArray("a: \"x # y\" # z") << "Key(a)@0=\"x # y\"";
        QTest::newRow("hash without a space") << QByteArray("a: x#y") << "Key(a)@0=x#y";
    }

    void splitsALine() {
        QFETCH(QByteArray, line);
        QFETCH(QString, entries);
        QStringList got;
        for (const YamlLineEntry& e : analyseYamlLine(line.toStdString()).entries) {
            const QString at = QStringLiteral("@%1").arg(e.column);
            switch (e.type) {
            case YamlLineEntry::Type::Item:
                got << QStringLiteral("Item") + at;
                break;
            case YamlLineEntry::Type::Key:
                got << QStringLiteral("Key(%1)").arg(QString::fromStdString(e.text)) + at + QLatin1Char('=') +
                           QString::fromStdString(e.value);
                break;
            case YamlLineEntry::Type::Scalar:
                got << QStringLiteral("Scalar(%1)").arg(QString::fromStdString(e.text)) + at;
                break;
            }
        }
        QCOMPARE(got.join(QLatin1Char(' ')), entries);
    }

    void findsBlockScalarsAndMarkers() {
        QVERIFY(analyseYamlLine("a: |").entries.back().blockScalar);
        QVERIFY(analyseYamlLine("a: >-2 # folded").entries.back().blockScalar);
        QVERIFY(analyseYamlLine("- |+").entries.back().blockScalar);
        QVERIFY(!analyseYamlLine("a: |x").entries.back().blockScalar);
        QVERIFY(analyseYamlLine("---").marker);
        QVERIFY(analyseYamlLine("--- # doc").marker);
        QVERIFY(!analyseYamlLine("----").marker);
        QVERIFY(analyseYamlLine("%YAML 1.2").marker);
        QCOMPARE(yamlCommentStart("a: 'it''s # not' # yes"), std::size_t(17));
    }

    // The squiggle under a diagnostic spans the token its column points at.
    void findsTheEndOfAToken_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("start");
        QTest::addColumn<QByteArray>("token");
        QTest::newRow("key") << QByteArray("    retires: 3") << 4 << QByteArray("retires");
        QTest::newRow("value") << QByteArray("  host: product-page  # typo") << 8
                               << QByteArray("product-page");
        QTest::newRow("value to the end")
            << QByteArray("  regex: ^/(?!admin).*") << 9 << QByteArray("^/(?!admin).*");
        QTest::newRow("quoted") << QByteArray("  exact: \"on, off\" # x") << 9 << QByteArray("\"on, off\"");
        QTest::newRow("flow collection")
            << QByteArray("  hosts: [a, \"]\", b]  ") << 9 << QByteArray("[a, \"]\", b]");
        QTest::newRow("in a flow collection") << QByteArray("  hosts: [a, bb, c]") << 13 << QByteArray("bb");
        QTest::newRow("flow key") << QByteArray("  uri: {prefix: /a}") << 8 << QByteArray("prefix");
        QTest::newRow("unclosed quote") << QByteArray("  a: \"xy") << 5 << QByteArray("\"xy");
        QTest::newRow("one byte at least") << QByteArray("  a: ") << 3 << QByteArray(":");
    }

    void findsTheEndOfAToken() {
        QFETCH(QByteArray, line);
        QFETCH(int, start);
        QFETCH(QByteArray, token);
        const std::string text = line.toStdString();
        const std::size_t end = yamlTokenEnd(text, static_cast<std::size_t>(start));
        QCOMPARE(QByteArray::fromStdString(
                     text.substr(static_cast<std::size_t>(start), end - static_cast<std::size_t>(start))),
                 token);
        QCOMPARE(yamlTokenEnd(text, text.size() + 3), text.size());
    }
};

QTEST_GUILESS_MAIN(YamlLineTest)
#include "yaml_line_test.moc"
