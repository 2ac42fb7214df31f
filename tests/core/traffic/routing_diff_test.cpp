// SPDX-License-Identifier: Apache-2.0
// `sluice replay --diff`: the recorded requests whose routing changes between two configs,
// routed with the routing engine (no sockets), exactly those and no others; and the configured
// split a profile should show.
#include "config/loader.h"
#include "routing/route_table.h"
#include "traffic/recording_reader.h"
#include "traffic/replay_source.h"
#include "traffic/route_lookup.h"
#include "traffic/routing_diff.h"

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;

namespace {

constexpr std::string_view kBase = R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["shop.example.com"]
---
apiVersion: v1
kind: Service
metadata: {name: frontend, namespace: shop}
spec:
  selector: {app: frontend}
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 8080}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: frontend, namespace: shop}
spec:
  host: frontend
  subsets:
  - {name: stable, labels: {version: v1}}
  - {name: canary, labels: {version: v2}}
---
)";

std::string configYaml(std::string_view rules) {
    return std::string(kBase) + R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: frontend, namespace: shop}
spec:
  hosts: ["shop.example.com"]
  gateways: [gw]
  http:
)" + std::string(rules);
}

constexpr std::string_view kApiRule = R"(  - name: api
    match: [{uri: {prefix: /api}}]
    route: [{destination: {host: api, port: {number: 8080}}}]
)";
constexpr std::string_view kJasonRule = R"(  - name: jason
    match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: frontend, subset: canary, port: {number: 8080}}}]
)";

std::string split(int stable, int canary) {
    return "  - name: split\n    route:\n"
           "    - {destination: {host: frontend, subset: stable, port: {number: 8080}}, weight: " +
           std::to_string(stable) +
           "}\n"
           "    - {destination: {host: frontend, subset: canary, port: {number: 8080}}, weight: " +
           std::to_string(canary) + "}\n";
}

routing::RouteTablePtr table(const std::string& yaml) {
    config::LoadResult loaded;
    config::loadText("c.yaml", yaml, loaded);
    return routing::compile(loaded.resources);
}

// Line 1: the api (unchanged by a weight), 2: the split, 3: jason, 4: another host, 5: api again.
constexpr std::string_view kRecording = R"({"t_ms": 0, "authority": "shop.example.com", "path": "/api/items"}
{"t_ms": 10, "authority": "shop.example.com", "path": "/"}
{"t_ms": 20, "authority": "shop.example.com", "path": "/cart", "headers": {"end-user": "jason"}}
{"t_ms": 30, "authority": "other.example.com", "path": "/"}
{"t_ms": 40, "authority": "shop.example.com", "path": "/api/orders", "headers": {"end-user": "jason"}}
)";

} // namespace

class RoutingDiffTest : public QObject {
    Q_OBJECT

private slots:
    void listsExactlyTheChangedRequests_data() {
        QTest::addColumn<QString>("after");
        QTest::addColumn<QList<int>>("changedLines");
        QTest::addColumn<QString>("firstAfter");
        const std::string before = std::string(kApiRule) + split(90, 10);
        QTest::newRow("same config") << QString::fromStdString(before) << QList<int>{} << QString();
        // One weight: the requests the split routes (lines 2 and 3), not the API nor the 404.
        QTest::newRow("one weight")
            << QString::fromStdString(std::string(kApiRule) + split(80, 20)) << QList<int>{2, 3}
            << QStringLiteral("shop/frontend rule 1 (split): -> frontend canary 20%, frontend stable 80%");
        // One match added before the split: only jason's request that reaches it (line 3; line
        // 5 is jason's too, but the API rule still comes first). Line 2 still takes the split,
        // now rule 2 instead of 1: the same routing.
        QTest::newRow("one match")
            << QString::fromStdString(std::string(kApiRule) + std::string(kJasonRule) + split(90, 10))
            << QList<int>{3} << QStringLiteral("shop/frontend rule 1 (jason) match 0: -> frontend canary");
    }
    void listsExactlyTheChangedRequests() {
        QFETCH(QString, after);
        QFETCH(QList<int>, changedLines);
        QFETCH(QString, firstAfter);
        const ReadResult read = readRecordingText(kRecording, "r.jsonl");
        QVERIFY(read.ok());
        const ReplayPreparation prepared = prepareReplay(read.recording(), "");
        QCOMPARE(prepared.requests.size(), std::size_t(5));
        const auto a = table(configYaml(std::string(kApiRule) + split(90, 10)));
        const auto b = table(configYaml(after.toStdString()));
        const RoutingDiff diff = diffRouting(*a, *b, read.recording(), prepared.requests);
        QCOMPARE(diff.compared, std::size_t(5));
        QList<int> lines;
        for (const auto& c : diff.changes)
            lines.push_back(static_cast<int>(c.line));
        QCOMPARE(lines, changedLines);
        if (!diff.changes.empty()) {
            QCOMPARE(QString::fromStdString(diff.changes.front().after.text()), firstAfter);
            QCOMPARE(diff.changes.front().gatewayPort, std::uint32_t(80));
        }
    }

    void summaries() {
        const auto t = table(configYaml(std::string(kApiRule) + split(75, 25)));
        routing::Request r;
        r.authority = "shop.example.com";
        r.target = "/";
        const RouteSummary s = summarizeRoute(*t, r);
        QCOMPARE(s.outcome, routing::Outcome::Forward);
        QCOMPARE(s.destinations.size(), std::size_t(2));
        QCOMPARE(s.destinations[0].subset, std::string("canary"));
        QCOMPARE(s.destinations[0].percent, 25.0);
        QCOMPARE(QString::fromStdString(s.text()),
                 QStringLiteral("shop/frontend rule 1 (split): -> frontend canary 25%, frontend stable 75%"));
        r.authority = "nobody.example.com";
        QCOMPARE(QString::fromStdString(summarizeRoute(*t, r).text()), QStringLiteral("404 NR"));
    }

    void expectedSplitOfAProfile() {
        const auto t = table(configYaml(std::string(kApiRule) + std::string(kJasonRule) + split(90, 10)));
        ProfileResult read = parseProfile(R"(
host: shop.example.com
users: [jason, alice, bob, carol]
requests:
- {path: /, weight: 1}
- {path: /api/x, weight: 1}
- {path: /cart, headers: {end-user: "${random_user}"}, weight: 2}
)",
                                          "p.yaml");
        QVERIFY(read.ok());
        const auto profile = std::make_shared<const RequestProfile>(std::move(read.profile()));
        const auto weights = expectedSplit(*t, profile, 80, false, "shop.example.com", 4000);
        QCOMPARE(weights.size(), std::size_t(3));
        // "/" (25 %): 90/10. /api (25 %): api. /cart (50 %): a quarter are jason (canary), the rest 90/10.
        QCOMPARE(weights[0].destination, std::string("api.shop.svc.cluster.local"));
        QVERIFY(std::abs(weights[0].percent - 25.0) < 1e-9);
        const double canary = 25 * 0.1 + 50 * (0.25 + 0.75 * 0.1);
        QCOMPARE(weights[1].subset, std::string("canary"));
        QVERIFY2(std::abs(weights[1].percent - canary) < 1.5, std::to_string(weights[1].percent).c_str());
        QCOMPARE(weights[2].subset, std::string("stable"));
        QVERIFY(std::abs(weights[0].percent + weights[1].percent + weights[2].percent - 100.0) < 1e-6);
    }

    void unsendableRequestsAreListedWithTheirLines() {
        const ReadResult read = readRecordingText(R"({"t_ms": 0, "path": "/no-host"}
{"t_ms": 1, "authority": "a.example.com", "path": "/ok", "headers": {"connection": "close", "x-keep": "1", "transfer-encoding": "chunked"}}
{"t_ms": 2, "method": "G E T", "authority": "a.example.com", "path": "/"}
)",
                                                  "r.jsonl", RecordingFormat::Jsonl);
        QVERIFY(read.ok());
        const auto& recording = read.recording();
        ReplayPreparation p = prepareReplay(recording, "");
        QCOMPARE(p.requests.size(), std::size_t(1));
        QCOMPARE(p.requests[0].headers.size(), std::size_t(1)); // hop-by-hop dropped
        QCOMPARE(p.requests[0].http1,
                 std::string("GET /ok HTTP/1.1\r\nhost: a.example.com\r\nx-keep: 1\r\n\r\n"));
        std::vector<std::size_t> lines;
        for (const auto& s : p.unsendable)
            lines.push_back(s.line);
        const std::size_t jsonlSkips = recording.skippedCount; // a method with a space may fail the reader
        QVERIFY(lines.size() + jsonlSkips == 2);
        QCOMPARE(lines.front(), std::size_t(1));
        QVERIFY(p.unsendable.front().reason.find("--host") != std::string::npos);
        // With --host the first is sent too.
        QCOMPARE(prepareReplay(recording, "fallback.example.com").requests.size(), std::size_t(2));
    }

    void replayOffsetsKeepTiming() {
        const ReadResult read = readRecordingText(R"({"t_ms": 1000, "authority": "a", "path": "/1"}
{"t_ms": 1100, "authority": "a", "path": "/2"}
{"t_ms": 1400, "authority": "a", "path": "/3"}
)",
                                                  "r.jsonl");
        QVERIFY(read.ok());
        const auto prepared = prepareReplay(read.recording(), "");
        using std::chrono::microseconds;
        QCOMPARE(replayOffsets(read.recording(), prepared.requests, {}),
                 (std::vector<microseconds>{microseconds(0), microseconds(100'000), microseconds(400'000)}));
        QCOMPARE(replayOffsets(read.recording(), prepared.requests, {4, std::nullopt}),
                 (std::vector<microseconds>{microseconds(0), microseconds(25'000), microseconds(100'000)}));
        QCOMPARE(replayOffsets(read.recording(), prepared.requests, {1, 10.0}),
                 (std::vector<microseconds>{microseconds(0), microseconds(100'000), microseconds(200'000)}));
    }
};

QTEST_APPLESS_MAIN(RoutingDiffTest)
#include "routing_diff_test.moc"
