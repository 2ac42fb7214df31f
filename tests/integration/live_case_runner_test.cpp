// SPDX-License-Identifier: Apache-2.0
// `sluice test --live` cases run against the real proxy: what passes, and that each kind of
// expectation can fail.

#include "cli/live_case_runner.h"
#include "routing/route_test_file.h"

#include <QTest>

using namespace sluice;
using Result = routing::RouteTestOutcome::Result;

namespace {

const std::string kConfig = R"(  config: |
    apiVersion: networking.istio.io/v1
    kind: Gateway
    metadata: {name: gw, namespace: istio-system}
    spec:
      selector: {istio: ingressgateway}
      servers:
      - port: {number: 80, name: http, protocol: HTTP}
        hosts: ["app.test"]
    ---
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: {name: app}
    spec:
      hosts: ["app.test"]
      gateways: ["istio-system/gw"]
      http:
      - match: [{uri: {prefix: /old}}]
        rewrite: {uri: /new}
        headers:
          request: {set: {x-canary: "true"}}
          response: {add: {x-served-by: sluice}}
        route:
        - destination: {host: app, port: {number: 80}}
      - match: [{uri: {prefix: /split}}]
        route:
        - destination: {host: app, port: {number: 80}}
          weight: 50
        - destination: {host: other, port: {number: 80}}
          weight: 50
      - route:
        - destination: {host: flaky, port: {number: 80}}
        retries: {attempts: 2, retryOn: 5xx}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: app}
    spec: {selector: {app: app}, ports: [{name: http, port: 80}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: other}
    spec: {selector: {app: other}, ports: [{name: http, port: 80}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: flaky}
    spec: {selector: {app: flaky}, ports: [{name: http, port: 80}]}
)";

/// Runs the one test in `testYaml` (indented as a list item of `tests:`) with kConfig.
routing::RouteTestOutcome runLive(const std::string& testYaml) {
    const std::string text = "tests:\n" + testYaml + kConfig;
    const routing::RouteTestFile file = routing::parseRouteTests("inline.yaml", text);
    if (!file.errors.empty() || file.cases.size() != 1)
        qFatal("bad test file: %s", file.errors.empty() ? "no case" : file.errors.front().c_str());
    const routing::RouteTestCase& test = file.cases.front();
    config::LoadResult loaded;
    config::loadText("inline-config.yaml", *test.inlineConfig, loaded);
    const routing::RouteTablePtr table = routing::compile(loaded.resources);
    return cli::LiveCaseRunner(loaded, table).run(test);
}

QString failures(const routing::RouteTestOutcome& o) {
    QString all;
    for (const auto& f : o.failures)
        all += QString::fromStdString(f) + QStringLiteral("; ");
    return all;
}

} // namespace

class LiveCaseRunnerTest : public QObject {
    Q_OBJECT

private slots:
    // A rewritten, header-modified request: checked on the replica's echo and the response.
    void rewriteAndHeadersPass() {
        const auto o = runLive(R"(- name: rewrite
  live: true
  request: {port: 80, host: app.test, path: "/old/x?q=1"}
  expect:
    status: 200
    cluster: outbound|80||app.default.svc.cluster.local
    destination: {host: app.default.svc.cluster.local, port: 80, subset: null}
    responseFlag: null
    upstreamPath: /new/x?q=1
    upstreamHeaders: {x-canary: "true", host: app.test}
    responseHeaders: {x-served-by: sluice}
    rule: default/app#0
)");
        QVERIFY2(o.result == Result::Passed, qPrintable(failures(o)));
        QVERIFY(o.rulesReached.contains({"default/app", 0}));
    }

    // Every kind of expectation reports when the live answer differs.
    void wrongExpectationsFail() {
        const auto o = runLive(R"(- name: wrong
  live: true
  request: {port: 80, host: app.test, path: /old/x}
  expect:
    status: 404
    cluster: outbound|80||other.default.svc.cluster.local
    responseFlag: NR
    upstreamPath: /old/x
    upstreamHeaders: {x-canary: "false"}
    responseHeaders: {x-served-by: nobody}
    minLatencyMs: 5000
    rule: default/app#1
)");
        QCOMPARE(o.result, Result::Failed);
        const QString text = failures(o);
        for (const char* part : {"expected status 404, got 200", "expected cluster", "expected responseFlag",
                                 "expected upstreamPath \"/old/x\", the replica got \"/new/x\"",
                                 "expected upstream header x-canary", "expected response header x-served-by",
                                 "at least 5000 ms", "expected rule"})
            QVERIFY2(text.contains(QLatin1String(part)),
                     qPrintable(QLatin1String(part) + QStringLiteral(" not in: ") + text));
    }

    // Scripted backends: a sequence the retry policy works through, seen as the attempt count.
    void scriptedBackendsAndAttempts() {
        const auto o = runLive(R"(- name: retries
  live: true
  backends:
    flaky: {sequence: [503, 503, 200]}
  request: {port: 80, host: app.test, path: /}
  expect: {status: 200, upstreamAttempts: 3, cluster: outbound|80||flaky.default.svc.cluster.local}
)");
        QVERIFY2(o.result == Result::Passed, qPrintable(failures(o)));
        const auto exhausted = runLive(R"(- name: exhausted
  live: true
  backends:
    flaky: {status: 503}
  request: {port: 80, host: app.test, path: /}
  expect: {status: 503, responseFlag: URX}
)");
        QVERIFY2(exhausted.result == Result::Passed, qPrintable(failures(exhausted)));
    }

    // A weighted split measured over real requests, within tolerance; a wrong split fails.
    void distribution() {
        const std::string split = R"(- name: split
  live: true
  request: {port: 80, host: app.test, path: /split, repeat: 200}
  expect:
    status: 200
    tolerance: 0.15
    distribution:
)";
        const auto o = runLive(split + "      outbound|80||app.default.svc.cluster.local: 0.5\n"
                                       "      outbound|80||other.default.svc.cluster.local: 0.5\n");
        QVERIFY2(o.result == Result::Passed, qPrintable(failures(o)));
        const auto wrong = runLive(split + "      outbound|80||app.default.svc.cluster.local: 0.9\n"
                                           "      outbound|80||other.default.svc.cluster.local: 0.1\n");
        QCOMPARE(wrong.result, Result::Failed);
    }

    // A Gateway port nothing listens on refuses the connection; unknown backends are an error.
    void refusedPortAndUnknownBackend() {
        const auto refused = runLive(R"(- name: refused
  live: true
  request: {port: 8443, host: app.test, path: /}
  expect: {status: conn_refused}
)");
        QVERIFY2(refused.result == Result::Passed, qPrintable(failures(refused)));
        const auto unknown = runLive(R"(- name: unknown
  live: true
  backends:
    nosuch: {status: 500}
  request: {port: 80, host: app.test, path: /}
  expect: {status: 200}
)");
        QCOMPARE(unknown.result, Result::Failed);
        QVERIFY(failures(unknown).contains(QStringLiteral("\"nosuch\" is no Service")));
    }
};

QTEST_GUILESS_MAIN(LiveCaseRunnerTest)
#include "live_case_runner_test.moc"
