// SPDX-License-Identifier: Apache-2.0
#include "metrics/rolling_time_series.h"
#include "metrics/time_series_csv.h"

#include <cmath>
#include <random>

#include <QTest>

using namespace sluice::metrics;
using std::chrono::seconds;

namespace {

const std::string kHeader(TimeSeriesCsv::kHeader);
const std::string kGoodRow = "0,150,50,0,0,100,0,0,50,1.007,40.000,40.000,40.000,40.000,14.000";

} // namespace

class TimeSeriesCsvTest : public QObject {
    Q_OBJECT

private slots:
    void headerAndRow() {
        TimeSeriesPoint p;
        p.second = 0;
        p.requests = 150;
        p.errors = 50;
        p.classes = {0, 0, 100, 0, 0, 50};
        p.p50 = 1007;
        p.p90 = p.p99 = p.p999 = 40'000;
        p.max = 40'000;
        p.mean = 13'999.6; // rounded to the microsecond
        QCOMPARE(TimeSeriesCsv::write(std::span(&p, 1)), kHeader + "\n" + kGoodRow + "\n");
    }

    // Numbers survive writing and reading: counts exactly, latencies to the microsecond.
    void roundTrip() {
        const auto start = RollingTimeSeries::Clock::time_point{} + std::chrono::hours(1);
        RollingTimeSeries series(start);
        std::mt19937_64 gen(3);
        std::lognormal_distribution<double> latency(std::log(3'000.0), 1.2);
        for (int s = 0; s < 120; ++s) {
            if (s % 17 == 5)
                continue; // an idle second
            LatencyHistogram h;
            const auto n = 1 + gen() % 500;
            for (std::uint64_t i = 0; i < n; ++i)
                h.record(static_cast<std::uint64_t>(latency(gen)) + (i % 97 == 0 ? 70'000'000'000ull : 0));
            StatusClassCounts classes{gen() % 3, gen() % 2, n, gen() % 9, gen() % 20, gen() % 4};
            series.add(start + seconds(s), {"default/shop", 0, "", "shop", 80, "v1"}, classes, &h);
        }
        series.advanceTo(start + seconds(120));
        const std::vector<TimeSeriesPoint> points = series.snapshot()->points(900);
        QCOMPARE(points.size(), std::size_t(121));
        const TimeSeriesCsv::Parsed parsed = TimeSeriesCsv::parse(TimeSeriesCsv::write(points));
        QVERIFY(parsed.problems.empty());
        QCOMPARE(parsed.points.size(), points.size());
        for (std::size_t i = 0; i < points.size(); ++i) {
            const TimeSeriesPoint& a = points[i];
            const TimeSeriesPoint& b = parsed.points[i];
            QCOMPARE(b.second, a.second);
            QCOMPARE(b.requests, a.requests);
            QCOMPARE(b.errors, a.errors);
            QCOMPARE(b.classes, a.classes);
            QCOMPARE(b.p50, a.p50);
            QCOMPARE(b.p90, a.p90);
            QCOMPARE(b.p99, a.p99);
            QCOMPARE(b.p999, a.p999);
            QCOMPARE(b.max, a.max);
            QCOMPARE(b.mean, std::round(a.mean));
        }
    }

    void hostileInput_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("line");           // of the first problem; 0: none
        QTest::addColumn<QByteArray>("message"); // a part of it
        const QByteArray h = QByteArray::fromStdString(kHeader + "\n");
        const QByteArray row = QByteArray::fromStdString(kGoodRow + "\n");
        QTest::newRow("good, CRLF and blank lines") << h + row + "\r\n\n" + row.chopped(1) + "\r\n"
                                                    << 2 << 0 << QByteArray("");
        QTest::newRow("empty") << QByteArray() << 0 << 1 << QByteArray("empty: expected the header row");
        QTest::newRow("another header")
            << QByteArray("second,requests\n") + row << 0 << 1 << QByteArray("expected the header row");
        QTest::newRow("binary") << QByteArray("\x00\xff\x01junk", 7) << 0 << 1
                                << QByteArray("found \"??\?junk\"");
        QTest::newRow("truncated row")
            << h + row + "7,150,50,0,0,100" << 1 << 3 << QByteArray("expected 15 columns, found 6");
        QTest::newRow("extra column") << h + row.chopped(1) + ",9\n" << 0 << 2 << QByteArray("found 16");
        QTest::newRow("not a number")
            << h + "x" + row.mid(1) << 0 << 2 << QByteArray("column 1 (second): \"x\" is not a whole number");
        QTest::newRow("negative count")
            << h + "0,-1,50,0,0,100,0,0,50,1.007,40.959,40.959,40.959,40.000,13.967\n"
            << 0 << 2 << QByteArray("column 2 (requests): \"-1\"");
        QTest::newRow("absurd number") << h + "0,999999999999999999999999,0,0,0,0,0,0,0,1,1,1,1,1,1\n"
                                       << 0 << 2 << QByteArray("column 2 (requests)");
        QTest::newRow("four decimals")
            << h + "0,150,50,0,0,100,0,0,50,1.0071,40.959,40.959,40.959,40.000,13.967\n"
            << 0 << 2 << QByteArray("column 10 (p50_ms): \"1.0071\" is not milliseconds");
        QTest::newRow("huge milliseconds") << h + "0,0,0,0,0,0,0,0,0,18446744073709552,1,1,1,1,1\n"
                                           << 0 << 2 << QByteArray("column 10 (p50_ms)");
        QTest::newRow("totals disagree")
            << h + "0,151,50,0,0,100,0,0,50,1.007,40.959,40.959,40.959,40.000,13.967\n"
            << 0 << 2 << QByteArray("requests (151) is not the sum of the status columns (150)");
        QTest::newRow("errors disagree")
            << h + "0,150,49,0,0,100,0,0,50,1.007,40.959,40.959,40.959,40.000,13.967\n"
            << 0 << 2 << QByteArray("errors (49) is not no_response + status_5xx (50)");
        QTest::newRow("a NUL inside a row")
            << h + row + QByteArray("1,1\0,0", 6) + "\n" + row << 2 << 3 << QByteArray("found 3");
    }

    // Every unreadable row is skipped and reported with its line number; nothing crashes.
    void hostileInput() {
        QFETCH(QByteArray, text);
        QFETCH(int, points);
        QFETCH(int, line);
        QFETCH(QByteArray, message);
        const TimeSeriesCsv::Parsed parsed =
            TimeSeriesCsv::parse(std::string_view(text.constData(), text.size()));
        QCOMPARE(static_cast<int>(parsed.points.size()), points);
        if (line == 0) {
            QVERIFY(parsed.problems.empty());
            return;
        }
        QVERIFY(!parsed.problems.empty());
        QCOMPARE(static_cast<int>(parsed.problems.front().line), line);
        QVERIFY2(QByteArray::fromStdString(parsed.problems.front().message).contains(message),
                 parsed.problems.front().message.c_str());
    }

    // A file of garbage keeps the first 100 problems and counts every skipped row.
    void problemsAreCappedButCounted() {
        std::string text = kHeader + "\n";
        for (int i = 0; i < 5000; ++i)
            text += "garbage\n";
        text += kGoodRow + "\n";
        const TimeSeriesCsv::Parsed parsed = TimeSeriesCsv::parse(text);
        QCOMPARE(parsed.points.size(), std::size_t(1));
        QCOMPARE(parsed.skipped, std::size_t(5000));
        QCOMPARE(parsed.problems.size(), TimeSeriesCsv::kMaxProblems);
        QCOMPARE(parsed.problems.back().line, std::size_t(101));
    }
};

QTEST_GUILESS_MAIN(TimeSeriesCsvTest)
#include "time_series_csv_test.moc"
