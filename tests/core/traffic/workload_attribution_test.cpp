// SPDX-License-Identifier: Apache-2.0
// Which destination answered, from the workload name in the answer; the per-second hand-over of
// the workers' figures; the progress lines.
#include "traffic/progress_board.h"
#include "traffic/progress_line.h"
#include "traffic/workload_attribution.h"
#include "workload/fleet_plan.h"

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;

namespace {

workload::FleetPlan plan() {
    workload::FleetPlan p;
    for (const char* name : {"reviews-v1-1", "reviews-v2-1", "reviews-v2-2", "ratings-1", "shared-1"})
        p.replicas.push_back(workload::PlannedReplica{name, {}, {}, "default", {}, {}, {}});
    p.clusters["outbound|9080||reviews.default.svc.cluster.local"] = {0, 1, 2};
    p.clusters["outbound|9080|v1|reviews.default.svc.cluster.local"] = {0};
    p.clusters["outbound|9080|v2|reviews.default.svc.cluster.local"] = {1, 2};
    p.clusters["outbound|9080||ratings.default.svc.cluster.local"] = {3};
    p.clusters["outbound|9080|all|shared.default.svc.cluster.local"] = {4};
    p.clusters["outbound|9080|v9|shared.default.svc.cluster.local"] = {4};
    p.clusters["outbound|9080||shared.default.svc.cluster.local"] = {4};
    return p;
}

std::pair<std::string, std::string> resolved(const WorkloadAttribution& a, std::string_view name) {
    const auto d = a.resolve(name);
    return {std::string(d.destination), std::string(d.subset)};
}

} // namespace

class WorkloadAttributionTest : public QObject {
    Q_OBJECT

private slots:
    void weightedClustersWin() {
        const std::vector<metrics::DestinationWeight> weights{
            {"reviews.default.svc.cluster.local", "v1", 75}, {"reviews.default.svc.cluster.local", "v2", 25}};
        const WorkloadAttribution a(plan(), weights);
        using P = std::pair<std::string, std::string>;
        QCOMPARE(resolved(a, "reviews-v1-1"), P("reviews.default.svc.cluster.local", "v1"));
        QCOMPARE(resolved(a, "reviews-v2-2"), P("reviews.default.svc.cluster.local", "v2"));
        QCOMPARE(resolved(a, "ratings-1"), P("ratings.default.svc.cluster.local", ""));
    }

    void withoutWeights() {
        const WorkloadAttribution a(plan(), {});
        using P = std::pair<std::string, std::string>;
        // Its one subset tells most; with two subsets, the service itself.
        QCOMPARE(resolved(a, "reviews-v2-1"), P("reviews.default.svc.cluster.local", "v2"));
        QCOMPARE(resolved(a, "shared-1"), P("shared.default.svc.cluster.local", ""));
        // An unweighted route to the plain service still resolves when weights name it.
        const std::vector<metrics::DestinationWeight> plain{{"reviews.default.svc.cluster.local", "", 100}};
        QCOMPARE(resolved(WorkloadAttribution(plan(), plain), "reviews-v2-1"),
                 P("reviews.default.svc.cluster.local", ""));
    }

    void unknownNamesStandForThemselves() {
        const WorkloadAttribution a(plan(), {});
        QCOMPARE(resolved(a, "some-real-server"),
                 (std::pair<std::string, std::string>("some-real-server", "")));
        QCOMPARE(resolved(a, ""), (std::pair<std::string, std::string>()));
        QCOMPARE(resolved(WorkloadAttribution(), "x"), (std::pair<std::string, std::string>("x", "")));
    }

    void clusterNames() {
        QCOMPARE(splitClusterName("outbound|9080|v2|reviews.default.svc.cluster.local"),
                 std::make_optional(
                     std::make_pair(std::string("reviews.default.svc.cluster.local"), std::string("v2"))));
        QVERIFY(!splitClusterName("reviews"));
        QVERIFY(!splitClusterName("outbound|9080|v2|"));
    }

    void secondsMergeOnlyWhenEveryWorkerIsPast() {
        using namespace std::chrono;
        const auto start = steady_clock::time_point{} + hours(1);
        ProgressBoard board(2, start, seconds(60));
        SecondWindow a(board, 0, start);
        SecondWindow b(board, 1, start);
        a.record(start + milliseconds(100), 200, 1000);
        a.record(start + milliseconds(900), 503, 3000);
        b.record(start + milliseconds(500), 200, 2000);
        a.record(start + milliseconds(1100), 200, 1000); // worker 0 closes second 0
        QVERIFY(board.collect().empty());                // worker 1 has not
        b.tick(start + milliseconds(1050));
        const auto seconds0 = board.collect();
        QCOMPARE(seconds0.size(), std::size_t(1));
        QCOMPARE(seconds0[0].second, std::int64_t(0));
        QCOMPARE(seconds0[0].requests, std::uint64_t(3));
        QCOMPARE(seconds0[0].errors, std::uint64_t(1));
        QCOMPARE(seconds0[0].p50, std::uint64_t(2000));
        a.close();
        b.close();
        const auto series = board.finish();
        QCOMPARE(board.collectedRequests(), std::uint64_t(4));
        QCOMPARE(series->points(3).front().requests, std::uint64_t(3)); // seconds 0, 1 and the open 2
    }

    void progressLines() {
        SecondSummary s{4, 20012, 3, 410, 1200};
        QCOMPARE(QString::fromStdString(ProgressLine::second(s)),
                 QStringLiteral("[   5s]    20012 req/s  p50 0.41 ms  p99 1.20 ms  errors 3"));
        QCOMPARE(
            QString::fromStdString(ProgressLine::bar(0.5, 5.0, 10.0, s, 10)),
            QStringLiteral("[#####.....]  50%  5.0/10.0 s  20012 req/s  p50 0.41 ms  p99 1.20 ms  errors 3"));
        QCOMPARE(QString::fromStdString(ProgressLine::bar(7.0, 1.0, std::nullopt, std::nullopt, 4)),
                 QStringLiteral("[####] 100%  1.0 s"));
        QCOMPARE(QString::fromStdString(ProgressLine::bar(std::nan(""), 0, std::nullopt, std::nullopt, 2)),
                 QStringLiteral("[..]   0%  0.0 s"));
    }
};

QTEST_APPLESS_MAIN(WorkloadAttributionTest)
#include "workload_attribution_test.moc"
