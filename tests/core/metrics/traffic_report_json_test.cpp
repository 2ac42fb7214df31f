// SPDX-License-Identifier: Apache-2.0
#include "metrics/traffic_report_json.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace sluice::metrics;

namespace {

/// 1,000 requests in 10 s against 100 rps: 3 upstream failures, reviews split 75/25 with weights.
TrafficReport smallReport() {
    TrafficReport r;
    r.requests = 1000;
    r.errors = 3;
    r.unattributed = 3;
    r.durationSeconds = 10.0;
    r.rate = 100.0;
    r.targetRate = 100.0;
    r.statusCodes = {{503, 3}, {200, 997}};
    r.responseFlags = {{"URX", 1}, {"UF", 3}};
    r.latency = {1000, 1.25, 2.5, 9.875, 12.0, 15.0, 1.5, 0};
    r.destinations = {{"reviews.default.svc.cluster.local", "v1", 748, 75.0, 75.0},
                      {"reviews.default.svc.cluster.local", "v3", 249, 25.0, std::nullopt}};
    return r;
}

} // namespace

class TrafficReportJsonTest : public QObject {
    Q_OBJECT

private slots:
    // Every key, in its documented order, with its value.
    void smallReportIsExact() {
        const std::string expected =
            R"({"schema":"sluice.traffic-report/v1","simulated":false,"interrupted":false,)"
            R"("totals":{"requests":1000,"errors":3,"unattributed":3,"abandoned":0,"duration_s":10.0,"rate":100.0,"target_rate":100.0},)"
            R"("status":{"200":997,"503":3},"response_flags":{"UF":3,"URX":1},)"
            R"("latency_ms":{"count":1000,"p50":1.25,"p90":2.5,"p99":9.875,"p99.9":12.0,"max":15.0,"mean":1.5,"clamped":0},)"
            R"("destinations":[)"
            R"({"destination":"reviews.default.svc.cluster.local","subset":"v1","requests":748,"share":75.0,"weight":75.0},)"
            R"({"destination":"reviews.default.svc.cluster.local","subset":"v3","requests":249,"share":25.0,"weight":null}]})";
        QCOMPARE(TrafficReportJson::write(smallReport(), -1), expected);
    }

    // Indented output is the same document.
    void indentedParsesToTheSameDocument() {
        const std::string indented = TrafficReportJson::write(smallReport());
        QVERIFY(indented.find("\n  \"totals\": {\n    \"requests\": 1000,") != std::string::npos);
        const auto parsed = nlohmann::ordered_json::parse(indented);
        QCOMPARE(parsed.dump(), TrafficReportJson::write(smallReport(), -1));
        std::vector<std::string> keys;
        for (const auto& [key, value] : parsed.items())
            keys.push_back(key);
        QCOMPARE(keys, (std::vector<std::string>{"schema", "simulated", "interrupted", "totals", "status",
                                                 "response_flags", "latency_ms", "destinations"}));
    }

    // An empty, closed-loop, simulated report: nulls and empty containers, never missing keys.
    void emptyReport() {
        TrafficReport r;
        r.simulated = true;
        const std::string expected =
            R"({"schema":"sluice.traffic-report/v1","simulated":true,"interrupted":false,)"
            R"("totals":{"requests":0,"errors":0,"unattributed":0,"abandoned":0,"duration_s":0.0,"rate":0.0,"target_rate":null},)"
            R"("status":{},"response_flags":{},)"
            R"("latency_ms":{"count":0,"p50":0.0,"p90":0.0,"p99":0.0,"p99.9":0.0,"max":0.0,"mean":0.0,"clamped":0},)"
            R"("destinations":[]})";
        QCOMPARE(TrafficReportJson::write(r, -1), expected);
    }

    // Ctrl-C: the report says it is partial and how many requests in flight were given up.
    void interruptedWithAbandonedRequests() {
        TrafficReport r = smallReport();
        r.interrupted = true;
        r.abandoned = 7;
        const auto j = nlohmann::json::parse(TrafficReportJson::write(r));
        QCOMPARE(j.at("interrupted").get<bool>(), true);
        QCOMPARE(j.at("totals").at("abandoned").get<int>(), 7);
        QCOMPARE(j.at("totals").at("requests").get<int>(), 1000);
    }

    // Flags nobody reported are null, not an empty (measured: none) object.
    void unknownResponseFlagsAreNull() {
        TrafficReport r = smallReport();
        r.responseFlags.clear();
        r.responseFlagsKnown = false;
        const auto j = nlohmann::json::parse(TrafficReportJson::write(r));
        QVERIFY(j.at("response_flags").is_null());
        r.responseFlagsKnown = true;
        QVERIFY(nlohmann::json::parse(TrafficReportJson::write(r)).at("response_flags").is_object());
    }

    // Names from recorded traffic may be anything: invalid UTF-8 is replaced, never thrown.
    void hostileNamesAreEscapedOrReplaced() {
        TrafficReport r;
        r.responseFlags = {{"U\"F\n", 1}};
        r.destinations = {
            {std::string("bad\xff\xfe utf8", 12), std::string("\0v1", 3), 1, 100.0, std::nullopt}};
        std::string json;
        try {
            json = TrafficReportJson::write(r, -1);
        } catch (...) {
            QFAIL("write() threw");
        }
        QVERIFY(json.find("\"U\\\"F\\n\":1") != std::string::npos);                  // "U\"F\n":1
        QVERIFY(json.find("bad\xef\xbf\xbd\xef\xbf\xbd utf8") != std::string::npos); // U+FFFD twice
        QVERIFY(json.find("\"subset\":\"\\u0000v1\"") != std::string::npos);
        QVERIFY(nlohmann::json::accept(json));
    }
};

QTEST_GUILESS_MAIN(TrafficReportJsonTest)
#include "traffic_report_json_test.moc"
