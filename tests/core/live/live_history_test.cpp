// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "live/live_history.h"
#include "live/weighted_rules.h"
#include "live_feed.h"
#include "routing/route_table.h"

#include <QTest>

using namespace sluice;
using namespace sluice::live;
using live::test::Canary;
using live::test::Feed;

namespace {

std::vector<WeightedRule> canaryRules() {
    const config::LoadResult loaded = config::loadPaths({SLUICE_SOURCE_DIR "/samples/canary"});
    return weightedRules(*routing::compile(loaded.resources));
}

const Canary kStable{"stable", 200, "", 1000};
const Canary kCanary{"canary", 200, "", 5000};

const DestinationId kStableId{"frontend.canary.svc.cluster.local", 8080, "stable"};
const DestinationId kCanaryId{"frontend.canary.svc.cluster.local", 8080, "canary"};

} // namespace

class LiveHistoryTest : public QObject {
    Q_OBJECT

private slots:
    void weightedRulesOfTheCanarySample() {
        const std::vector<WeightedRule> rules = canaryRules();
        QCOMPARE(rules.size(), std::size_t(1));
        QCOMPARE(rules[0].rule.label(), std::string("canary/frontend rule 0 (frontend-split)"));
        QCOMPARE(rules[0].targets.size(), std::size_t(2));
        QCOMPARE(rules[0].targets[0].host, std::string("frontend.canary.svc.cluster.local"));
        QCOMPARE(rules[0].targets[0].subset, std::string("stable"));
        QCOMPARE(rules[0].targets[0].port, std::uint32_t(8080));
        QCOMPARE(rules[0].targets[0].percent, 90.0);
        QCOMPARE(rules[0].targets[1].subset, std::string("canary"));
        QCOMPARE(rules[0].targets[1].percent, 10.0);
    }

    // Ten 100 ms snapshots make a second; each second is summarised once it closes.
    void secondsFillFromSnapshots() {
        LiveHistory history;
        history.setRules(canaryRules());
        Feed feed([&](const metrics::MetricsSnapshotPtr& s) { history.ingest(*s); });
        feed.prime();
        QCOMPARE(history.lastSecond(), std::int64_t(-1));
        feed.run(3, [&] {
            feed.record(kStable, 9);
            feed.record(kCanary, 1);
        });
        QCOMPARE(history.lastSecond(), std::int64_t(2)); // the third second is still open
        feed.tick();
        QCOMPARE(history.lastSecond(), std::int64_t(3));

        const LiveViewPtr view = history.view(60);
        QCOMPARE(view->firstSecond, std::int64_t(0));
        QCOMPARE(view->lastSecond, std::int64_t(3));
        QCOMPARE(view->points.size(), std::size_t(4));
        QCOMPARE(view->points[0].requests, std::uint64_t(0)); // the priming interval
        metrics::LatencyHistogram expected;                   // what one second held
        for (int i = 0; i < 90; ++i)
            expected.record(1000);
        for (int i = 0; i < 10; ++i)
            expected.record(5000);
        for (std::size_t i = 1; i < 4; ++i) {
            QCOMPARE(view->points[i].second, std::int64_t(i));
            QCOMPARE(view->points[i].requests, std::uint64_t(100));
            QCOMPARE(view->points[i].errors, std::uint64_t(0));
            QCOMPARE(view->points[i].p50, expected.quantile(0.5));
            QCOMPARE(view->points[i].p90, expected.quantile(0.9));
            QCOMPARE(view->points[i].p99, expected.quantile(0.99));
        }
        QCOMPARE(view->requests(), std::uint64_t(300));

        QCOMPARE(view->destinations.size(), std::size_t(2)); // sorted: canary before stable
        QCOMPARE(view->destinations[0], kCanaryId);
        QCOMPARE(view->destinations[1], kStableId);
        QCOMPARE(view->destinations[1].label(), std::string("frontend:8080 stable"));
        QCOMPARE(view->destinationRequests[0], (std::vector<std::uint64_t>{0, 10, 10, 10}));
        QCOMPARE(view->destinationRequests[1], (std::vector<std::uint64_t>{0, 90, 90, 90}));

        QCOMPARE(view->splits.size(), std::size_t(1));
        const RuleSplit& split = view->splits[0];
        QCOMPARE(split.requests, std::uint64_t(300));
        QCOMPARE(split.shares.size(), std::size_t(2));
        QCOMPARE(split.shares[0].destination, kStableId);
        QCOMPARE(split.shares[0].configuredPercent, 90.0);
        QCOMPARE(split.shares[0].observedPercent, 90.0);
        QCOMPARE(split.shares[0].requests, std::uint64_t(270));
        QCOMPARE(split.shares[1].destination, kCanaryId);
        QCOMPARE(split.shares[1].observedPercent, 10.0);

        QCOMPARE(view->rules.size(), std::size_t(1));
        const RuleRow& row = view->rules[0];
        QCOMPARE(row.rule.label(), std::string("canary/frontend rule 0 (frontend-split)"));
        QCOMPARE(row.requests, std::uint64_t(300));
        QCOMPARE(row.rps, 75.0); // 300 requests over the 4 seconds shown
        metrics::LatencyHistogram all;
        for (int i = 0; i < 3; ++i)
            QVERIFY(all.merge(expected));
        QCOMPARE(row.p50Micros, all.quantile(0.5));
        QCOMPARE(row.p99Micros, all.quantile(0.99));
        QCOMPARE(row.errors, std::uint64_t(0));
        QCOMPARE(row.errorPercent, 0.0);
        QVERIFY(view->statusCodes.empty());
        QVERIFY(view->flags.empty());
    }

    // A weighted rule without traffic still shows its configured split; a destination the
    // config does not name (sent before an edit) is listed after the configured ones.
    void splitsWithoutTrafficAndUnexpectedDestinations() {
        LiveHistory history;
        std::vector<WeightedRule> rules = canaryRules();
        rules[0].targets.pop_back(); // as if the config no longer named the canary
        history.setRules(rules);
        Feed feed([&](const metrics::MetricsSnapshotPtr& s) { history.ingest(*s); });
        feed.prime();
        const LiveViewPtr before = history.view(60); // nothing closed yet: configured only
        QCOMPARE(before->splits.size(), std::size_t(1));
        QCOMPARE(before->splits[0].requests, std::uint64_t(0));
        QCOMPARE(before->splits[0].shares.size(), std::size_t(1));
        QCOMPARE(before->splits[0].shares[0].configuredPercent, 90.0);
        QCOMPARE(before->splits[0].shares[0].observedPercent, 0.0);
        feed.run(2, [&] {
            feed.record(kStable, 3);
            feed.record(kCanary, 1);
        });
        const LiveViewPtr view = history.view(60);
        QCOMPARE(view->splits.size(), std::size_t(1));
        QCOMPARE(view->splits[0].shares.size(), std::size_t(2));
        QCOMPARE(view->splits[0].shares[0].observedPercent, 75.0);
        QCOMPARE(view->splits[0].shares[1].destination, kCanaryId);
        QCOMPARE(view->splits[0].shares[1].configuredPercent, 0.0);
        QCOMPARE(view->splits[0].shares[1].observedPercent, 25.0);
    }

    // Failures by status code (>= 400, 0 = no response) and by each response flag.
    void failuresByCodeAndFlag() {
        LiveHistory history;
        Feed feed([&](const metrics::MetricsSnapshotPtr& s) { history.ingest(*s); });
        feed.prime();
        feed.run(1, [&] {
            feed.record(kStable, 5);
            feed.record({"stable", 503, "UF,URX", 100}, 3);
            feed.record({"stable", 0, "UF", 100}, 1);
            feed.record({"stable", 404, "NR", 100}, 4);
            feed.record({"stable", 200, "URX", 100}, 2);
        });
        feed.tick();
        const LiveViewPtr view = history.view(60);
        QCOMPARE(view->requests(), std::uint64_t(150));
        QCOMPARE(view->statusCodes.size(), std::size_t(3));
        QCOMPARE(view->statusCodes[0].code, 404);
        QCOMPARE(view->statusCodes[0].requests, std::uint64_t(40));
        QCOMPARE(view->statusCodes[1].code, 503);
        QCOMPARE(view->statusCodes[1].requests, std::uint64_t(30));
        QCOMPARE(view->statusCodes[2].code, 0);
        QCOMPARE(view->statusCodes[2].requests, std::uint64_t(10));
        QCOMPARE(view->flags.size(), std::size_t(3));
        QCOMPARE(view->flags[0].flag, std::string("URX")); // 30 + 20
        QCOMPARE(view->flags[0].requests, std::uint64_t(50));
        QCOMPARE(view->flags[1].flag, std::string("NR"));
        QCOMPARE(view->flags[1].requests, std::uint64_t(40));
        QCOMPARE(view->flags[2].flag, std::string("UF"));
        QCOMPARE(view->flags[2].requests, std::uint64_t(40));
        QCOMPARE(view->rules[0].errors, std::uint64_t(40)); // 503 and no response
        QCOMPARE(view->rules[0].errorPercent, 40.0 / 150.0 * 100.0);
    }

    // The window takes the newest complete seconds; the history keeps 15 minutes.
    void windowsAndRetention() {
        LiveHistory history;
        Feed feed([&](const metrics::MetricsSnapshotPtr& s) { history.ingest(*s); });
        feed.prime();
        int second = 0;
        for (int s = 0; s < 1000; ++s, ++second)
            feed.run(1, [&] { feed.record(kStable, static_cast<std::uint64_t>(second % 7)); });
        QCOMPARE(history.lastSecond(), std::int64_t(999));
        const LiveViewPtr minute = history.view(60);
        QCOMPARE(minute->points.size(), std::size_t(60));
        QCOMPARE(minute->firstSecond, std::int64_t(940));
        QCOMPARE(minute->lastSecond, std::int64_t(999));
        // Second s (s >= 1) holds 10 x ((s - 1) % 7) requests.
        for (const metrics::TimeSeriesPoint& p : minute->points)
            QCOMPARE(p.requests, std::uint64_t(10 * ((p.second - 1) % 7)));
        const LiveViewPtr all = history.view(900);
        QCOMPARE(all->points.size(), std::size_t(900));
        QCOMPARE(all->firstSecond, std::int64_t(100));
        QCOMPARE(history.view(300)->points.size(), std::size_t(300));
        QCOMPARE(history.view(3600)->points.size(), std::size_t(900)); // no more than kept
    }

    // Memory stays flat over an hour of traffic once the retention is full.
    void memoryIsFlatOverAnHour() {
        LiveHistory history;
        Feed feed([&](const metrics::MetricsSnapshotPtr& s) { history.ingest(*s); });
        feed.prime();
        std::size_t atFifteenMinutes = 0;
        for (int s = 1; s <= 3600; ++s) {
            feed.record(kStable, 50);
            feed.record(kCanary, 5);
            feed.record({"stable", 503, "UF", 100}, 1);
            for (int k = 0; k < 10; ++k)
                feed.tick(); // 100 ms intervals, the traffic in the first of each second
            if (s == 1000)
                atFifteenMinutes = history.memoryBytes();
        }
        const std::size_t atAnHour = history.memoryBytes();
        QVERIFY2(atAnHour <= atFifteenMinutes + atFifteenMinutes / 20,
                 qPrintable(QStringLiteral("%1 -> %2").arg(atFifteenMinutes).arg(atAnHour)));
        QCOMPARE(history.view(900)->points.size(), std::size_t(900));
    }

    void pauseKeepsTheViewWhileRecordingGoesOn() {
        LiveHistory history;
        Feed feed([&](const metrics::MetricsSnapshotPtr& s) { history.ingest(*s); });
        feed.prime();
        feed.run(3, [&] { feed.record(kStable, 1); });
        QCOMPARE(history.lastSecond(), std::int64_t(2));
        history.pause();
        QVERIFY(history.paused());
        feed.run(5, [&] { feed.record(kStable, 2); });
        QCOMPARE(history.lastSecond(), std::int64_t(7));
        const LiveViewPtr paused = history.view(60);
        QVERIFY(paused->paused);
        QCOMPARE(paused->lastSecond, std::int64_t(2));
        QCOMPARE(paused->requests(), std::uint64_t(20));
        QCOMPARE(history.view(2)->firstSecond, std::int64_t(1)); // other windows still end there
        history.resume();
        const LiveViewPtr live = history.view(60);
        QVERIFY(!live->paused);
        QCOMPARE(live->lastSecond, std::int64_t(7));
        QCOMPARE(live->requests(), std::uint64_t(20 + 10 + 4 * 20)); // the third second, then four closed
    }

    void resetStartsAgain() {
        LiveHistory history;
        history.setRules(canaryRules());
        Feed feed([&](const metrics::MetricsSnapshotPtr& s) { history.ingest(*s); });
        feed.prime();
        feed.run(3, [&] { feed.record({"stable", 503, "UF", 100}, 1); });
        history.pause();
        history.reset();
        QVERIFY(!history.paused());
        QCOMPARE(history.lastSecond(), std::int64_t(-1));
        QCOMPARE(history.view(60)->points.size(), std::size_t(0));
        QCOMPARE(history.rules().size(), std::size_t(1)); // the config is kept
        feed.run(2, [&] { feed.record(kCanary, 1); });
        const LiveViewPtr view = history.view(60);
        // The first snapshot after the reset starts second 0 again (its interval leads into it).
        QCOMPARE(view->firstSecond, std::int64_t(0));
        QCOMPARE(view->lastSecond, std::int64_t(0));   // the second one is still open
        QCOMPARE(view->requests(), std::uint64_t(10)); // only what came after the reset
        QVERIFY(view->statusCodes.empty());
        QCOMPARE(view->destinations.size(), std::size_t(1));
        QCOMPARE(view->destinations[0], kCanaryId);
    }
};

QTEST_GUILESS_MAIN(LiveHistoryTest)
#include "live_history_test.moc"
