// SPDX-License-Identifier: Apache-2.0
// The load engine on real sockets (loopback, ephemeral ports) against the embedded gateway: the
// observed split next to the configured weights, open-loop rate accuracy, latency from the
// intended send time (coordinated omission), HTTP/2 and TLS, timeouts, stopping, and an
// unreachable target.
#include "config/loader.h"
#include "metrics/traffic_report.h"
#include "routing/route_table.h"
#include "traffic/embedded_gateway.h"
#include "traffic/load_engine.h"
#include "traffic/profile_source.h"
#include "traffic/route_lookup.h"
#include "traffic/target_address.h"

#include <thread>

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;

namespace {

/// A config served by the embedded gateway, with what a load run needs to aim at it.
struct Gateway {
    config::LoadResult loaded;
    routing::RouteTablePtr table;
    std::unique_ptr<EmbeddedGateway> gateway;
    std::string error;

    static std::unique_ptr<Gateway> sample(const std::string& name) {
        auto g = std::make_unique<Gateway>();
        g->loaded = config::loadPaths({SLUICE_SOURCE_DIR "/samples/" + name});
        g->start();
        return g;
    }
    static std::unique_ptr<Gateway> yaml(const std::string& text) {
        auto g = std::make_unique<Gateway>();
        config::loadText("inline.yaml", text, g->loaded);
        g->start();
        return g;
    }
    void start() {
        table = routing::compile(loaded.resources);
        gateway = std::make_unique<EmbeddedGateway>();
        error = gateway->start(loaded.resources, table, 1);
    }
    LoadTarget target(std::uint32_t gatewayPort) const {
        LoadTarget t;
        t.port = gateway->localPort(gatewayPort);
        return t;
    }
};

std::shared_ptr<const RequestProfile> single(const std::string& authority, const std::string& path) {
    return std::make_shared<RequestProfile>(RequestProfile::single("GET", authority, path));
}

LoadRun runToEnd(LoadEngine& engine) {
    const std::string error = engine.start();
    if (!error.empty())
        qFatal("start: %s", error.c_str());
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!engine.done() && std::chrono::steady_clock::now() < limit) {
        (void)engine.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!engine.done())
        engine.stop();
    return engine.finish();
}

constexpr std::string_view kSlowBackend = R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["slow.example.com"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: slow, namespace: default}
spec:
  hosts: ["slow.example.com"]
  gateways: [gw]
  http:
  - route:
    - destination: {host: slow, port: {number: 8080}}
---
apiVersion: v1
kind: Service
metadata: {name: slow, namespace: default}
spec:
  selector: {app: slow}
  ports: [{name: http, port: 8080}]
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: slow, namespace: default}
spec:
  labels: {app: slow}
  latency: {fixed: 200ms}
)";

} // namespace

class LoadEngineTest : public QObject {
    Q_OBJECT

private slots:
    void splitNearConfiguredWeights() {
        const auto g = Gateway::sample("canary");
        QVERIFY2(g->error.empty(), g->error.c_str());
        const auto profile = single("shop.example.com", "/");
        const auto weights = expectedSplit(*g->table, profile, 80, false, "shop.example.com");
        QCOMPARE(weights.size(), std::size_t(2));
        QCOMPARE(weights[0].subset, std::string("canary"));
        QCOMPARE(weights[0].percent, 10.0);
        QCOMPARE(weights[1].subset, std::string("stable"));
        QCOMPARE(weights[1].percent, 90.0);
        LoadOptions o;
        o.target = g->target(80);
        o.connections = 8;
        o.requests = 4000;
        auto attribution = std::make_shared<WorkloadAttribution>(g->gateway->plan(), weights);
        LoadEngine engine(o, std::make_shared<ProfileSourceFactory>(profile, "shop.example.com", "http"),
                          attribution);
        const LoadRun run = runToEnd(engine);
        const metrics::TrafficReport report =
            run.tally.report(run.durationSeconds, false, std::nullopt, weights);
        QCOMPARE(report.requests, std::uint64_t(4000));
        QCOMPARE(report.statusCodes.at(200), std::uint64_t(4000));
        QCOMPARE(report.unattributed, std::uint64_t(0));
        QCOMPARE(report.destinations.size(), std::size_t(2));
        for (const auto& d : report.destinations) {
            QCOMPARE(d.destination, std::string("frontend.canary.svc.cluster.local"));
            QVERIFY(d.weight);
            // 4000 Bernoulli(0.1) draws: sd 0.47 points; 2 points is > 4 sd.
            QVERIFY2(std::abs(d.share - *d.weight) < 2.0, (d.subset + " " + std::to_string(d.share)).c_str());
        }
    }

    void bookinfoProfileThroughTheGateway() {
        const auto g = Gateway::sample("bookinfo");
        QVERIFY2(g->error.empty(), g->error.c_str());
        ProfileResult read = readProfileFile(SLUICE_SOURCE_DIR "/samples/traffic/bookinfo-profile.yaml");
        QVERIFY(read.ok());
        auto profile = std::make_shared<const RequestProfile>(std::move(read.profile()));
        const auto weights = expectedSplit(*g->table, profile, 80, false, "bookinfo.example.com");
        QCOMPARE(weights.size(), std::size_t(1));
        QCOMPARE(weights[0].destination, std::string("productpage.default.svc.cluster.local"));
        LoadOptions o;
        o.target = g->target(80);
        o.connections = 4;
        o.requests = 400;
        LoadEngine engine(o, std::make_shared<ProfileSourceFactory>(profile, "bookinfo.example.com", "http"),
                          std::make_shared<WorkloadAttribution>(g->gateway->plan(), weights));
        const LoadRun run = runToEnd(engine);
        const auto report = run.tally.report(run.durationSeconds, false, std::nullopt, weights);
        QCOMPARE(report.requests, std::uint64_t(400));
        QCOMPARE(report.statusCodes.at(200), std::uint64_t(400)); // every template is routed
        QCOMPARE(report.destinations.size(), std::size_t(1));
        QCOMPARE(report.destinations[0].share, 100.0);
    }

    void openLoopRateIsAccurate() {
        const auto g = Gateway::sample("canary");
        QVERIFY2(g->error.empty(), g->error.c_str());
        LoadOptions o;
        o.target = g->target(80);
        o.connections = 16;
        o.rate = 500;
        o.duration = std::chrono::seconds(2);
        LoadEngine engine(
            o, std::make_shared<ProfileSourceFactory>(single("shop.example.com", "/"), "", "http"));
        const LoadRun run = runToEnd(engine);
        const auto report = run.tally.report(run.durationSeconds, false, o.rate);
        QCOMPARE(report.requests, std::uint64_t(1000)); // slots at k / 500 s for k < 1000
        QVERIFY2(std::abs(report.rate - 500.0) < 15.0, std::to_string(report.rate).c_str());
        QVERIFY2(std::abs(run.durationSeconds - 2.0) < 0.06, std::to_string(run.durationSeconds).c_str());
        // Every second of the series holds about a second's share.
        QCOMPARE(run.seconds.size(), std::size_t(2));
        for (const auto& p : run.seconds)
            QVERIFY2(p.requests >= 490 && p.requests <= 510, std::to_string(p.requests).c_str());
    }

    // A run told to keep fewer seconds of its series than it lasts (as the Studio's open-ended
    // loads do) keeps the newest ones only: its memory does not grow with its length. Its totals
    // still count every request.
    void seriesKeepsOnlyTheNewestSeconds() {
        const auto g = Gateway::sample("canary");
        QVERIFY2(g->error.empty(), g->error.c_str());
        LoadOptions o;
        o.target = g->target(80);
        o.connections = 8;
        o.rate = 200;
        o.duration = std::chrono::seconds(4);
        o.seriesSeconds = std::chrono::seconds(2);
        LoadEngine engine(
            o, std::make_shared<ProfileSourceFactory>(single("shop.example.com", "/"), "", "http"));
        const LoadRun run = runToEnd(engine);
        QCOMPARE(run.tally.report(run.durationSeconds, false, o.rate).requests, std::uint64_t(800));
        QVERIFY2(!run.seconds.empty() && run.seconds.size() <= 2, std::to_string(run.seconds.size()).c_str());
        QVERIFY(run.seconds.back().second >= 2); // the newest, not the first ones
    }

    void poissonArrivalsKeepTheRate() {
        const auto g = Gateway::sample("canary");
        LoadOptions o;
        o.target = g->target(80);
        o.connections = 16;
        o.rate = 1000;
        o.arrivals = ArrivalProcess::Poisson;
        o.duration = std::chrono::seconds(2);
        LoadEngine engine(
            o, std::make_shared<ProfileSourceFactory>(single("shop.example.com", "/"), "", "http"));
        const LoadRun run = runToEnd(engine);
        // 2000 expected; a Poisson count's sd is 45.
        QVERIFY2(std::abs(static_cast<double>(run.tally.requests()) - 2000.0) < 200.0,
                 std::to_string(run.tally.requests()).c_str());
    }

    void latencyCountsTheQueue() {
        // One connection, a backend that takes 200 ms, 20 requests a second for 1 s: request k is
        // due at 50k ms but can only start at 200k ms, so its latency is 200 + 150k ms. A
        // generator that measured from the send time would report 200 ms throughout.
        const auto g = Gateway::yaml(std::string(kSlowBackend));
        QVERIFY2(g->error.empty(), g->error.c_str());
        LoadOptions o;
        o.target = g->target(80);
        o.connections = 1;
        o.rate = 20;
        o.duration = std::chrono::seconds(1);
        LoadEngine engine(
            o, std::make_shared<ProfileSourceFactory>(single("slow.example.com", "/"), "", "http"));
        const LoadRun run = runToEnd(engine);
        const auto& h = run.tally.latency();
        QCOMPARE(h.count(), std::uint64_t(20));
        QVERIFY2(h.min() >= 195'000 && h.min() < 260'000, std::to_string(h.min()).c_str());
        QVERIFY2(h.valueAtPercentile(50) > 1'300'000, std::to_string(h.valueAtPercentile(50)).c_str());
        QVERIFY2(h.max() > 2'900'000 && h.max() < 3'400'000, std::to_string(h.max()).c_str());

        // The same backend in a closed loop: every request is sent when the previous one is
        // answered, so 200 ms it is.
        LoadOptions closed = o;
        closed.rate.reset();
        closed.duration.reset();
        closed.requests = 5;
        LoadEngine again(closed,
                         std::make_shared<ProfileSourceFactory>(single("slow.example.com", "/"), "", "http"));
        const LoadRun c = runToEnd(again);
        QVERIFY2(c.tally.latency().max() < 260'000, std::to_string(c.tally.latency().max()).c_str());
    }

    void http2PriorKnowledge() {
        const auto g = Gateway::sample("canary");
        LoadOptions o;
        o.target = g->target(80);
        o.target.h2 = true;
        o.connections = 2;
        o.streams = 8;
        o.requests = 1000;
        LoadEngine engine(o,
                          std::make_shared<ProfileSourceFactory>(single("shop.example.com", "/"), "", "http"),
                          std::make_shared<WorkloadAttribution>(
                              g->gateway->plan(), std::span<const metrics::DestinationWeight>{}));
        const LoadRun run = runToEnd(engine);
        const auto report = run.tally.report(run.durationSeconds, false);
        QCOMPARE(report.statusCodes.at(200), std::uint64_t(1000));
        QCOMPARE(report.unattributed, std::uint64_t(0));
        QCOMPARE(report.destinations.size(), std::size_t(2));
    }

    void tls_data() {
        QTest::addColumn<bool>("h2");
        QTest::addColumn<bool>("mutual");
        QTest::newRow("http/1.1 SIMPLE") << false << false;
        QTest::newRow("h2 SIMPLE") << true << false;
        QTest::newRow("http/1.1 MUTUAL with a client certificate") << false << true;
    }
    void tls() {
        QFETCH(bool, h2);
        QFETCH(bool, mutual);
        const auto g = Gateway::sample("tls");
        QVERIFY2(g->error.empty(), g->error.c_str());
        const std::string host = mutual ? "partner.example.com" : "shop.example.com";
        LoadOptions o;
        o.target = g->target(443);
        o.target.h2 = h2;
        o.target.tls.enabled = true;
        o.target.tls.sni = host;
        if (mutual) {
            o.target.tls.certFile = SLUICE_SOURCE_DIR "/samples/tls/test-client/client.crt";
            o.target.tls.keyFile = SLUICE_SOURCE_DIR "/samples/tls/test-client/client.key";
        }
        o.connections = 2;
        o.requests = 50;
        LoadEngine engine(o, std::make_shared<ProfileSourceFactory>(single(host, "/"), "", "https"));
        const LoadRun run = runToEnd(engine);
        const auto report = run.tally.report(run.durationSeconds, false);
        QVERIFY2(report.statusCodes.count(200) && report.statusCodes.at(200) == 50, run.firstError.c_str());
    }

    void timeoutsCountAsNoResponse() {
        const auto g = Gateway::yaml(std::string(kSlowBackend));
        LoadOptions o;
        o.target = g->target(80);
        o.connections = 2;
        o.requests = 4;
        o.timeout = std::chrono::milliseconds(50);
        LoadEngine engine(
            o, std::make_shared<ProfileSourceFactory>(single("slow.example.com", "/"), "", "http"));
        const LoadRun run = runToEnd(engine);
        const auto report = run.tally.report(run.durationSeconds, false);
        QCOMPARE(report.statusCodes.at(0), std::uint64_t(4));
        QCOMPARE(run.firstError, std::string("timeout"));
    }

    void stopKeepsPartialResults() {
        const auto g = Gateway::sample("canary");
        LoadOptions o;
        o.target = g->target(80);
        o.connections = 4;
        o.duration = std::chrono::seconds(30);
        LoadEngine engine(
            o, std::make_shared<ProfileSourceFactory>(single("shop.example.com", "/"), "", "http"));
        QVERIFY(engine.start().empty());
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        engine.stop();
        const auto before = std::chrono::steady_clock::now();
        while (!engine.done() && std::chrono::steady_clock::now() - before < std::chrono::seconds(5))
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        QVERIFY(engine.done());
        const LoadRun run = engine.finish();
        QVERIFY(run.interrupted);
        QVERIFY(run.tally.requests() > 10);
        QVERIFY2(run.durationSeconds > 0.5 && run.durationSeconds < 2.0,
                 std::to_string(run.durationSeconds).c_str());
    }

    void stopAbandonsWhatIsInFlight_data() {
        QTest::addColumn<bool>("h2");
        QTest::newRow("http/1.1") << false;
        QTest::newRow("h2") << true;
    }
    void stopAbandonsWhatIsInFlight() {
        // Every request takes 200 ms; stopped 100 ms in with 50 ms of grace, the requests in flight
        // are abandoned (not counted as answered or failed) and the run ends at once.
        QFETCH(bool, h2);
        const auto g = Gateway::yaml(std::string(kSlowBackend));
        LoadOptions o;
        o.target = g->target(80);
        o.target.h2 = h2;
        o.connections = 3;
        o.streams = 2;
        o.duration = std::chrono::seconds(30);
        o.stopGrace = std::chrono::milliseconds(50);
        LoadEngine engine(
            o, std::make_shared<ProfileSourceFactory>(single("slow.example.com", "/"), "", "http"));
        QVERIFY(engine.start().empty());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const auto stoppedAt = std::chrono::steady_clock::now();
        engine.stop();
        while (!engine.done() && std::chrono::steady_clock::now() - stoppedAt < std::chrono::seconds(5))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QVERIFY(engine.done());
        QVERIFY(std::chrono::steady_clock::now() - stoppedAt < std::chrono::milliseconds(500));
        const LoadRun run = engine.finish();
        QVERIFY(run.interrupted);
        QCOMPARE(run.tally.requests(), std::uint64_t(0));
        QCOMPARE(run.abandoned, std::uint64_t(h2 ? 6 : 3));
    }

    void unreachableTarget() {
        // A port nothing listens on: bind one, note it, close it.
        const auto g = Gateway::sample("canary");
        const std::uint16_t port = g->target(80).port;
        g->gateway->stop();
        QCOMPARE(probeTarget({"127.0.0.1", port}, std::chrono::milliseconds(500)),
                 std::string("connection refused"));
        LoadOptions o;
        o.target.port = port;
        o.connections = 2;
        o.requests = 6;
        LoadEngine engine(o, std::make_shared<ProfileSourceFactory>(single("x", "/"), "", "http"));
        const LoadRun run = runToEnd(engine);
        QCOMPARE(run.tally.requests(), std::uint64_t(6));
        QCOMPARE(run.tally.errors(), std::uint64_t(6));
        QCOMPARE(run.firstError, std::string("connection refused"));
        QVERIFY(run.connectFailures >= 6);
    }

    void badOptions_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("zero rate") << 0 << QStringLiteral("positive number");
        QTest::newRow("absurd rate") << 1 << QStringLiteral("above 10,000,000");
        QTest::newRow("zero duration") << 2 << QStringLiteral("longer than zero");
        QTest::newRow("zero requests") << 3 << QStringLiteral("at least 1");
        QTest::newRow("no connections") << 4 << QStringLiteral("connections");
        QTest::newRow("nan rate") << 5 << QStringLiteral("positive number");
    }
    void badOptions() {
        QFETCH(int, which);
        QFETCH(QString, message);
        LoadOptions o;
        o.target.port = 1;
        o.duration = std::chrono::seconds(1);
        switch (which) {
        case 0:
            o.rate = 0;
            break;
        case 1:
            o.rate = 1e9;
            break;
        case 2:
            o.duration = std::chrono::microseconds(0);
            break;
        case 3:
            o.requests = 0;
            break;
        case 4:
            o.connections = 0;
            break;
        default:
            o.rate = std::nan("");
            break;
        }
        const std::string error = checkLoadOptions(o);
        QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
        LoadEngine engine(o, std::make_shared<ProfileSourceFactory>(single("x", "/"), "", "http"));
        QCOMPARE(engine.start(), error);
    }
};

QTEST_GUILESS_MAIN(LoadEngineTest)
#include "load_engine_test.moc"
