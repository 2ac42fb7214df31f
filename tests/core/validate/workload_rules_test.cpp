// SPDX-License-Identifier: Apache-2.0
#include "rule_test_support.h"
#include "validate/rules.h"

#include <QTest>

using sluice::model::Level;

namespace {

/// A Workload named `w`; `rest` starts at line 5 (usually with `spec:`).
std::string workload(const char* rest) {
    return std::string("apiVersion: sluice.dev/v1\nkind: Workload\nmetadata:\n  name: w\n") + rest;
}

} // namespace

class WorkloadRulesTest : public QObject {
    Q_OBJECT

private slots:
    void rules_data() {
        sluice::test::addRuleColumns();
        const QString invalid = QStringLiteral("SLU0201"), ineffective = QStringLiteral("SLU0202"), none;

        QTest::newRow("valid: the ARCHITECTURE.md example") << workload(R"(spec:
  labels: {app: reviews, version: v2}
  replicas: 2
  latency: {p50: 20ms, p99: 150ms}
  errors: {rate: 0.02, status: 503}
  sequence: [503, 200]
  responseBytes: 1200
  calls:
  - {service: ratings, port: 9080, path: /ratings/0, propagate: [end-user, x-request-id]}
)") << none << Level::Error << 0 << QString();
        QTest::newRow("valid: a real local process")
            << workload("spec:\n  labels: {app: web}\n  endpoint: 127.0.0.1:9081\n") << none << Level::Error
            << 0 << QString();
        QTest::newRow("valid: endpoint by name")
            << workload("spec:\n  endpoint: web.local:3000\n") << none << Level::Error << 0 << QString();
        QTest::newRow("valid: behaviour for a Deployment's pods")
            << workload("spec:\n  deployment: reviews-v2\n  latency: {fixed: 5ms}\n  calls:\n"
                        "  - {service: ratings, port: 9080, path: /ratings/0}\n")
            << none << Level::Error << 0 << QString();
        QTest::newRow("deployment with labels")
            << workload("spec:\n  deployment: reviews-v2\n  labels: {app: reviews}\n") << invalid
            << Level::Error << 7 << "the Deployment's pod labels apply";
        QTest::newRow("deployment with replicas")
            << workload("spec:\n  deployment: reviews-v2\n  replicas: 3\n") << invalid << Level::Error << 7
            << "the Deployment's replicas apply";
        QTest::newRow("deployment with an endpoint")
            << workload("spec:\n  deployment: reviews-v2\n  endpoint: 127.0.0.1:9081\n") << invalid
            << Level::Error << 7 << "endpoint forwards to a real process";
        QTest::newRow("negative replicas") << workload("spec:\n  replicas: -1\n") << invalid << Level::Error
                                           << 6 << "replicas must not be negative";
        QTest::newRow("p99 under p50")
            << workload("spec:\n  latency:\n    p50: 20ms\n    p99: 5ms\n") << invalid << Level::Error << 8
            << "latency.p99 (5ms) is below p50 (20ms)";
        QTest::newRow("fixed and a distribution")
            << workload("spec:\n  latency:\n    fixed: 1s\n    p50: 20ms\n    p99: 50ms\n") << invalid
            << Level::Error << 7 << "latency.fixed excludes p50 and p99";
        QTest::newRow("one percentile") << workload("spec:\n  latency:\n    p99: 150ms\n") << ineffective
                                        << Level::Warning << 7 << "every request takes 150ms";
        QTest::newRow("error rate as a percentage")
            << workload("spec:\n  errors:\n    rate: 2\n") << invalid << Level::Error << 7
            << "errors.rate is a fraction from 0 to 1";
        QTest::newRow("error status out of range") << workload("spec:\n  errors: {rate: 0.1, status: 999}\n")
                                                   << invalid << Level::Error << 6 << "errors.status 999";
        QTest::newRow("sequence status out of range")
            << workload("spec:\n  sequence:\n  - 200\n  - 42\n") << invalid << Level::Error << 8
            << "42 is not an HTTP status";
        QTest::newRow("endpoint without port") << workload("spec:\n  endpoint: 127.0.0.1\n") << invalid
                                               << Level::Error << 6 << "is not host:port";
        QTest::newRow("endpoint port zero") << workload("spec:\n  endpoint: localhost:0\n") << invalid
                                            << Level::Error << 6 << "is not host:port";
        QTest::newRow("endpoint with simulation settings")
            << workload("spec:\n  latency: {fixed: 5ms}\n  endpoint: 127.0.0.1:9081\n") << ineffective
            << Level::Warning << 7 << "the real process answers";
        QTest::newRow("call without service") << workload("spec:\n  calls:\n  - port: 9080\n") << invalid
                                              << Level::Error << 7 << "needs the service it calls";
        QTest::newRow("call without port") << workload("spec:\n  calls:\n  - service: ratings\n") << invalid
                                           << Level::Error << 7 << "needs the Service port";
        QTest::newRow("call port out of range")
            << workload("spec:\n  calls:\n  - service: ratings\n    port: 70000\n") << invalid << Level::Error
            << 8 << "70000";
        QTest::newRow("call path without slash")
            << workload("spec:\n  calls:\n  - service: ratings\n    port: 9080\n    path: ratings/0\n")
            << invalid << Level::Error << 9 << "must start with /";
    }

    void rules() {
        sluice::test::checkRuleRow(
            [](const sluice::model::ResourceSet& r) -> const auto& { return r.workloads; },
            sluice::validate::checkWorkloadSchema);
    }
};

QTEST_GUILESS_MAIN(WorkloadRulesTest)
#include "workload_rules_test.moc"
