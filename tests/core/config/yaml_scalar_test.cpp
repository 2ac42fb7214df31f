// SPDX-License-Identifier: Apache-2.0
#include "config/yaml_scalar.h"

#include <cmath>
#include <limits>

#include <QTest>

using sluice::config::resolvePlainScalar;
using sluice::config::ScalarType;

Q_DECLARE_METATYPE(ScalarType)

// Plain-scalar typing as Kubernetes reads YAML (sigs.k8s.io/yaml on go-yaml v2, YAML 1.1 rules:
// resolve.go). What matters to users: `on`, `yes`, `y` are booleans, `0x1F` is a number, `~` is null.
class YamlScalarTest : public QObject {
    Q_OBJECT

private slots:
    void resolvesType_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ScalarType>("type");
        // null
        for (const char* s : {"", "~", "null", "Null", "NULL"})
            QTest::addRow("null %s", s) << s << ScalarType::Null;
        // YAML 1.1 booleans: the trap behind `exact: on`
        for (const char* s :
             {"y",    "Y",    "yes",   "Yes",   "YES",   "n",  "N",  "no", "No",  "NO",  "true",
              "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"})
            QTest::addRow("bool %s", s) << s << ScalarType::Bool;
        // integers, with Go's strconv base prefixes and go-yaml's underscore stripping
        for (const char* s :
             {"0", "7", "-7", "+7", "9080", "0x1F", "0X1f", "-0x1F", "0o17", "0O17", "017", "0b101", "0B101",
              "-0b11", "1_000", "9223372036854775807", "-9223372036854775808"})
            QTest::addRow("int %s", s) << s << ScalarType::Int;
        // floats
        for (const char* s : {"1.5",    "-1.5",    "+1.5",  ".5",    "5.",   "1e3",   "1E3",
                              "1.5e-3", "-2.5E+2", ".inf",  ".Inf",  ".INF", "+.inf", "+.Inf",
                              "+.INF",  "-.inf",   "-.Inf", "-.INF", ".nan", ".NaN",  ".NAN"})
            QTest::addRow("float %s", s) << s << ScalarType::Float;
        // strings: anything else, including near misses of the above
        for (const char* s : {"hello",
                              "yES",
                              "oN",
                              "nULL",
                              "True1",
                              "1.2.3.4",
                              "001:db8::",
                              "10.0.0.0/8",
                              "1s",
                              "100ms",
                              "v1",
                              "1e",
                              "e5",
                              "-",
                              "+",
                              ".",
                              "0x",
                              "0xG",
                              "_1",
                              "1:20",
                              "0b2",
                              "inf",
                              "nan",
                              "2001-12-14x",
                              "*.example.com",
                              "/productpage",
                              "ROUND_ROBIN"})
            QTest::addRow("string %s", s) << s << ScalarType::String;
    }
    void resolvesType() {
        QFETCH(QString, text);
        QFETCH(ScalarType, type);
        QCOMPARE(int(resolvePlainScalar(text.toStdString()).type), int(type));
    }

    void resolvesValues() {
        QCOMPARE(resolvePlainScalar("on").boolean, true);
        QCOMPARE(resolvePlainScalar("Off").boolean, false);
        QCOMPARE(resolvePlainScalar("y").boolean, true);
        QCOMPARE(resolvePlainScalar("0x1F").integer, std::int64_t(31));
        QCOMPARE(resolvePlainScalar("-0x1F").integer, std::int64_t(-31));
        QCOMPARE(resolvePlainScalar("017").integer, std::int64_t(15));
        QCOMPARE(resolvePlainScalar("0o17").integer, std::int64_t(15));
        QCOMPARE(resolvePlainScalar("0b101").integer, std::int64_t(5));
        QCOMPARE(resolvePlainScalar("1_000").integer, std::int64_t(1000));
        QCOMPARE(resolvePlainScalar("-9223372036854775808").integer,
                 std::numeric_limits<std::int64_t>::min());
        QCOMPARE(resolvePlainScalar("1.5e-3").real, 0.0015);
        QCOMPARE(resolvePlainScalar("-.Inf").real, -std::numeric_limits<double>::infinity());
        QCOMPARE(resolvePlainScalar("+.INF").real, std::numeric_limits<double>::infinity());
        QVERIFY(std::isnan(resolvePlainScalar(".NaN").real));
    }

    void flagsIntegerOverflow() {
        const auto big = resolvePlainScalar("9223372036854775808");
        QCOMPARE(int(big.type), int(ScalarType::Int));
        QVERIFY(big.intOverflow);
        QVERIFY(resolvePlainScalar("-9223372036854775809").intOverflow);
        QVERIFY(!resolvePlainScalar("-9223372036854775808").intOverflow);
        QVERIFY(resolvePlainScalar("0xFFFFFFFFFFFFFFFFFF").intOverflow);
    }

    void namesTypes() {
        QCOMPARE(QString::fromUtf8(sluice::config::scalarTypeName(ScalarType::Bool)),
                 QStringLiteral("boolean"));
        QCOMPARE(QString::fromUtf8(sluice::config::scalarTypeName(ScalarType::Int)),
                 QStringLiteral("integer"));
        QCOMPARE(QString::fromUtf8(sluice::config::scalarTypeName(ScalarType::String)),
                 QStringLiteral("string"));
    }
};

QTEST_GUILESS_MAIN(YamlScalarTest)
#include "yaml_scalar_test.moc"
