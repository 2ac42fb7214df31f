// SPDX-License-Identifier: Apache-2.0
// `sluice simulate --profile`: the profile's requests, rendered as `sluice load --profile`
// renders them (per-request variables included), exercise header- and cookie-based routes.

#include "simulation_fixture.h"
#include "traffic/profile_source.h"
#include "traffic/route_lookup.h"

#include <cmath>
#include <memory>

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;
using namespace sluice::traffic::test;

namespace {

/// Bookinfo with the gateway's VirtualService replaced: jason's product-page views (end-user
/// header AND a session cookie whose ${seq} must have been rendered to digits) go to reviews v2,
/// other requests of jason (the end-user header alone) to v3, everyone else to v1. Reviews is
/// put at the gateway so the report's destinations show the split.
const std::string kJasonRoutes = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bookinfo, namespace: default}
spec:
  hosts: [bookinfo.example.com]
  gateways: [istio-system/bookinfo-gateway]
  http:
  - match:
    - headers:
        end-user: {exact: jason}
        cookie: {regex: "session=jason-[0-9]+; user=jason"}
    route:
    - destination: {host: reviews, port: {number: 9080}, subset: v2}
  - match:
    - headers:
        end-user: {exact: jason}
    route:
    - destination: {host: reviews, port: {number: 9080}, subset: v3}
  - route:
    - destination: {host: reviews, port: {number: 9080}, subset: v1}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
)";

std::shared_ptr<const RequestProfile> bookinfoProfile() {
    ProfileResult read = readProfileFile(SLUICE_SOURCE_DIR "/samples/traffic/bookinfo-profile.yaml");
    if (!read.ok())
        return nullptr;
    return std::make_shared<const RequestProfile>(std::move(read.profile()));
}

const metrics::DestinationSplit* subset(const metrics::TrafficReport& r, const std::string& name) {
    for (const auto& d : r.destinations)
        if (d.destination == "reviews.default.svc.cluster.local" && d.subset == name)
            return &d;
    return nullptr;
}

SimulationResult run(const LoadedConfig& c, std::shared_ptr<const RequestProfile> profile,
                     const SimulationOptions& options) {
    return TrafficSimulator::run({c.loaded.resources, c.table, nullptr, nullptr, std::move(profile)},
                                 options);
}

} // namespace

class SimulateProfileTest : public QObject {
    Q_OBJECT

private slots:
    // The bookinfo profile: "productpage (jason)" is 20 % of the requests (end-user: jason and
    // cookie "session=jason-${seq}; user=jason"); the products API (15 %) sends end-user
    // ${random_user}, one of five users: jason 3 %. So v2 20 %, v3 3 %, v1 77 %.
    void bookinfoProfileJasonShare() {
        const auto profile = bookinfoProfile();
        QVERIFY(profile);
        const auto c = fromSamples({"bookinfo"}, kJasonRoutes);
        const SimulationResult r = run(c, profile, requestsAt(40000, 2000, 3));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.report.requests, std::uint64_t(40000));
        const auto* v1 = subset(r.report, "v1");
        const auto* v2 = subset(r.report, "v2");
        const auto* v3 = subset(r.report, "v3");
        QVERIFY(v1 && v2 && v3);
        // Binomial standard deviations: 0.20 % (v2), 0.09 % (v3), 0.21 % (v1); five of them.
        QVERIFY2(std::abs(v2->share - 20.0) < 1.0, std::to_string(v2->share).c_str());
        QVERIFY2(std::abs(v3->share - 3.0) < 0.5, std::to_string(v3->share).c_str());
        QVERIFY2(std::abs(v1->share - 77.0) < 1.1, std::to_string(v1->share).c_str());
        // The configured weights are the routes' shares of what was sent (each route 100 %).
        QVERIFY(v2->weight && std::abs(*v2->weight - v2->share) < 1e-9);
        // The mix as the report lists it: the profile's templates and weights.
        QCOMPARE(r.mix.size(), std::size_t(4));
        QCOMPARE(r.mix[1], std::string("productpage (jason) (20%)"));
    }

    // The same rendering as `sluice load`: expectedSplit (what load prints as the configured
    // split, from ProfileSource and fillRoutingRequest) agrees with the simulated shares.
    void agreesWithLoadsExpectedSplit() {
        const auto profile = bookinfoProfile();
        QVERIFY(profile);
        const auto c = fromSamples({"bookinfo"}, kJasonRoutes);
        const auto expected = expectedSplit(*c.table, profile, 80, false, "bookinfo.example.com", 400);
        const SimulationResult r = run(c, profile, requestsAt(40000, 2000, 11));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(expected.size(), std::size_t(3));
        for (const auto& e : expected) {
            const auto* d = subset(r.report, e.subset);
            QVERIFY(d);
            QVERIFY2(
                std::abs(d->share - e.percent) < 1.2,
                (e.subset + " " + std::to_string(d->share) + " vs " + std::to_string(e.percent)).c_str());
        }
    }

    // ${seq} is the arrival's number, as in a load run (0, 1, 2...): a route on the sequence
    // number takes exactly the first ten requests.
    void sequenceNumbersAreArrivals() {
        const auto c = fromYaml(webConfig(R"(  - match:
    - uri: {regex: "/item/[0-9]"}
    route:
    - destination: {host: web, subset: first}
  - route:
    - destination: {host: web, subset: rest})",
                                          R"(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: default}
spec:
  host: web
  subsets:
  - {name: first, labels: {app: web}}
  - {name: rest, labels: {app: web}}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: web, namespace: default}
spec:
  labels: {app: web}
)"));
        ProfileResult read = parseProfile("requests:\n- path: /item/${seq}\n", "p.yaml");
        QVERIFY(read.ok());
        const auto profile = std::make_shared<const RequestProfile>(std::move(read.profile()));
        const SimulationResult r = run(c, profile, requestsAt(500, 100, 5, ArrivalProcess::Constant));
        QVERIFY2(r.ok(), r.error.c_str());
        const metrics::DestinationSplit* first = nullptr;
        for (const auto& d : r.report.destinations)
            if (d.subset == "first")
                first = &d;
        QVERIFY(first);
        QCOMPARE(first->requests, std::uint64_t(10));
    }

    // The same seed gives the same report; another seed draws other users.
    void deterministic() {
        const auto profile = bookinfoProfile();
        QVERIFY(profile);
        const auto c = fromSamples({"bookinfo"}, kJasonRoutes);
        const SimulationResult a = run(c, profile, requestsAt(3000, 500, 9));
        const SimulationResult b = run(c, profile, requestsAt(3000, 500, 9));
        const SimulationResult other = run(c, profile, requestsAt(3000, 500, 10));
        QVERIFY(a.ok() && b.ok() && other.ok());
        QVERIFY(a.report == b.report);
        QVERIFY(!(a.report == other.report));
    }

    // A profile with nothing to send is an error, not an empty report.
    void profileWithoutWeight() {
        const auto c = fromSamples({"bookinfo"});
        auto profile = std::make_shared<RequestProfile>(RequestProfile::single("GET", "x", "/"));
        profile->requests[0].weight = 0;
        const SimulationResult r = run(c, profile, requestsAt(10, 10));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.find("positive weight") != std::string::npos, r.error.c_str());
    }
};

QTEST_GUILESS_MAIN(SimulateProfileTest)
#include "simulate_profile_test.moc"
