// SPDX-License-Identifier: Apache-2.0
// The simulator against what the live proxy does: splits, faults, retries, timeouts, circuit
// breakers, outlier ejection, calls between workloads; determinism; bad input.

#include "metrics/traffic_report_json.h"
#include "simulation_fixture.h"

#include <cmath>

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;
using namespace sluice::traffic::test;

namespace {

const metrics::DestinationSplit* split(const metrics::TrafficReport& r, const std::string& subset) {
    for (const auto& d : r.destinations)
        if (d.subset == subset)
            return &d;
    return nullptr;
}

double share(const metrics::TrafficReport& r, std::uint64_t count) {
    return r.requests ? static_cast<double>(count) / static_cast<double>(r.requests) : 0;
}

const std::string kOneReplica = R"(apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: web, namespace: default}
spec:
  labels: {app: web}
)";

} // namespace

class TrafficSimulatorTest : public QObject {
    Q_OBJECT

private slots:
    // samples/canary: 90/10 between two subsets, observed next to the configured weights.
    void canarySplit() {
        const auto c = fromSamples({"canary"});
        const SimulationResult r = simulate(c, requestsAt(40000, 2000, 7));
        QVERIFY2(r.ok(), r.error.c_str());
        QVERIFY(r.report.simulated);
        QCOMPARE(r.report.requests, std::uint64_t(40000));
        QCOMPARE(statusCount(r.report, 200), std::uint64_t(40000));
        const auto* stable = split(r.report, "stable");
        const auto* canary = split(r.report, "canary");
        QVERIFY(stable && canary);
        QCOMPARE(stable->destination, std::string("frontend.canary.svc.cluster.local"));
        QCOMPARE(stable->weight.value_or(-1), 90.0);
        QCOMPARE(canary->weight.value_or(-1), 10.0);
        // Binomial standard deviation 0.15 %: 1 % is more than six of them.
        QVERIFY2(std::abs(stable->share - 90.0) < 1.0, std::to_string(stable->share).c_str());
        QVERIFY2(std::abs(canary->share - 10.0) < 1.0, std::to_string(canary->share).c_str());
        // 40,000 requests at 2,000/s: a 20 s window.
        QVERIFY(std::abs(r.report.durationSeconds - 20.0) < 0.5);
        QCOMPARE(r.report.targetRate.value_or(0), 2000.0);
    }

    // A mix over several routes: each destination's configured weight is its routes' shares of
    // the requests times their weights (header-routing: one rule per subset, a third each).
    void weightsOverSeveralRoutes() {
        const SimulationResult r = simulate(fromSamples({"header-routing"}), requestsAt(30000, 1000, 5));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.report.destinations.size(), std::size_t(3));
        for (const auto& d : r.report.destinations) {
            QVERIFY(d.weight);
            QVERIFY2(std::abs(*d.weight - d.share) < 1e-9,
                     (d.subset + " " + std::to_string(*d.weight)).c_str());
            QVERIFY(std::abs(d.share - 100.0 / 3) < 1.5);
        }
    }

    // samples/faults: jason's requests are all delayed 7 s, and half of them are then aborted with
    // 500 (Envoy's fault filter draws the abort after the delay: flags DI,FI); everyone else passes.
    void faultsSample() {
        const auto c = fromSamples({"faults"});
        const SimulationResult r = simulate(c, requestsAt(40000, 1000, 3));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.mix.size(), std::size_t(2)); // one request per rule: jason's and everyone else's
        const double aborted = share(r.report, statusCount(r.report, 500));
        QVERIFY2(std::abs(aborted - 0.25) < 0.012, std::to_string(aborted).c_str());
        QCOMPARE(flagCount(r.report, "FI"), statusCount(r.report, 500));
        const double delayed = share(r.report, flagCount(r.report, "DI"));
        QVERIFY2(std::abs(delayed - 0.5) < 0.012, std::to_string(delayed).c_str());
        QCOMPARE(statusCount(r.report, 200) + statusCount(r.report, 500), r.report.requests);
        // Jason's half waits 7 s, aborted or not: p90 and p99 are 7 s; nobody waits longer.
        QVERIFY2(std::abs(r.report.latency.p90 - 7000.0) < 10.0,
                 std::to_string(r.report.latency.p90).c_str());
        QVERIFY2(std::abs(r.report.latency.max - 7000.0) < 10.0,
                 std::to_string(r.report.latency.max).c_str());
    }

    // A backend failing half of its answers: each retry of a 5xx is another coin toss, so the
    // success ratio with N retries is 1 - 0.5^(N + 1). Istio's default policy does not retry 503.
    void retriesTurnErrorsIntoSuccesses_data() {
        QTest::addColumn<QString>("retries");
        QTest::addColumn<double>("expected");
        QTest::newRow("default policy: 503 not retried") << QString() << 0.5;
        QTest::newRow("1 retry") << QStringLiteral("    retries: {attempts: 1, retryOn: 5xx}\n") << 0.75;
        QTest::newRow("2 retries") << QStringLiteral("    retries: {attempts: 2, retryOn: 5xx}\n") << 0.875;
        QTest::newRow("3 retries") << QStringLiteral("    retries: {attempts: 3, retryOn: \"503\"}\n")
                                   << 0.9375;
        QTest::newRow("no retries") << QStringLiteral("    retries: {attempts: 0}\n") << 0.5;
    }
    void retriesTurnErrorsIntoSuccesses() {
        QFETCH(QString, retries);
        QFETCH(double, expected);
        const auto c = fromYaml(webConfig("  - route: [{destination: {host: web}}]\n" + retries.toStdString(),
                                          kOneReplica + "  errors: {rate: 0.5, status: 503}\n"));
        const SimulationResult r = simulate(c, requestsAt(20000, 500, 11));
        QVERIFY2(r.ok(), r.error.c_str());
        const double ok = share(r.report, statusCount(r.report, 200));
        QVERIFY2(std::abs(ok - expected) < 0.015,
                 (std::to_string(ok) + " vs " + std::to_string(expected)).c_str());
        QCOMPARE(statusCount(r.report, 200) + statusCount(r.report, 503), r.report.requests);
        if (expected > 0.5) // attempts ran out on a retriable answer
            QCOMPARE(flagCount(r.report, "URX"), statusCount(r.report, 503));
    }

    // A 3 s backend behind a 1 s route timeout: 504 UT, answered exactly at 1 s.
    void routeTimeoutAnswers504AtTheDeadline() {
        const auto c = fromYaml(webConfig("  - route: [{destination: {host: web}}]\n    timeout: 1s\n",
                                          kOneReplica + "  latency: {fixed: 3s}\n"));
        const SimulationResult r = simulate(c, requestsAt(500, 50, 2));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(statusCount(r.report, 504), std::uint64_t(500));
        QCOMPARE(flagCount(r.report, "UT"), std::uint64_t(500));
        QVERIFY2(std::abs(r.report.latency.p50 - 1000.0) < 1.0, std::to_string(r.report.latency.p50).c_str());
        QVERIFY(std::abs(r.report.latency.max - 1000.0) < 1.0);
    }

    // The fault filter runs before the router: a Service that no workload backs (another one is
    // backed, so no default replica is made) answers 503 UH, but only after the drawn delay, as
    // the live proxy does.
    void faultDelayHoldsNoHealthyUpstream() {
        const auto c =
            fromYaml(webConfig("  - route: [{destination: {host: web}}]\n"
                               "    fault: {delay: {fixedDelay: 250ms, percentage: {value: 100}}}\n",
                               "apiVersion: sluice.dev/v1\nkind: Workload\nmetadata: {name: other}\n"
                               "spec:\n  labels: {app: other}\n"));
        const SimulationResult r = simulate(c, requestsAt(100, 50, 2));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(statusCount(r.report, 503), std::uint64_t(100));
        QCOMPARE(flagCount(r.report, "UH"), std::uint64_t(100));
        QCOMPARE(flagCount(r.report, "DI"), std::uint64_t(100));
        QVERIFY2(std::abs(r.report.latency.p50 - 250.0) < 1.0, std::to_string(r.report.latency.p50).c_str());
    }

    // Per-try timeouts with retries: three attempts of 200 ms each, plus the jittered back-off
    // between them (at most 25 ms, then 75 ms).
    void perTryTimeoutIsRetried() {
        const auto c = fromYaml(webConfig("  - route: [{destination: {host: web}}]\n"
                                          "    retries: {attempts: 2, perTryTimeout: 200ms, retryOn: 5xx}\n",
                                          kOneReplica + "  latency: {fixed: 1s}\n"));
        const SimulationResult r = simulate(c, requestsAt(300, 20, 5));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(statusCount(r.report, 504), std::uint64_t(300));
        QCOMPARE(r.counters.attempts, std::uint64_t(900));
        QVERIFY2(r.report.latency.p50 >= 599.0 && r.report.latency.max <= 701.0,
                 (std::to_string(r.report.latency.p50) + " " + std::to_string(r.report.latency.max)).c_str());
    }

    // One connection and one pending request to a 100 ms backend: about ten requests a second
    // get through, the rest overflow (503 UO) instead of queueing.
    void circuitBreakerOverflows() {
        const auto c = fromYaml(
            webConfig("  - route: [{destination: {host: web}}]\n", kOneReplica + R"(  latency: {fixed: 100ms}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: default}
spec:
  host: web
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1}
)"));
        const SimulationResult r = simulate(c, requestsAt(2000, 100, 9, ArrivalProcess::Constant));
        QVERIFY2(r.ok(), r.error.c_str());
        const double ok = share(r.report, statusCount(r.report, 200));
        QVERIFY2(ok > 0.08 && ok < 0.12, std::to_string(ok).c_str());
        QCOMPARE(flagCount(r.report, "UO"), statusCount(r.report, 503));
        QCOMPARE(statusCount(r.report, 200) + statusCount(r.report, 503), r.report.requests);
        // The same rate without limits: everything gets through.
        const auto free = fromYaml(webConfig("  - route: [{destination: {host: web}}]\n",
                                             kOneReplica + "  latency: {fixed: 100ms}\n"));
        const SimulationResult unlimited = simulate(free, requestsAt(2000, 100, 9, ArrivalProcess::Constant));
        QCOMPARE(statusCount(unlimited.report, 200), std::uint64_t(2000));
    }

    // Two workloads behind one Service, one always failing: outlier detection ejects it after its
    // first 5xx, so almost every request succeeds; without it half fail.
    void outlierDetectionEjectsTheFailingReplica() {
        const std::string workloads = R"(apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: web-good, namespace: default}
spec:
  labels: {app: web}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: web-bad, namespace: default}
spec:
  labels: {app: web}
  errors: {rate: 1.0, status: 503}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: default}
spec:
  host: web
  trafficPolicy:
    loadBalancer: {simple: ROUND_ROBIN}
)";
        const std::string outlier =
            "    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 30s, "
            "maxEjectionPercent: 100}\n";
        const auto plain = fromYaml(webConfig("  - route: [{destination: {host: web}}]\n", workloads));
        const auto ejecting =
            fromYaml(webConfig("  - route: [{destination: {host: web}}]\n", workloads + outlier));
        const SimulationResult without = simulate(plain, requestsAt(10000, 100, 4));
        const SimulationResult with = simulate(ejecting, requestsAt(10000, 100, 4));
        QVERIFY2(with.ok(), with.error.c_str());
        QVERIFY(std::abs(share(without.report, without.report.errors) - 0.5) < 0.02);
        // 100 s of traffic: ejected for 30 s, then 60 s, ...: a handful of failures in all.
        QVERIFY2(with.report.errors <= 5, std::to_string(with.report.errors).c_str());
        QVERIFY(with.report.errors >= 1);
    }

    // Bookinfo's call graph: a fault on reviews (mesh VirtualService) shows in productpage's
    // latency at the gateway; an abort on reviews does not change productpage's status.
    void callsPropagateLatency() {
        const auto plain = fromSamples({"bookinfo"});
        const SimulationResult base = simulate(plain, requestsAt(2000, 100, 1));
        QVERIFY2(base.ok(), base.error.c_str());
        QCOMPARE(statusCount(base.report, 200), std::uint64_t(2000));
        QCOMPARE(base.report.latency.max, 0.0);
        // productpage calls details and reviews; reviews v2 and v3 (two in three) call ratings.
        QVERIFY(base.counters.calls > 2 * 2000 + 2000 / 2 && base.counters.calls < 2 * 2000 + 2000);
        QCOMPARE(base.counters.failedCalls, std::uint64_t(0));

        const std::string delayed = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - fault:
      delay: {fixedDelay: 2s, percentage: {value: 100}}
    route: [{destination: {host: reviews}}]
)";
        const SimulationResult slow = simulate(fromSamples({"bookinfo"}, delayed), requestsAt(2000, 100, 1));
        QVERIFY2(slow.ok(), slow.error.c_str());
        QCOMPARE(statusCount(slow.report, 200), std::uint64_t(2000));
        QVERIFY2(std::abs(slow.report.latency.p50 - 2000.0) < 2.0,
                 std::to_string(slow.report.latency.p50).c_str());

        const std::string aborted = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - fault:
      abort: {httpStatus: 503, percentage: {value: 100}}
    route: [{destination: {host: reviews}}]
)";
        const SimulationResult failing =
            simulate(fromSamples({"bookinfo"}, aborted), requestsAt(2000, 100, 1));
        QCOMPARE(statusCount(failing.report, 200), std::uint64_t(2000));
        QCOMPARE(failing.counters.failedCalls, std::uint64_t(2000));
    }

    // productpage propagates end-user: a mesh route on it (jason to v2, delayed) sees it.
    void callsPropagateHeaders() {
        const std::string jason = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    fault:
      delay: {fixedDelay: 1s, percentage: {value: 100}}
    route: [{destination: {host: reviews, subset: v2}}]
  - route: [{destination: {host: reviews, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
)";
        const auto c = fromSamples({"bookinfo"}, jason);
        RequestMix mix;
        RequestTemplate anonymous;
        anonymous.request.authority = "bookinfo.example.com";
        anonymous.request.target = "/productpage";
        anonymous.label = "anonymous";
        RequestTemplate signedIn = anonymous;
        signedIn.request.headers.emplace_back("end-user", "jason");
        signedIn.label = "jason";
        mix.add(anonymous);
        mix.add(signedIn);
        const SimulationResult r = simulate(c, requestsAt(4000, 100, 8), &mix);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(statusCount(r.report, 200), std::uint64_t(4000));
        // Half the requests are jason's and take 1 s; v2 calls ratings, v1 does not.
        QVERIFY(std::abs(r.report.latency.p90 - 1000.0) < 1.0);
        QVERIFY(std::abs(r.report.latency.mean - 500.0) < 30.0);
    }

    // A mirror sends a shadow of every request; its answers do not count.
    void mirrorsSendShadows() {
        const auto c = fromYaml(webConfig("  - route: [{destination: {host: web}}]\n"
                                          "    mirror: {host: shadow}\n    mirrorPercentage: {value: 100}\n",
                                          kOneReplica + R"(---
apiVersion: v1
kind: Service
metadata: {name: shadow, namespace: default}
spec:
  selector: {app: shadow}
  ports: [{name: http, port: 80}]
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: shadow, namespace: default}
spec:
  labels: {app: shadow}
  latency: {fixed: 5s}
)"));
        const SimulationResult r = simulate(c, requestsAt(1000, 100, 1));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.counters.shadows, std::uint64_t(1000));
        QCOMPARE(r.report.requests, std::uint64_t(1000));
        QCOMPARE(r.counters.attempts, std::uint64_t(2000));
        // The slow shadow holds nobody up.
        QCOMPARE(r.report.latency.max, 0.0);
        QVERIFY(r.simulatedSeconds > 14.0); // the last shadow answers 5 s after its request
    }

    // A CORS preflight from an allowed origin is answered by the gateway: no upstream attempt.
    void corsPreflightIsAnsweredByTheGateway() {
        const auto c = fromYaml(webConfig("  - route: [{destination: {host: web}}]\n"
                                          "    corsPolicy: {allowOrigins: [{exact: \"https://a.example\"}], "
                                          "allowMethods: [GET]}\n",
                                          kOneReplica + "  errors: {rate: 1.0, status: 503}\n"));
        RequestMix mix;
        RequestTemplate preflight;
        preflight.request.authority = "web.example.com";
        preflight.request.method = "OPTIONS";
        preflight.request.headers = {{"origin", "https://a.example"},
                                     {"access-control-request-method", "GET"}};
        mix.add(preflight);
        const SimulationResult r = simulate(c, requestsAt(100, 10, 1), &mix);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(statusCount(r.report, 200), std::uint64_t(100));
        QCOMPARE(r.counters.attempts, std::uint64_t(0));
    }

    // The same input and seed give the same report, byte for byte; another seed another one.
    void sameSeedSameReport() {
        const auto c = fromSamples({"canary"});
        const SimulationResult a = simulate(c, requestsAt(5000, 300, 42));
        const SimulationResult b = simulate(c, requestsAt(5000, 300, 42));
        const SimulationResult other = simulate(c, requestsAt(5000, 300, 43));
        QVERIFY(a.ok() && b.ok() && other.ok());
        QVERIFY(a.report == b.report);
        QCOMPARE(metrics::TrafficReportJson::write(a.report), metrics::TrafficReportJson::write(b.report));
        QVERIFY(!(a.report == other.report));
    }

    // A recording keeps its timing (offsets), authority, path and headers.
    void replayKeepsTheRecordedTiming() {
        const auto c = fromSamples({"faults"});
        Recording recording;
        for (int i = 0; i < 4; ++i) {
            RecordedRequest& q = recording.requests.emplace_back();
            q.offset = std::chrono::seconds(i * 5);
            q.method = "GET";
            q.authority = "ratings.example.com";
            q.path = "/ratings/1";
            if (i % 2 == 1)
                q.addHeader("End-User", "jason");
        }
        SimulationOptions o;
        o.seed = 1;
        const SimulationResult r = simulate(c, o, nullptr, &recording);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.report.requests, std::uint64_t(4));
        QCOMPARE(r.report.durationSeconds, 15.0); // first to last recorded request
        QVERIFY(!r.report.targetRate);
        QCOMPARE(flagCount(r.report, "DI"), std::uint64_t(2)); // jason's two, aborted or not
        QVERIFY(r.mix.empty());
        // Recorded at 0, 5, 10, 15 s; the last one is jason's: held 7 s by the fault delay.
        QVERIFY2(r.simulatedSeconds >= 22.0, std::to_string(r.simulatedSeconds).c_str());
    }
};

QTEST_GUILESS_MAIN(TrafficSimulatorTest)
#include "traffic_simulator_test.moc"
