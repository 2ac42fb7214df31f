// SPDX-License-Identifier: Apache-2.0
// Choosing an attempt's endpoint: Envoy's previous_hosts predicate for retries (off for
// consistent hashing, as Istio configures it), and no endpoint when all are ejected.

#include "proxy/host_selector.h"

#include <QTest>

using namespace sluice::proxy;

namespace {

struct Cluster {
    explicit Cluster(LbPolicy lb, std::size_t n = 3, OutlierPolicy outlier = {}) {
        for (std::size_t i = 0; i < n; ++i)
            config.clusters["c"].push_back(
                {"127.0.0.1", static_cast<std::uint16_t>(41000 + i), "w-" + std::to_string(i)});
        config.policies["c"].lb = lb;
        config.policies["c"].outlier = outlier;
        set = std::make_unique<ClusterSet>(config);
        state = std::make_unique<UpstreamState>(*set);
    }
    std::optional<std::uint32_t> select(const TriedEndpoints& tried, std::optional<std::uint64_t> hash = {}) {
        return HostSelector::select(*set->find("c"), state->cluster(0), {hash, &tried}, rng, cursor, scratch);
    }
    ServingConfig config;
    std::unique_ptr<ClusterSet> set;
    std::unique_ptr<UpstreamState> state;
    sluice::routing::Rng rng{3};
    std::uint64_t cursor = 0;
    std::vector<std::uint32_t> scratch;
};

} // namespace

class HostSelectorTest : public QObject {
    Q_OBJECT

private slots:
    void retriesAvoidTriedEndpoints_data() {
        QTest::addColumn<int>("lb");
        QTest::newRow("random") << int(LbPolicy::Random);
        QTest::newRow("least request") << int(LbPolicy::LeastRequest);
        QTest::newRow("round robin") << int(LbPolicy::RoundRobin);
    }

    // With two of three endpoints tried, a retry lands on the third unless all six draws (the first
    // and 5 redraws) hit tried ones: 1 - (2/3)^6 = 91 % of the time for a random draw (vs 33 %
    // without the predicate), always for round robin.
    void retriesAvoidTriedEndpoints() {
        QFETCH(int, lb);
        Cluster c(static_cast<LbPolicy>(lb));
        TriedEndpoints tried;
        tried.add(0);
        tried.add(2);
        int third = 0;
        for (int i = 0; i < 200; ++i)
            third += c.select(tried) == std::optional<std::uint32_t>(1);
        QVERIFY2(third >= 160, qPrintable(QString::number(third)));
        if (lb == int(LbPolicy::RoundRobin))
            QCOMPARE(third, 200);
    }

    // Consistent hashing keeps a retry on its key's endpoint.
    void hashedRetriesStay() {
        Cluster c(LbPolicy::RingHash);
        TriedEndpoints none;
        const auto first = c.select(none, 42);
        TriedEndpoints tried;
        tried.add(*first);
        QCOMPARE(c.select(tried, 42), first);
    }

    void noEndpointWhenAllAreEjected() {
        OutlierPolicy o;
        o.enabled = true;
        o.consecutive5xx = 1;
        o.maxEjectionPercent = 100;
        Cluster c(LbPolicy::RoundRobin, 2, o);
        const auto now = std::chrono::steady_clock::now();
        c.state->cluster(0).outlier().report(0, 503, now);
        TriedEndpoints none;
        QCOMPARE(c.select(none), std::optional<std::uint32_t>(1));
        c.state->cluster(0).outlier().report(1, 503, now);
        QVERIFY(!c.select(none));
    }
};

QTEST_GUILESS_MAIN(HostSelectorTest)
#include "host_selector_test.moc"
