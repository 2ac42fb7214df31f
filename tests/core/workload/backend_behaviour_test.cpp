// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "workload/backend_behaviour.h"

#include <algorithm>
#include <vector>

#include <QTest>

using namespace std::chrono_literals;
using sluice::routing::Rng;
using sluice::workload::BackendBehaviour;
using sluice::workload::LatencySampler;

namespace {

sluice::model::WorkloadSpec specOf(const std::string& yaml) {
    sluice::config::LoadResult r;
    sluice::config::loadText(
        "w.yaml", "apiVersion: sluice.dev/v1\nkind: Workload\nmetadata:\n  name: w\nspec:\n" + yaml, r);
    if (r.resources.workloads.size() != 1 || !r.diagnostics.empty())
        qFatal("workload did not load");
    return r.resources.workloads[0].spec;
}

double percentileOf(std::vector<std::int64_t> v, double q) {
    std::sort(v.begin(), v.end());
    return double(v[static_cast<std::size_t>(q * double(v.size() - 1))]);
}

} // namespace

class BackendBehaviourTest : public QObject {
    Q_OBJECT

private slots:
    // The log-normal fit reproduces the p50 and p99 the user wrote (within sampling noise).
    void latencyFollowsTheGivenPercentiles() {
        const BackendBehaviour b = BackendBehaviour::fromSpec(specOf("  latency: {p50: 20ms, p99: 150ms}\n"));
        Rng rng(1);
        std::vector<std::int64_t> samples;
        for (int i = 0; i < 200'000; ++i)
            samples.push_back(b.next(rng, std::uint64_t(i)).delay.count());
        const double p50 = percentileOf(samples, 0.50);
        const double p99 = percentileOf(samples, 0.99);
        QVERIFY2(std::abs(p50 - 20'000) < 20'000 * 0.02, qPrintable(QString::number(p50)));
        QVERIFY2(std::abs(p99 - 150'000) < 150'000 * 0.04, qPrintable(QString::number(p99)));
        QVERIFY(*std::min_element(samples.begin(), samples.end()) > 0);
    }

    void fixedAndDegenerateLatencies() {
        Rng rng(2);
        QCOMPARE(BackendBehaviour::fromSpec(specOf("  latency: {fixed: 3s}\n")).next(rng, 0).delay,
                 std::chrono::microseconds(3s));
        QCOMPARE(BackendBehaviour::fromSpec(specOf("  latency: {p50: 5ms}\n")).next(rng, 0).delay,
                 std::chrono::microseconds(5ms));
        QCOMPARE(BackendBehaviour::fromSpec(specOf("  replicas: 1\n")).next(rng, 0).delay, 0us);
        // p99 under p50 is no distribution: it answers at the larger value rather than inventing one.
        QCOMPARE(LatencySampler::fromPercentiles(10ms, 1ms).sample(rng), std::chrono::microseconds(10ms));
    }

    void errorRateAndStatus() {
        const BackendBehaviour b =
            BackendBehaviour::fromSpec(specOf("  errors: {rate: 0.25, status: 500}\n"));
        Rng rng(3);
        int errors = 0, ok = 0;
        for (int i = 0; i < 40'000; ++i) {
            const int status = b.next(rng, std::uint64_t(i)).status;
            QVERIFY(status == 200 || status == 500);
            (status == 500 ? errors : ok)++;
        }
        QVERIFY2(std::abs(errors / 40'000.0 - 0.25) < 0.01, qPrintable(QString::number(errors)));
        // Without a status, errors are 503 (what an overloaded backend answers).
        const BackendBehaviour always = BackendBehaviour::fromSpec(specOf("  errors: {rate: 1}\n"));
        QCOMPARE(always.next(rng, 0).status, 503);
    }

    // A scripted sequence cycles per served request and wins over the error rate.
    void sequenceCyclesAndWins() {
        const BackendBehaviour b = BackendBehaviour::fromSpec(
            specOf("  sequence: [503, 503, 200]\n  errors: {rate: 1, status: 500}\n  responseBytes: 1200\n"));
        Rng rng(4);
        std::vector<int> got;
        for (std::uint64_t i = 0; i < 7; ++i)
            got.push_back(b.next(rng, i).status);
        QCOMPARE(got, (std::vector<int>{503, 503, 200, 503, 503, 200, 503}));
        QCOMPARE(b.next(rng, 0).bodyBytes, std::optional<std::uint64_t>(1200));
    }
};

QTEST_GUILESS_MAIN(BackendBehaviourTest)
#include "backend_behaviour_test.moc"
