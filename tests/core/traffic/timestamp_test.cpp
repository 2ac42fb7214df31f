// SPDX-License-Identifier: Apache-2.0
// ISO 8601 (HAR, Envoy) and common-log (nginx) times to UTC microseconds.
#include "traffic/timestamp.h"

#include <QTest>

using namespace sluice::traffic;

namespace {

/// µs since the epoch, or -1 for nullopt.
qint64 iso(const QByteArray& text) {
    const auto t = parseIso8601(text.toStdString());
    return t ? qint64(sinceEpoch(*t).count()) : -1;
}

qint64 clf(const QByteArray& text) {
    const auto t = parseCommonLogTime(text.toStdString());
    return t ? qint64(sinceEpoch(*t).count()) : -1;
}

constexpr qint64 kBase = 1714557600LL * 1000000; // 2024-05-01T10:00:00Z

} // namespace

class TimestampTest : public QObject {
    Q_OBJECT

private slots:
    void iso8601_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("Z") << QByteArray("2024-05-01T10:00:00Z") << kBase;
        QTest::newRow("millis") << QByteArray("2024-05-01T10:00:00.123Z") << kBase + 123000;
        QTest::newRow("micros") << QByteArray("2024-05-01T10:00:00.123456Z") << kBase + 123456;
        QTest::newRow("nanos truncated") << QByteArray("2024-05-01T10:00:00.123456789Z") << kBase + 123456;
        QTest::newRow("one digit") << QByteArray("2024-05-01T10:00:00.5Z") << kBase + 500000;
        QTest::newRow("+02:00") << QByteArray("2024-05-01T12:00:00+02:00") << kBase;
        QTest::newRow("-07:00") << QByteArray("2024-05-01T03:00:00.000-07:00") << kBase;
        QTest::newRow("+0530") << QByteArray("2024-05-01T15:30:00+0530") << kBase;
        QTest::newRow("+01") << QByteArray("2024-05-01T11:00:00+01") << kBase;
        QTest::newRow("no zone is utc") << QByteArray("2024-05-01T10:00:00") << kBase;
        QTest::newRow("space") << QByteArray("2024-05-01 10:00:00Z") << kBase;
        QTest::newRow("comma fraction") << QByteArray("2024-05-01T10:00:00,25Z") << kBase + 250000;
        QTest::newRow("leap day") << QByteArray("2024-02-29T00:00:00Z") << 1709164800LL * 1000000;
        QTest::newRow("leap second") << QByteArray("2016-12-31T23:59:60Z") << 1483228799LL * 1000000 + 999999;
        QTest::newRow("epoch") << QByteArray("1970-01-01T00:00:00Z") << qint64(0);
        QTest::newRow("2023-02-29") << QByteArray("2023-02-29T00:00:00Z") << qint64(-1);
        QTest::newRow("month 13") << QByteArray("2024-13-01T00:00:00Z") << qint64(-1);
        QTest::newRow("hour 24") << QByteArray("2024-05-01T24:00:00Z") << qint64(-1);
        QTest::newRow("minute 60") << QByteArray("2024-05-01T10:60:00Z") << qint64(-1);
        QTest::newRow("no time") << QByteArray("2024-05-01") << qint64(-1);
        QTest::newRow("empty fraction") << QByteArray("2024-05-01T10:00:00.Z") << qint64(-1);
        QTest::newRow("bad zone") << QByteArray("2024-05-01T10:00:00+2:00") << qint64(-1);
        QTest::newRow("zone hour 25") << QByteArray("2024-05-01T10:00:00+25:00") << qint64(-1);
        QTest::newRow("trailing") << QByteArray("2024-05-01T10:00:00Z junk") << qint64(-1);
        QTest::newRow("empty") << QByteArray() << qint64(-1);
        QTest::newRow("words") << QByteArray("yesterday") << qint64(-1);
        QTest::newRow("digits everywhere") << QByteArray("99999999999999999999") << qint64(-1);
    }
    void iso8601() {
        QFETCH(QByteArray, text);
        QFETCH(qint64, micros);
        QCOMPARE(iso(text), micros);
    }

    void commonLogTime_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("utc") << QByteArray("01/May/2024:10:00:00 +0000") << kBase;
        QTest::newRow("-0700") << QByteArray("01/May/2024:03:00:00 -0700") << kBase;
        QTest::newRow("+0330") << QByteArray("01/May/2024:13:30:00 +0330") << kBase;
        QTest::newRow("bad month") << QByteArray("01/May./2024:10:00:00 +0000") << qint64(-1);
        QTest::newRow("lowercase month") << QByteArray("01/may/2024:10:00:00 +0000") << qint64(-1);
        QTest::newRow("no zone") << QByteArray("01/May/2024:10:00:00") << qint64(-1);
        QTest::newRow("31 April") << QByteArray("31/Apr/2024:10:00:00 +0000") << qint64(-1);
        QTest::newRow("iso") << QByteArray("2024-05-01T10:00:00Z") << qint64(-1);
    }
    void commonLogTime() {
        QFETCH(QByteArray, text);
        QFETCH(qint64, micros);
        QCOMPARE(clf(text), micros);
    }
};

QTEST_GUILESS_MAIN(TimestampTest)
#include "timestamp_test.moc"
