// SPDX-License-Identifier: Apache-2.0
// The fleet behind the clusters: a Workload with `deployment:` gives that Deployment's pods their
// behaviour and calls (bookinfo's call graph) without being a workload of its own.

#include "config/loader.h"
#include "workload/fleet_plan.h"

#include <QTest>

using namespace sluice;

namespace {

const workload::PlannedReplica& replica(const workload::FleetPlan& plan, const std::string& name) {
    for (const auto& r : plan.replicas)
        if (r.name == name)
            return r;
    qFatal("no replica %s", name.c_str());
}

} // namespace

class FleetPlanTest : public QObject {
    Q_OBJECT

private slots:
    void bookinfoCallGraph() {
        const auto loaded = config::loadPaths({SLUICE_SOURCE_DIR "/samples/bookinfo"});
        const workload::FleetPlan plan = workload::planFleet(loaded.resources);
        // Six pods, one per Deployment: the three behaviour Workloads add none.
        QCOMPARE(plan.replicas.size(), std::size_t(6));
        QCOMPARE(plan.clusters.at("outbound|9080||reviews.default.svc.cluster.local").size(), std::size_t(3));

        const auto* productpage = &replica(plan, "productpage-v1-1");
        QCOMPARE(productpage->ns, std::string("default"));
        QCOMPARE(productpage->labels.at("version"), std::string("v1"));
        QCOMPARE(productpage->calls.size(), std::size_t(2));
        QCOMPARE(productpage->calls[0].service, std::string("details"));
        QCOMPARE(productpage->calls[0].port, 9080u);
        QCOMPARE(productpage->calls[0].path, std::string("/details/0"));
        QCOMPARE(productpage->calls[1].service, std::string("reviews"));
        QCOMPARE(productpage->calls[1].propagate.front(), std::string("end-user"));

        QCOMPARE(replica(plan, "reviews-v1-1").calls.size(), std::size_t(0));
        QCOMPARE(replica(plan, "reviews-v2-1").calls.at(0).service, std::string("ratings"));
        QCOMPARE(replica(plan, "reviews-v3-1").calls.at(0).path, std::string("/ratings/0"));
        QCOMPARE(replica(plan, "ratings-v1-1").calls.size(), std::size_t(0));
    }

    // A Workload's own calls; header names to propagate are compared lowercased.
    void workloadCalls() {
        config::LoadResult loaded;
        config::loadText("w.yaml", R"(apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: web, namespace: shop}
spec:
  labels: {app: web}
  replicas: 2
  calls: [{service: cart, port: 8080, propagate: [End-User]}]
)",
                         loaded);
        const workload::FleetPlan plan = workload::planFleet(loaded.resources);
        QCOMPARE(plan.replicas.size(), std::size_t(2));
        const auto* web = &replica(plan, "web-2");
        QCOMPARE(web->ns, std::string("shop"));
        QCOMPARE(web->calls.at(0).path, std::string("/"));
        QCOMPARE(web->calls.at(0).propagate.at(0), std::string("end-user"));
    }
};

QTEST_GUILESS_MAIN(FleetPlanTest)
#include "fleet_plan_test.moc"
