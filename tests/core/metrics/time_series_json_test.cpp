// SPDX-License-Identifier: Apache-2.0
#include "metrics/time_series_csv.h"
#include "metrics/time_series_json.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace sluice::metrics;

namespace {

TimeSeriesPoint point(std::int64_t second) {
    TimeSeriesPoint p;
    p.second = second;
    p.requests = 150;
    p.errors = 50;
    p.classes = {0, 0, 100, 0, 0, 50};
    p.p50 = 1007;
    p.p90 = p.p99 = p.p999 = 40'000;
    p.max = 40'000;
    p.mean = 13'999.6; // rounded to the microsecond
    return p;
}

} // namespace

class TimeSeriesJsonTest : public QObject {
    Q_OBJECT

private slots:
    // Every key, in its documented order (the CSV's row, as an object).
    void oneSecondIsExact() {
        const TimeSeriesPoint p = point(0);
        QCOMPARE(TimeSeriesJson::write(std::span(&p, 1), -1),
                 std::string(R"({"schema":"sluice.time-series/v1","bucket_s":1,"seconds":[)"
                             R"({"second":0,"requests":150,"errors":50,)"
                             R"("status":{"none":0,"1xx":0,"2xx":100,"3xx":0,"4xx":0,"5xx":50},)"
                             R"("latency_ms":{"p50":1.007,"p90":40.0,"p99":40.0,"p99.9":40.0,"max":40.0,)"
                             R"("mean":14.0}}]})"
                             "\n"));
    }

    // The same seconds as the CSV, in order, the same numbers.
    void agreesWithTheCsv() {
        std::vector<TimeSeriesPoint> points;
        for (int s = 0; s < 5; ++s) {
            TimeSeriesPoint p = point(s);
            p.requests = static_cast<std::uint64_t>(10 * s);
            p.errors = static_cast<std::uint64_t>(s);
            p.classes = {static_cast<std::uint64_t>(s), 0, static_cast<std::uint64_t>(9 * s), 0, 0, 0};
            p.p99 = static_cast<std::uint64_t>(1000 + s);
            points.push_back(p);
        }
        const auto j = nlohmann::json::parse(TimeSeriesJson::write(points));
        const auto csv = TimeSeriesCsv::parse(TimeSeriesCsv::write(points));
        QVERIFY(csv.problems.empty());
        QCOMPARE(j.at("seconds").size(), csv.points.size());
        for (std::size_t i = 0; i < csv.points.size(); ++i) {
            const auto& row = j.at("seconds").at(i);
            QCOMPARE(row.at("second").get<std::int64_t>(), csv.points[i].second);
            QCOMPARE(row.at("requests").get<std::uint64_t>(), csv.points[i].requests);
            QCOMPARE(row.at("errors").get<std::uint64_t>(), csv.points[i].errors);
            QCOMPARE(row.at("status").at("none").get<std::uint64_t>(), csv.points[i].classes[0]);
            QCOMPARE(row.at("latency_ms").at("p99").get<double>(),
                     static_cast<double>(csv.points[i].p99) / 1000.0);
        }
    }

    // No second: an empty list, still a document.
    void empty() {
        const auto j = nlohmann::json::parse(TimeSeriesJson::write({}));
        QCOMPARE(j.at("schema").get<std::string>(), std::string("sluice.time-series/v1"));
        QVERIFY(j.at("seconds").is_array() && j.at("seconds").empty());
    }
};

QTEST_GUILESS_MAIN(TimeSeriesJsonTest)
#include "time_series_json_test.moc"
