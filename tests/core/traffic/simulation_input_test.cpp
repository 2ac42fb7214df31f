// SPDX-License-Identifier: Apache-2.0
// The simulator's answer to bad input: absurd options, nothing to simulate, hostile recordings, a
// queue that would grow without bound. Always a clear error, never a crash or a hang.

#include "simulation_fixture.h"

#include <cmath>

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;
using namespace sluice::traffic::test;

namespace {

const std::string kSlowReplica = R"(apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: web, namespace: default}
spec:
  labels: {app: web}
  latency: {fixed: 1h}
)";

} // namespace

class SimulationInputTest : public QObject {
    Q_OBJECT

private slots:
    // Recorded times beyond what simulated time holds are clamped, not overflowed.
    void replayWithAbsurdOffsets() {
        Recording recording;
        for (const std::int64_t micros : {std::int64_t{0}, std::int64_t{4'000'000'000'000'000'000}}) {
            RecordedRequest& q = recording.requests.emplace_back();
            q.offset = std::chrono::microseconds(micros);
            q.authority = "shop.example.com";
            q.path = "/";
        }
        const SimulationResult r =
            simulate(fromSamples({"canary"}), SimulationOptions{}, nullptr, &recording);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.report.requests, std::uint64_t(2));
        QVERIFY(r.report.durationSeconds > 9e9 && r.report.durationSeconds < 9.3e9);
        QCOMPARE(statusCount(r.report, 200), std::uint64_t(2));
    }

    void badOptionsAreRefused_data() {
        QTest::addColumn<double>("rate");
        QTest::addColumn<qlonglong>("requests");
        QTest::addColumn<qlonglong>("durationNanos");
        QTest::addColumn<QString>("message");
        QTest::newRow("zero rate") << 0.0 << 10ll << 0ll << QStringLiteral("--rate");
        QTest::newRow("negative rate") << -5.0 << 10ll << 0ll << QStringLiteral("--rate");
        QTest::newRow("absurd rate") << 1e12 << 10ll << 0ll << QStringLiteral("--rate");
        QTest::newRow("not a number") << std::nan("") << 10ll << 0ll << QStringLiteral("--rate");
        QTest::newRow("infinite rate") << HUGE_VAL << 10ll << 0ll << QStringLiteral("--rate");
        QTest::newRow("zero requests") << 100.0 << 0ll << 0ll << QStringLiteral("--requests");
        QTest::newRow("too many requests") << 100.0 << 2'000'000'000ll << 0ll << QStringLiteral("--requests");
        QTest::newRow("zero duration") << 100.0 << -1ll << 0ll << QStringLiteral("--duration");
        QTest::newRow("negative duration") << 100.0 << -1ll << -5ll << QStringLiteral("--duration");
        QTest::newRow("too long") << 1e6 << -1ll << 3'600'000'000'000ll << QStringLiteral("--duration");
        QTest::newRow("centuries") << 0.001 << 1'000'000'000ll << 0ll << QStringLiteral("--requests");
    }
    void badOptionsAreRefused() {
        QFETCH(double, rate);
        QFETCH(qlonglong, requests);
        QFETCH(qlonglong, durationNanos);
        QFETCH(QString, message);
        SimulationOptions o;
        o.rate = rate;
        if (requests >= 0)
            o.requests = static_cast<std::uint64_t>(requests);
        else
            o.duration = model::Duration{durationNanos};
        const std::string error = TrafficSimulator::check(o, false);
        QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
        const auto c = fromSamples({"canary"});
        const SimulationResult r = simulate(c, o);
        QCOMPARE(r.error, error);
    }

    void goodOptionsAreAccepted() {
        QCOMPARE(TrafficSimulator::check(requestsAt(1'000'000, 100), false), std::string());
        SimulationOptions replay; // a recording with its own timing needs no rate
        QCOMPARE(TrafficSimulator::check(replay, true), std::string());
    }

    void nothingToSimulate() {
        const auto c = fromYaml(R"(apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
)");
        const SimulationResult r = simulate(c, requestsAt(10, 10));
        QVERIFY(r.error.find("no Gateway server") != std::string::npos);
        Recording empty;
        const SimulationResult e = simulate(fromSamples({"canary"}), requestsAt(10, 10), nullptr, &empty);
        QVERIFY(e.error.find("no request") != std::string::npos);
    }

    // Far more requests waiting than the config can answer: the run stops with a reason instead
    // of growing without bound.
    void runawayQueueStops() {
        const auto c = fromYaml(webConfig("  - route: [{destination: {host: web}}]\n", kSlowReplica));
        SimulationOptions o = requestsAt(100000, 10000, 1);
        o.maxInFlight = 1000;
        const SimulationResult r = simulate(c, o);
        QVERIFY2(r.error.find("were waiting for an answer") != std::string::npos, r.error.c_str());
    }
};

QTEST_GUILESS_MAIN(SimulationInputTest)
#include "simulation_input_test.moc"
