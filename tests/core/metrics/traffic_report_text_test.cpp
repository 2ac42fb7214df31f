// SPDX-License-Identifier: Apache-2.0
#include "metrics/traffic_report_text.h"

#include <clocale>

#include <QTest>

using namespace sluice::metrics;

namespace {

TrafficReport canaryReport() {
    TrafficReport r;
    r.requests = 10000;
    r.errors = 25;
    r.durationSeconds = 10.0;
    r.rate = 1000.0;
    r.targetRate = 1000.0;
    r.statusCodes = {{0, 5}, {200, 9975}, {503, 20}};
    r.responseFlags = {{"UF", 20}, {"UT", 5}};
    r.latency = {10000, 1.234, 2.345, 9.999, 12.0, 15.25, 1.5, 0};
    r.destinations = {{"reviews.default.svc.cluster.local", "v1", 7510, 75.1, 75.0},
                      {"reviews.default.svc.cluster.local", "v3", 2490, 24.9, 25.0},
                      {"ratings.default.svc.cluster.local", "", 0, 0.0, std::nullopt}};
    return r;
}

} // namespace

class TrafficReportTextTest : public QObject {
    Q_OBJECT

private slots:
    void alignedTable() {
        const std::string expected =
            "Traffic report\n"
            "  Requests  10000 in 10.00 s, 1000.00 req/s (target 1000.00 req/s)\n"
            "  Errors    25 (0.25 %)\n"
            "\n"
            "  Latency (ms)    p50    p90    p99   p99.9     max   mean\n"
            "                1.234  2.345  9.999  12.000  15.250  1.500\n"
            "\n"
            "  Status  Count    Share\n"
            "  none        5   0.05 %\n"
            "  200      9975  99.75 %\n"
            "  503        20   0.20 %\n"
            "\n"
            "  Response flags  Count\n"
            "  UF                 20\n"
            "  UT                  5\n"
            "\n"
            "  Destination                        Subset  Requests    Share  Weight\n"
            "  reviews.default.svc.cluster.local  v1          7510  75.10 %    75 %\n"
            "  reviews.default.svc.cluster.local  v3          2490  24.90 %    25 %\n"
            "  ratings.default.svc.cluster.local  -              0   0.00 %       -\n";
        const std::string got = TrafficReportText::render(canaryReport());
        QCOMPARE(got, expected);
    }

    // A simulated report says so first; clamped samples and unattributed requests are mentioned.
    void simulatedAndCaveats() {
        TrafficReport r;
        r.simulated = true;
        r.requests = 4;
        r.unattributed = 1;
        r.latency.clamped = 2;
        const std::string got = TrafficReportText::render(r);
        QVERIFY(got.starts_with(
            "Traffic report: SIMULATED (computed by sluice simulate; no request was sent)\n"));
        QVERIFY(got.find("  Unattributed  1 (destination unknown)\n") != std::string::npos);
        QVERIFY(got.find("(2 samples above the histogram's range counted at its top)") != std::string::npos);
        QVERIFY(got.find("Status") == std::string::npos); // no empty sections
        QVERIFY(got.find("Destination") == std::string::npos);
    }

    // A caller's note (what simulated figures leave out) is the second line.
    void noteUnderTheFirstLine() {
        TrafficReport r;
        r.simulated = true;
        const std::string got = TrafficReportText::render(r, "simulated: no network time");
        QVERIFY(got.starts_with("Traffic report: SIMULATED (computed by sluice simulate; no request was "
                                "sent)\n  simulated: no network time\n  Requests"));
        QVERIFY(TrafficReportText::render(r).find("no network time") == std::string::npos);
    }

    // Ctrl-C: partial results say so, with the requests given up; unknown flags are not zeros.
    void interruptedAbandonedAndUnknownFlags() {
        TrafficReport r;
        r.requests = 40;
        r.interrupted = true;
        r.abandoned = 3;
        r.responseFlagsKnown = false;
        const std::string got = TrafficReportText::render(r);
        QVERIFY(got.starts_with("Traffic report\n  INTERRUPTED: stopped early, the figures cover what was "
                                "answered until then\n"));
        QVERIFY2(got.find("  Abandoned  3 in flight when stopped, given up (not counted above)\n") !=
                     std::string::npos,
                 got.c_str());
        QVERIFY(got.find("Response flags: unknown") != std::string::npos);
        r.interrupted = false;
        r.abandoned = 0;
        r.responseFlagsKnown = true;
        const std::string plain = TrafficReportText::render(r);
        QVERIFY(plain.find("INTERRUPTED") == std::string::npos);
        QVERIFY(plain.find("Abandoned") == std::string::npos);
        QVERIFY(plain.find("unknown") == std::string::npos);
    }

    // A decimal point whatever the process locale (the Studio sets the user's).
    void numbersIgnoreTheLocale() {
        const std::string saved = std::setlocale(LC_ALL, nullptr);
        const bool german = std::setlocale(LC_ALL, "de_DE.UTF-8") != nullptr;
        QCOMPARE(TrafficReportText::fixed(1234.5678, 2), std::string("1234.57"));
        QCOMPARE(TrafficReportText::fixed(0.0005, 3), std::string("0.001"));
        QCOMPARE(TrafficReportText::fixed(std::nan(""), 3), std::string("-"));
        std::setlocale(LC_ALL, saved.c_str());
        if (!german)
            qInfo("de_DE.UTF-8 is not installed: checked in the C locale only");
    }
};

QTEST_GUILESS_MAIN(TrafficReportTextTest)
#include "traffic_report_text_test.moc"
