// SPDX-License-Identifier: Apache-2.0
#include "model/duration.h"

#include <cstdint>
#include <limits>

#include <QTest>

using sluice::model::Duration;

namespace {
constexpr qint64 kMs = 1'000'000;
constexpr qint64 kSecond = 1'000'000'000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
} // namespace

// Cases follow Go's src/time/time_test.go parseDurationTests: Istio reads durations with
// time.ParseDuration, so Sluice must accept and reject exactly the same spellings.
class DurationTest : public QObject {
    Q_OBJECT

private slots:
    void parsesGoSyntax_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("nanos");
        QTest::newRow("zero") << "0" << qint64(0);
        QTest::newRow("signed zero") << "-0" << qint64(0);
        QTest::newRow("plus zero") << "+0" << qint64(0);
        QTest::newRow("seconds") << "5s" << 5 * kSecond;
        QTest::newRow("big seconds") << "30s" << 30 * kSecond;
        QTest::newRow("explicit plus") << "+5s" << 5 * kSecond;
        QTest::newRow("negative") << "-5s" << -5 * kSecond;
        QTest::newRow("fraction") << "1.5s" << kSecond + 500 * kMs;
        QTest::newRow("half second") << "0.5s" << 500 * kMs;
        QTest::newRow("leading dot") << ".5s" << 500 * kMs;
        QTest::newRow("trailing dot") << "5.s" << 5 * kSecond;
        QTest::newRow("milliseconds") << "100ms" << 100 * kMs;
        QTest::newRow("microseconds us") << "15us" << qint64(15'000);
        QTest::newRow("micro sign U+00B5") << QStringLiteral("15\u00B5s") << qint64(15'000);
        QTest::newRow("greek mu U+03BC") << QStringLiteral("15\u03BCs") << qint64(15'000);
        QTest::newRow("nanoseconds") << "13ns" << qint64(13);
        QTest::newRow("minutes") << "1m" << kMinute;
        QTest::newRow("hours") << "2h" << 2 * kHour;
        QTest::newRow("compound") << "1h2m3.5s" << kHour + 2 * kMinute + 3 * kSecond + 500 * kMs;
        QTest::newRow("compound any order") << "3s2m" << 2 * kMinute + 3 * kSecond;
        QTest::newRow("negative compound") << "-2m3.4s" << -(2 * kMinute + 3 * kSecond + 400 * kMs);
        QTest::newRow("many units") << "1h1m1s1ms1us1ns" << kHour + kMinute + kSecond + kMs + 1'000 + 1;
        QTest::newRow("fraction truncates") << "1.5ns" << qint64(1); // Go truncates, does not round
        QTest::newRow("long fraction") << "0.3333333333333333333h" << qint64(1'200'000'000'000);
        QTest::newRow("9007199254740993ns") << "9007199254740993ns" << qint64(9'007'199'254'740'993);
        QTest::newRow("int64 max") << "9223372036854775807ns" << std::numeric_limits<qint64>::max();
        QTest::newRow("int64 min") << "-9223372036854775808ns" << std::numeric_limits<qint64>::min();
        QTest::newRow("max in us") << "9223372036854775.807us" << std::numeric_limits<qint64>::max();
    }
    void parsesGoSyntax() {
        QFETCH(QString, text);
        QFETCH(qint64, nanos);
        const auto d = Duration::parse(text.toStdString());
        QVERIFY2(d.has_value(), qPrintable(text));
        QCOMPARE(qint64(d->nanos), nanos);
    }

    void rejectsWhatGoRejects_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("sign only") << "-";
        QTest::newRow("plain number") << "3"; // missing unit (only "0" may omit it)
        QTest::newRow("number then unitless") << "1m1";
        QTest::newRow("dot only") << ".";
        QTest::newRow("dot unit") << ".s";
        QTest::newRow("plus dot unit") << "+.s";
        QTest::newRow("unknown unit") << "1d";
        QTest::newRow("unit spelled out") << "1sec";
        QTest::newRow("doubled unit") << "1hh";
        QTest::newRow("space") << "1 s";
        QTest::newRow("no number") << "s";
        QTest::newRow("double sign") << "--1s";
        QTest::newRow("upper case unit") << "1S";
        QTest::newRow("overflow") << "9223372036854775808ns";
        QTest::newRow("overflow in hours") << "3000000h";
        QTest::newRow("overflow when summed") << "9223372036854775807ns1ns";
    }
    void rejectsWhatGoRejects() {
        QFETCH(QString, text);
        QVERIFY2(!Duration::parse(text.toStdString()).has_value(), qPrintable(text));
    }

    void printsShortestForm_data() {
        QTest::addColumn<qint64>("nanos");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << "0s";
        QTest::newRow("ms") << 500 * kMs << "500ms";
        QTest::newRow("us") << qint64(1'500) << "1500ns";
        QTest::newRow("us exact") << qint64(2'000) << "2us";
        QTest::newRow("seconds") << 90 * kSecond << "1m30s";
        QTest::newRow("fraction") << kSecond + 250 * kMs << "1.25s";
        QTest::newRow("hours") << kHour + 2 * kMinute + 3 * kSecond + 500 * kMs << "1h2m3.5s";
        QTest::newRow("negative") << -2 * kSecond << "-2s";
    }
    void printsShortestForm() {
        QFETCH(qint64, nanos);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(Duration{nanos}.toString()), text);
        // Every printed form parses back to the same value.
        const auto back = Duration::parse(text.toStdString());
        QVERIFY(back.has_value());
        QCOMPARE(qint64(back->nanos), nanos);
    }
};

QTEST_GUILESS_MAIN(DurationTest)
#include "duration_test.moc"
