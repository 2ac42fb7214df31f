// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "flow/flow_graph_builder.h"
#include "live/flow_overlay.h"
#include "live/live_history.h"
#include "live/live_view_csv.h"
#include "live/weighted_rules.h"
#include "live_feed.h"

#include <QTest>

using namespace sluice;
using namespace sluice::live;
using live::test::Canary;
using live::test::Feed;

namespace {

struct CanaryGraph {
    config::LoadResult loaded = config::loadPaths({SLUICE_SOURCE_DIR "/samples/canary"});
    routing::RouteTablePtr table = routing::compile(loaded.resources);
    flow::FlowGraphPtr graph = flow::buildFlowGraph(loaded.resources, loaded.diagnostics, *table);

    [[nodiscard]] std::size_t edge(const std::string& from, const std::string& to) const {
        const auto a = graph->find(from);
        const auto b = graph->find(to);
        if (!a || !b || !graph->edgeBetween(*a, *b))
            qFatal("no edge %s -> %s", from.c_str(), to.c_str());
        return *graph->edgeBetween(*a, *b);
    }
};

metrics::SeriesKey key(const std::string& subset, int code, const std::string& workload) {
    metrics::SeriesKey k;
    k.virtualService = "canary/frontend";
    k.ruleIndex = 0;
    k.service = "frontend.canary.svc.cluster.local";
    k.port = 8080;
    k.subset = subset;
    k.cluster = "outbound|8080|" + subset + "|frontend.canary.svc.cluster.local";
    k.replica = workload + "-1";
    k.workload = workload;
    k.workloadNamespace = "canary";
    k.responseCode = code;
    return k;
}

/// A bookinfo series: to `service` ("reviews"), answered by `workload`, from `source` (empty: the
/// gateway, through the bookinfo VirtualService).
metrics::SeriesKey bookinfoKey(const std::string& source, const std::string& service,
                               const std::string& workload, int code) {
    metrics::SeriesKey k;
    k.sourceWorkload = source;
    k.sourceNamespace = source.empty() ? "" : "default";
    if (source.empty()) {
        k.virtualService = "default/bookinfo";
        k.ruleIndex = 0;
    }
    k.service = service + ".default.svc.cluster.local";
    k.port = 9080;
    k.cluster = "outbound|9080||" + k.service;
    k.replica = workload + "-1";
    k.workload = workload;
    k.workloadNamespace = "default";
    k.responseCode = code;
    return k;
}

} // namespace

class FlowOverlayTest : public QObject {
    Q_OBJECT

private slots:
    void health_data() {
        QTest::addColumn<int>("requests");
        QTest::addColumn<int>("clientErrors");
        QTest::addColumn<int>("serverErrors");
        QTest::addColumn<int>("health");
        QTest::newRow("idle") << 0 << 0 << 0 << int(EdgeHealth::Idle);
        QTest::newRow("healthy") << 100 << 9 << 9 << int(EdgeHealth::Healthy);
        QTest::newRow("4xx at 10%: degraded") << 100 << 10 << 0 << int(EdgeHealth::Degraded);
        QTest::newRow("5xx at 10%: failure") << 100 << 0 << 10 << int(EdgeHealth::Failure);
        QTest::newRow("failure wins") << 100 << 50 << 10 << int(EdgeHealth::Failure);
        QTest::newRow("5xx below 10%") << 1000 << 0 << 99 << int(EdgeHealth::Healthy);
    }
    void health() {
        QFETCH(int, requests);
        QFETCH(int, clientErrors);
        QFETCH(int, serverErrors);
        QFETCH(int, health);
        QCOMPARE(
            int(edgeHealth(static_cast<std::uint64_t>(requests), static_cast<std::uint64_t>(clientErrors),
                           static_cast<std::uint64_t>(serverErrors))),
            health);
    }

    // Series land on the path a request took: server -> rule -> cluster -> subset -> Service ->
    // workload, with rates, shares of the source node's traffic and Kiali's colours.
    void canaryPath() {
        const CanaryGraph g;
        std::vector<metrics::SeriesKey> keys{key("stable", 200, "frontend-v1"),
                                             key("canary", 200, "frontend-v2"),
                                             key("canary", 503, "frontend-v2")};
        const std::vector<SeriesCount> counts{{&keys[0], 900}, {&keys[1], 80}, {&keys[2], 20}};
        const FlowOverlay overlay = flowOverlay(*g.graph, counts, 10.0);
        QCOMPARE(overlay.edges.size(), g.graph->edges().size());

        const EdgeTraffic& in =
            overlay.edges[g.edge("server:canary/shop-gateway#0", "rule:canary/frontend/http/0")];
        QCOMPARE(in.requests, std::uint64_t(1000));
        QCOMPARE(in.rps, 100.0);
        QCOMPARE(in.share, 100.0);
        QCOMPARE(in.health, EdgeHealth::Healthy); // 2 % 5xx
        QCOMPARE(in.label(), std::string("100 rps · 100%"));

        const std::string rule = "rule:canary/frontend/http/0";
        const EdgeTraffic& stable =
            overlay.edges[g.edge(rule, "dest:outbound|8080|stable|frontend.canary.svc.cluster.local")];
        QCOMPARE(stable.requests, std::uint64_t(900));
        QCOMPARE(stable.share, 90.0);
        QCOMPARE(stable.health, EdgeHealth::Healthy);
        const EdgeTraffic& canary =
            overlay.edges[g.edge(rule, "dest:outbound|8080|canary|frontend.canary.svc.cluster.local")];
        QCOMPARE(canary.requests, std::uint64_t(100));
        QCOMPARE(canary.rps, 10.0);
        QCOMPARE(canary.share, 10.0);
        QCOMPARE(canary.serverErrors, std::uint64_t(20));
        QCOMPARE(canary.health, EdgeHealth::Failure); // 20 % 5xx
        QCOMPARE(canary.label(), std::string("10 rps · 10%"));

        const std::string service = "service:frontend.canary.svc.cluster.local";
        QCOMPARE(overlay.edges[g.edge("subset:frontend.canary.svc.cluster.local/canary", service)].requests,
                 std::uint64_t(100));
        const EdgeTraffic& v2 = overlay.edges[g.edge(service, "workload:Deployment:canary/frontend-v2")];
        QCOMPARE(v2.requests, std::uint64_t(100));
        QCOMPARE(v2.share, 10.0); // of what the Service sent on
        QCOMPARE(v2.health, EdgeHealth::Failure);

        // Widths: idle 1, the busiest 8, a tenth of it in between on a log scale.
        QCOMPARE(overlay.maxRps, 100.0);
        QCOMPARE(overlay.widthFor(0), 1.0);
        QCOMPARE(overlay.widthFor(100), 8.0);
        QVERIFY(overlay.widthFor(10) > 4.5 && overlay.widthFor(10) < 5.0);
    }

    // Calls between workloads light their mesh edges (caller -> Service) with the same rate,
    // share and colour rules, from the series whose source is the caller only; the gateway's
    // server edge counts the gateway's requests only.
    void bookinfoMeshEdges() {
        const config::LoadResult loaded = config::loadPaths({SLUICE_SOURCE_DIR "/samples/bookinfo"});
        const routing::RouteTablePtr table = routing::compile(loaded.resources);
        const flow::FlowGraphPtr graph = flow::buildFlowGraph(loaded.resources, loaded.diagnostics, *table);
        const auto edge = [&](const std::string& from, const std::string& to) {
            const auto e = graph->edgeBetween(*graph->find(from), *graph->find(to));
            if (!e)
                qFatal("no edge %s -> %s", from.c_str(), to.c_str());
            return *e;
        };
        std::vector<metrics::SeriesKey> keys{
            bookinfoKey("", "productpage", "productpage-v1", 200),
            bookinfoKey("productpage-v1", "reviews", "reviews-v2", 200),
            bookinfoKey("productpage-v1", "reviews", "reviews-v2", 503),
            bookinfoKey("productpage-v1", "details", "details-v1", 200),
            bookinfoKey("reviews-v2", "ratings", "ratings-v1", 200),
            bookinfoKey("reviews-v2", "ratings", "ratings-v1", 404),
        };
        const std::vector<SeriesCount> counts{{&keys[0], 1000}, {&keys[1], 270}, {&keys[2], 30},
                                              {&keys[3], 100},  {&keys[4], 180}, {&keys[5], 20}};
        const FlowOverlay overlay = flowOverlay(*graph, counts, 10.0);

        const std::string productpage = "workload:Deployment:default/productpage-v1";
        const std::size_t toReviews = edge(productpage, "service:reviews.default.svc.cluster.local");
        QCOMPARE(graph->edges()[toReviews].kind, flow::EdgeKind::Mesh);
        const EdgeTraffic& reviews = overlay.edges[toReviews];
        QCOMPARE(reviews.requests, std::uint64_t(300)); // not the gateway's 1000 to productpage-v1
        QCOMPARE(reviews.serverErrors, std::uint64_t(30));
        QCOMPARE(reviews.rps, 30.0);
        QCOMPARE(reviews.share, 75.0);                 // of productpage-v1's calls
        QCOMPARE(reviews.health, EdgeHealth::Failure); // 10 % 5xx
        QCOMPARE(reviews.label(), std::string("30 rps · 75%"));
        const EdgeTraffic& details =
            overlay.edges[edge(productpage, "service:details.default.svc.cluster.local")];
        QCOMPARE(details.requests, std::uint64_t(100));
        QCOMPARE(details.share, 25.0);
        QCOMPARE(details.health, EdgeHealth::Healthy);
        const EdgeTraffic& ratings = overlay.edges[edge("workload:Deployment:default/reviews-v2",
                                                        "service:ratings.default.svc.cluster.local")];
        QCOMPARE(ratings.requests, std::uint64_t(200));
        QCOMPARE(ratings.health, EdgeHealth::Degraded); // 10 % 4xx
        QCOMPARE(overlay
                     .edges[edge("workload:Deployment:default/reviews-v3",
                                 "service:ratings.default.svc.cluster.local")]
                     .health,
                 EdgeHealth::Idle);

        // The gateway's edges: its own requests only; the called Service's edge to its workload
        // carries the calls that reached it.
        QCOMPARE(overlay.edges[edge("server:istio-system/bookinfo-gateway#0", "rule:default/bookinfo/http/0")]
                     .requests,
                 std::uint64_t(1000));
        QCOMPARE(overlay.edges[edge("service:productpage.default.svc.cluster.local", productpage)].requests,
                 std::uint64_t(1000));
        QCOMPARE(overlay
                     .edges[edge("service:reviews.default.svc.cluster.local",
                                 "workload:Deployment:default/reviews-v2")]
                     .requests,
                 std::uint64_t(300));
    }

    // SeriesWindow: rates over the last seconds from cumulative snapshot counts.
    void seriesWindowCounts() {
        SeriesWindow window(std::chrono::seconds(2));
        Feed feed([&](const metrics::MetricsSnapshotPtr& s) { window.ingest(*s); });
        feed.prime();
        feed.run(5, [&] { feed.record(Canary{"stable", 200, "", 1000}, 3); });
        // Samples kept a second apart; the window starts at the newest one at least 2 s old.
        QCOMPARE(window.seconds(), 2.0);
        const std::vector<SeriesCount> counts = window.counts();
        QCOMPARE(counts.size(), std::size_t(1));
        QCOMPARE(counts[0].key->subset, std::string("stable"));
        QCOMPARE(counts[0].requests, std::uint64_t(60)); // 20 intervals of 3
        window.reset();
        QCOMPARE(window.counts().size(), std::size_t(0));
    }

    // Every table the dashboard shows, as CSV.
    void csvOfAView() {
        LiveHistory history;
        const CanaryGraph g;
        history.setRules(weightedRules(*g.table));
        Feed feed([&](const metrics::MetricsSnapshotPtr& s) { history.ingest(*s); });
        feed.prime();
        feed.run(1, [&] {
            feed.record(Canary{"stable", 200, "", 2000}, 3);
            feed.record(Canary{"canary", 503, "UF", 4000}, 1);
        });
        feed.tick();
        const LiveViewPtr view = history.view(60);
        QCOMPARE(LiveViewCsv::destinations(*view),
                 std::string("second,frontend:8080 canary,frontend:8080 stable\n"
                             "0,0,0\n"
                             "1,10,30\n"));
        QCOMPARE(
            LiveViewCsv::splits(*view),
            std::string("rule,destination,configured_percent,observed_percent,requests\n"
                        "canary/frontend rule 0 (frontend-split),frontend:8080 stable,90.00,75.00,30\n"
                        "canary/frontend rule 0 (frontend-split),frontend:8080 canary,10.00,25.00,10\n"));
        QCOMPARE(LiveViewCsv::failures(*view), std::string("kind,value,requests\n"
                                                           "status,503,10\n"
                                                           "flag,UF,10\n"));
        const std::string rules = LiveViewCsv::rules(*view);
        QVERIFY2(rules.starts_with("rule,requests,rps,p50_ms,p99_ms,errors,error_percent\n"
                                   "canary/frontend rule 0 (frontend-split),40,20.000,2."),
                 rules.c_str());
        QVERIFY2(rules.ends_with(",10,25.00\n"), rules.c_str());
        const std::string series = LiveViewCsv::timeSeries(*view);
        QVERIFY(series.starts_with(
            "second,requests,errors,no_response,status_1xx,status_2xx,status_3xx,status_4xx,status_5xx,"));
        QVERIFY2(series.find("\n1,40,10,0,0,30,0,0,10,") != std::string::npos, series.c_str());
        const auto all = LiveViewCsv::all(*view);
        QCOMPARE(all.size(), std::size_t(5));
        QCOMPARE(all[2].suffix, std::string("-splits"));
    }
};

QTEST_GUILESS_MAIN(FlowOverlayTest)
#include "flow_overlay_test.moc"
