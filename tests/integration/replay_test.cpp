// SPDX-License-Identifier: Apache-2.0
// Replaying recordings through the embedded gateway on real sockets: the recorded order and
// relative timing are kept (within tolerance), and so is each request's Host.
#include "config/loader.h"
#include "routing/route_table.h"
#include "traffic/embedded_gateway.h"
#include "traffic/load_engine.h"
#include "traffic/recording_reader.h"
#include "traffic/replay_source.h"
#include "workload/fleet_plan.h"

#include <thread>

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;

namespace {

// tests/integration/data/small.har: four requests at 0, 300, 450 and 900 ms; the third names a
// host the gateway does not serve.
constexpr const char* kHar = SLUICE_SOURCE_DIR "/tests/integration/data/small.har";

// The comment line is spelled with an escape: moc would read a '#' at a line start as a directive.
constexpr std::string_view kJsonl =
    "\x23 our own format: t_ms, authority, path, headers, body\n"
    R"({"t_ms": 5000, "authority": "bookinfo.example.com", "path": "/productpage?n=1"}
{"t_ms": 5200, "authority": "bookinfo.example.com", "path": "/productpage?n=2", "headers": {"end-user": "jason"}}
not json at all
{"t_ms": 5400, "method": "POST", "authority": "bookinfo.example.com", "path": "/logout", "body": "{}"}
{"t_ms": 5600, "authority": "nope.example.com", "path": "/"}
)";

struct Replayed {
    Recording recording;
    std::vector<PreparedRequest> requests;
    std::vector<std::chrono::microseconds> offsets;
    LoadRun run;
};

Replayed replay(std::string_view text, const std::string& name, double speed) {
    Replayed out;
    ReadResult read =
        name.ends_with(".har") ? readRecordingFile(std::string(text)) : readRecordingText(text, name);
    if (!read.ok())
        qFatal("read: %s", read.error().message.c_str());
    out.recording = std::move(read.recording());
    out.requests = prepareReplay(out.recording, "").requests;
    out.offsets = replayOffsets(out.recording, out.requests, {speed, std::nullopt});
    config::LoadResult loaded = config::loadPaths({SLUICE_SOURCE_DIR "/samples/bookinfo"});
    auto table = routing::compile(loaded.resources);
    EmbeddedGateway gateway;
    if (const std::string error = gateway.start(loaded.resources, table, 1); !error.empty())
        qFatal("gateway: %s", error.c_str());
    LoadOptions o;
    o.target.port = gateway.localPort(80);
    o.connections = 4;
    o.keepResults = true;
    o.offsets = std::make_shared<std::vector<std::chrono::microseconds>>(out.offsets);
    std::vector<std::size_t> order(out.requests.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    auto requests = std::make_shared<std::vector<PreparedRequest>>(out.requests);
    LoadEngine engine(
        o, std::make_shared<ReplaySourceFactory>(requests, std::make_shared<std::vector<std::size_t>>(order)),
        std::make_shared<WorkloadAttribution>(gateway.plan(), std::span<const metrics::DestinationWeight>{}));
    if (const std::string error = engine.start(); !error.empty())
        qFatal("start: %s", error.c_str());
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!engine.done() && std::chrono::steady_clock::now() < limit)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    out.run = engine.finish();
    return out;
}

} // namespace

class ReplayTest : public QObject {
    Q_OBJECT

private slots:
    void harKeepsOrderTimingAndHost() {
        const Replayed r = replay(kHar, "small.har", 1.0);
        QCOMPARE(r.requests.size(), std::size_t(4));
        QCOMPARE(r.run.results.size(), std::size_t(4));
        const std::vector<int> dueMs{0, 300, 450, 900};
        const std::vector<int> status{200, 200, 404, 200}; // the gateway serves bookinfo.example.com only
        std::int64_t previous = -1;
        for (std::size_t k = 0; k < 4; ++k) {
            const RequestResult& q = r.run.results[k];
            QCOMPARE(q.slot, std::uint64_t(k));
            QCOMPARE(q.intendedMicros, std::int64_t(dueMs[k]) * 1000);
            // Sent on time (the gateway is idle: a few ms of tolerance), in the recorded order.
            QVERIFY2(std::abs(q.sentMicros - q.intendedMicros) < 30'000,
                     std::to_string(q.sentMicros).c_str());
            QVERIFY(q.sentMicros > previous);
            previous = q.sentMicros;
            QCOMPARE(q.status, status[k]);
        }
        // The Host was the recorded one: productpage answered for bookinfo.example.com.
        QVERIFY(r.run.results[0].workload.starts_with("productpage-v1"));
        QVERIFY(r.run.results[2].workload.empty()); // the gateway's own 404
        QCOMPARE(r.run.tally.report(r.run.durationSeconds, false).destinations.front().destination,
                 std::string("productpage.default.svc.cluster.local"));
    }

    void jsonlAtTwiceTheSpeed() {
        const Replayed r = replay(kJsonl, "own.jsonl", 2.0);
        QCOMPARE(r.recording.skippedCount, std::size_t(1));
        QCOMPARE(r.recording.skipped.front().line, std::size_t(4)); // "not json at all"
        QCOMPARE(r.requests.size(), std::size_t(4));
        QCOMPARE(r.run.results.size(), std::size_t(4));
        const std::vector<int> dueMs{0, 100, 200, 300}; // 200 ms gaps at speed 2
        const std::vector<int> status{200, 200, 200, 404};
        for (std::size_t k = 0; k < 4; ++k) {
            const RequestResult& q = r.run.results[k];
            QCOMPARE(q.intendedMicros, std::int64_t(dueMs[k]) * 1000);
            QVERIFY2(std::abs(q.sentMicros - q.intendedMicros) < 30'000,
                     std::to_string(q.sentMicros).c_str());
            QCOMPARE(q.status, status[k]);
        }
        for (std::size_t k = 1; k < 4; ++k) // relative timing: gaps of 100 ms +- 30
            QVERIFY(std::abs((r.run.results[k].sentMicros - r.run.results[k - 1].sentMicros) - 100'000) <
                    30'000);
    }
};

QTEST_GUILESS_MAIN(ReplayTest)
#include "replay_test.moc"
