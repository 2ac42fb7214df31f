// SPDX-License-Identifier: Apache-2.0
// Each balancer over many picks: shares, least-request preference, consistent-hash stickiness,
// what ring hash and Maglev move when an endpoint goes away, and how ejected endpoints are skipped.

#include "proxy/least_request_balancer.h"
#include "proxy/maglev_table.h"
#include "proxy/random_balancer.h"
#include "proxy/ring_hash_balancer.h"
#include "proxy/round_robin_balancer.h"

#include <cstdlib>
#include <map>
#include <set>
#include <vector>

#include <QTest>

using namespace sluice::proxy;
using sluice::routing::Rng;

namespace {

std::vector<std::string> keys(std::size_t n, std::uint16_t firstPort = 40000) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back("127.0.0.1:" + std::to_string(firstPort + i));
    return out;
}

/// How many of `picks` choices land on each endpoint.
std::map<std::uint32_t, int> tally(const LoadBalancer& lb, const HostCandidates& hosts, int picks,
                                   const std::atomic<std::uint32_t>* active = nullptr, bool hashed = false) {
    Rng rng(7);
    std::uint64_t cursor = 0;
    std::map<std::uint32_t, int> out;
    for (int i = 0; i < picks; ++i) {
        std::optional<std::uint64_t> hash;
        if (hashed)
            hash = stableHash64("user-" + std::to_string(i));
        PickContext ctx{hosts, hash, 0, rng, cursor, active};
        ++out[lb.choose(ctx)];
    }
    return out;
}

std::uint32_t pickFor(const LoadBalancer& lb, const HostCandidates& hosts, const std::string& key) {
    Rng rng(1);
    std::uint64_t cursor = 0;
    PickContext ctx{hosts, stableHash64(key), 0, rng, cursor, nullptr};
    return lb.choose(ctx);
}

} // namespace

class LoadBalancerTest : public QObject {
    Q_OBJECT

private slots:
    void shareEvenly_data() {
        QTest::addColumn<int>("policy");
        QTest::addColumn<double>("tolerance"); // of the even share, as a fraction
        QTest::newRow("round robin") << int(LbPolicy::RoundRobin) << 0.0;
        QTest::newRow("random") << int(LbPolicy::Random) << 0.05;
        QTest::newRow("least request, idle endpoints") << int(LbPolicy::LeastRequest) << 0.05;
        QTest::newRow("ring hash, 1024 points") << int(LbPolicy::RingHash) << 0.25;
        QTest::newRow("maglev") << int(LbPolicy::Maglev) << 0.05;
    }

    // 4 endpoints, 40 000 picks (distinct keys for the hashing ones): each gets about a quarter.
    void shareEvenly() {
        QFETCH(int, policy);
        QFETCH(double, tolerance);
        ClusterPolicy p;
        p.lb = static_cast<LbPolicy>(policy);
        const LoadBalancerPtr lb = makeLoadBalancer(p, keys(4));
        const std::atomic<std::uint32_t> idle[4]{};
        const auto counts = tally(*lb, HostCandidates::every(4), 40000, idle, p.hashed());
        QCOMPARE(counts.size(), std::size_t(4));
        for (const auto& [endpoint, n] : counts)
            QVERIFY2(std::abs(n - 10000) <= 10000 * tolerance,
                     qPrintable(QStringLiteral("endpoint %1 got %2").arg(endpoint).arg(n)));
    }

    // Round robin walks the candidates in order from the worker's cursor.
    void roundRobinCycles() {
        const RoundRobinBalancer lb;
        Rng rng;
        std::uint64_t cursor = 5;
        const auto hosts = HostCandidates::every(3);
        std::vector<std::uint32_t> seen;
        for (int i = 0; i < 6; ++i) {
            PickContext ctx{hosts, std::nullopt, 0, rng, cursor, nullptr};
            seen.push_back(lb.choose(ctx));
        }
        QCOMPARE(seen, (std::vector<std::uint32_t>{2, 0, 1, 2, 0, 1}));
    }

    // Two random choices, the less loaded wins: a busy endpoint gets only what two draws of it
    // leave it (1/16 with 4 endpoints), an idle one most of the rest.
    void leastRequestAvoidsTheBusyEndpoint() {
        const LeastRequestBalancer lb;
        std::atomic<std::uint32_t> active[4]{};
        active[0] = 50;
        active[1] = 5;
        active[2] = 5;
        active[3] = 0;
        const auto counts = tally(lb, HostCandidates::every(4), 16000, active);
        QVERIFY2(counts.at(0) < 16000 / 16 + 200, qPrintable(QString::number(counts.at(0))));
        QVERIFY(counts.at(3) > counts.at(1) && counts.at(3) > counts.at(2));
        QVERIFY2(counts.at(3) > 16000 * 0.4, qPrintable(QString::number(counts.at(3))));
    }

    void consistentHashSticks_data() {
        QTest::addColumn<int>("policy");
        QTest::newRow("ring hash") << int(LbPolicy::RingHash);
        QTest::newRow("maglev") << int(LbPolicy::Maglev);
    }

    // The same key always lands on the same endpoint, across workers and rebuilt tables.
    void consistentHashSticks() {
        QFETCH(int, policy);
        ClusterPolicy p;
        p.lb = static_cast<LbPolicy>(policy);
        const LoadBalancerPtr a = makeLoadBalancer(p, keys(5));
        const LoadBalancerPtr b = makeLoadBalancer(p, keys(5));
        const auto hosts = HostCandidates::every(5);
        for (int i = 0; i < 200; ++i) {
            const std::string key = "session-" + std::to_string(i);
            const std::uint32_t first = pickFor(*a, hosts, key);
            QCOMPARE(pickFor(*a, hosts, key), first);
            QCOMPARE(pickFor(*b, hosts, key), first);
        }
    }

    void removalMovesLittle_data() {
        QTest::addColumn<int>("policy");
        QTest::addColumn<double>("minimumKept"); // of the keys whose endpoint stays
        QTest::newRow("ring hash") << int(LbPolicy::RingHash) << 0.75;
        QTest::newRow("maglev") << int(LbPolicy::Maglev) << 0.90;
    }

    // Endpoint 2 of 5 goes away (a new config version): its keys move to the others, and most
    // keys of the other endpoints stay where they were.
    void removalMovesLittle() {
        QFETCH(int, policy);
        QFETCH(double, minimumKept);
        ClusterPolicy p;
        p.lb = static_cast<LbPolicy>(policy);
        std::vector<std::string> before = keys(5);
        std::vector<std::string> after = before;
        after.erase(after.begin() + 2);
        const LoadBalancerPtr full = makeLoadBalancer(p, before);
        const LoadBalancerPtr less = makeLoadBalancer(p, after);
        int stayed = 0, others = 0;
        for (int i = 0; i < 5000; ++i) {
            const std::string key = "k" + std::to_string(i);
            const std::string& was = before[pickFor(*full, HostCandidates::every(5), key)];
            const std::string& now = after[pickFor(*less, HostCandidates::every(4), key)];
            QVERIFY(now != before[2]);
            if (was == before[2])
                continue;
            ++others;
            stayed += was == now;
        }
        QVERIFY2(stayed >= others * minimumKept,
                 qPrintable(QStringLiteral("%1 of %2 kept").arg(stayed).arg(others)));
    }

    void ejectedEndpointsAreSkipped_data() {
        QTest::addColumn<int>("policy");
        QTest::newRow("round robin") << int(LbPolicy::RoundRobin);
        QTest::newRow("random") << int(LbPolicy::Random);
        QTest::newRow("least request") << int(LbPolicy::LeastRequest);
        QTest::newRow("ring hash") << int(LbPolicy::RingHash);
        QTest::newRow("maglev") << int(LbPolicy::Maglev);
    }

    // Only healthy candidates are picked; a hash whose endpoint is out goes to a healthy one.
    void ejectedEndpointsAreSkipped() {
        QFETCH(int, policy);
        ClusterPolicy p;
        p.lb = static_cast<LbPolicy>(policy);
        const LoadBalancerPtr lb = makeLoadBalancer(p, keys(4));
        const std::vector<std::uint32_t> healthy{0, 3};
        const HostCandidates hosts{4, healthy, false};
        const std::atomic<std::uint32_t> idle[4]{};
        const auto counts = tally(*lb, hosts, 2000, idle, p.hashed());
        QCOMPARE(counts.count(1) + counts.count(2), std::size_t(0));
        QVERIFY(counts.at(0) > 0 && counts.at(3) > 0);
    }

    // A retry's attempt moves a hashed pick to another point (Envoy's ring and Maglev behaviour).
    void attemptsMoveHashedPicks() {
        const RingHashBalancer ring(keys(3), 1024);
        Rng rng;
        std::uint64_t cursor = 0;
        const auto hosts = HostCandidates::every(3);
        std::set<std::uint32_t> reached;
        for (std::uint32_t attempt = 0; attempt < 64; ++attempt) {
            PickContext ctx{hosts, stableHash64("sticky"), attempt, rng, cursor, nullptr};
            reached.insert(ring.choose(ctx));
        }
        QVERIFY(reached.size() >= 2);
    }

    void tablesHaveTheirSize() {
        QCOMPARE(RingHashBalancer(keys(3), 1024).size(), std::size_t(342 * 3)); // ceil(1024 / 3) each
        QCOMPARE(MaglevTable(keys(3), 0).size(), std::size_t(65537));
        QCOMPARE(MaglevTable(keys(3), 100).size(), std::size_t(101)); // the next prime up
    }
};

QTEST_GUILESS_MAIN(LoadBalancerTest)
#include "load_balancer_test.moc"
