// SPDX-License-Identifier: Apache-2.0
#include "metrics/metrics_shard.h"

#include <QTest>

using namespace sluice::metrics;

namespace {

RequestSample sample(int code, std::string_view replica = "reviews-v1-1") {
    RequestSample s;
    s.virtualService = "default/reviews";
    s.ruleIndex = 0;
    s.service = "reviews.default.svc.cluster.local";
    s.port = 9080;
    s.cluster = "outbound|9080||reviews.default.svc.cluster.local";
    s.replica = replica;
    s.workload = "reviews-v1";
    s.responseCode = code;
    s.durationMicros = 1500;
    s.upstreamMicros = 1000;
    s.bytesSent = 100;
    return s;
}

std::uint64_t requestsOf(const ShardDelta& d, std::uint32_t slot) {
    return slot < d.series->size() ? (*d.series)[slot].requests : 0;
}

} // namespace

class MetricsShardTest : public QObject {
    Q_OBJECT

private slots:
    // A drain hands over what was recorded since the previous one, with the keys of new series
    // once; the next drain starts from zero.
    void drainHandsOverTheDelta() {
        MetricsShard shard;
        shard.record(sample(200));
        shard.record(sample(200));
        shard.record(sample(503));
        ShardDelta d = shard.drain();
        QCOMPARE(d.newSeries->size(), std::size_t(2));
        QCOMPARE((*d.newSeries)[0].second.responseCode, 200);
        QCOMPARE((*d.newSeries)[0].second.replica, std::string("reviews-v1-1"));
        QCOMPARE((*d.newSeries)[1].second.responseCode, 503);
        QCOMPARE(requestsOf(d, 0), std::uint64_t(2));
        QCOMPARE(requestsOf(d, 1), std::uint64_t(1));
        QCOMPARE((*d.series)[0].bytesSent, std::uint64_t(200));
        QCOMPARE((*d.series)[0].upstream.count(), std::uint64_t(2));
        shard.finishDrain();

        shard.record(sample(503));
        d = shard.drain();
        QVERIFY(d.newSeries->empty()); // known series: no key again
        QCOMPARE(requestsOf(d, 0), std::uint64_t(0));
        QCOMPARE(requestsOf(d, 1), std::uint64_t(1));
        shard.finishDrain();

        d = shard.drain(); // the first buffer again: cleared by its finishDrain
        QCOMPARE(requestsOf(d, 0), std::uint64_t(0));
        QCOMPARE(requestsOf(d, 1), std::uint64_t(0));
        shard.finishDrain();
    }

    // Series differ by every identity field, not only by status.
    void identityFieldsSeparateSeries() {
        MetricsShard shard;
        RequestSample a = sample(200);
        RequestSample b = a;
        b.replica = "reviews-v1-2";
        RequestSample c = a;
        c.responseFlags = "URX";
        RequestSample d = a;
        d.ruleIndex = 1;
        for (const auto& s : {a, b, c, d, a})
            shard.record(s);
        const ShardDelta delta = shard.drain();
        QCOMPARE(delta.newSeries->size(), std::size_t(4));
        QCOMPARE(requestsOf(delta, 0), std::uint64_t(2));
        shard.finishDrain();
    }

    // The calling workload is part of a series: the gateway's requests (no source) and each
    // caller's calls to the same route, cluster and replica count apart, and keep their source.
    void sourceWorkloadSeparatesSeries() {
        MetricsShard shard;
        const RequestSample ingress = sample(200);
        RequestSample fromV2 = ingress;
        fromV2.sourceWorkload = "reviews-v2";
        fromV2.sourceNamespace = "default";
        fromV2.sourceApp = "reviews";
        fromV2.sourceVersion = "v2";
        RequestSample fromV3 = fromV2; // same length as reviews-v2: only the last byte differs
        fromV3.sourceWorkload = "reviews-v3";
        RequestSample otherNamespace = fromV2;
        otherNamespace.sourceNamespace = "prod";
        for (const auto& s : {ingress, fromV2, fromV3, fromV2, otherNamespace, ingress, fromV3})
            shard.record(s);
        const ShardDelta d = shard.drain();
        QCOMPARE(d.newSeries->size(), std::size_t(4));
        const auto& keys = *d.newSeries;
        QVERIFY(keys[0].second.ingress());
        QCOMPARE(keys[1].second.sourceWorkload, std::string("reviews-v2"));
        QCOMPARE(keys[1].second.sourceNamespace, std::string("default"));
        QCOMPARE(keys[1].second.sourceApp, std::string("reviews"));
        QCOMPARE(keys[1].second.sourceVersion, std::string("v2"));
        QVERIFY(!keys[1].second.ingress());
        QCOMPARE(keys[2].second.sourceWorkload, std::string("reviews-v3"));
        QCOMPARE(keys[3].second.sourceNamespace, std::string("prod"));
        QCOMPARE(requestsOf(d, 0), std::uint64_t(2));
        QCOMPARE(requestsOf(d, 1), std::uint64_t(2));
        QCOMPARE(requestsOf(d, 2), std::uint64_t(2));
        QCOMPARE(requestsOf(d, 3), std::uint64_t(1));
        shard.finishDrain();
    }

    // Label sets that differ only in the middle of a value (same lengths, same endings: the
    // shape the shard's lookup shortcut keys on) are still told apart, interleaved or not.
    void lookalikeLabelSetsStayApart() {
        MetricsShard shard;
        RequestSample v1 = sample(200);
        v1.cluster = "outbound|9080|v1|reviews.default.svc.cluster.local";
        RequestSample v2 = v1;
        v2.cluster = "outbound|9080|v2|reviews.default.svc.cluster.local";
        for (int i = 0; i < 3; ++i) {
            shard.record(v1);
            shard.record(v2);
            shard.record(v2);
        }
        const EndpointIdentity e1{"outbound|80|v1|a.default.svc.cluster.local", "a-1", "127.0.0.1", 4000};
        const EndpointIdentity e2{"outbound|80|v2|a.default.svc.cluster.local", "a-1", "127.0.0.1", 4000};
        for (int i = 0; i < 3; ++i) {
            (void)shard.attemptStarted(e1);
            (void)shard.attemptStarted(e2);
        }
        const ShardDelta d = shard.drain();
        QCOMPARE(d.newSeries->size(), std::size_t(2));
        QCOMPARE((*d.newSeries)[0].second.cluster, std::string(v1.cluster));
        QCOMPARE(requestsOf(d, 0), std::uint64_t(3));
        QCOMPARE(requestsOf(d, 1), std::uint64_t(6));
        QCOMPARE(d.newEndpoints->size(), std::size_t(2));
        QCOMPARE((*d.endpoints)[0].started, std::uint64_t(3));
        QCOMPARE((*d.endpoints)[1].started, std::uint64_t(3));
        shard.finishDrain();
    }

    // Past the series limit, new label sets share one overflow series instead of growing.
    void seriesAreBounded() {
        MetricsShard shard;
        std::vector<std::string> names;
        for (std::size_t i = 0; i < MetricsShard::kMaxSeries + 10; ++i)
            names.push_back("replica-" + std::to_string(i));
        for (const auto& name : names)
            shard.record(sample(200, name));
        const ShardDelta d = shard.drain();
        QCOMPARE(d.newSeries->size(), MetricsShard::kMaxSeries + 1);
        QCOMPARE(d.newSeries->back().second.virtualService, std::string("(series limit)"));
        QCOMPARE(requestsOf(d, static_cast<std::uint32_t>(MetricsShard::kMaxSeries)), std::uint64_t(10));
        shard.finishDrain();
    }

    // Endpoint attempts: started, then success or error.
    void endpointAttempts() {
        MetricsShard shard;
        const EndpointIdentity e{"outbound|80||a.default.svc.cluster.local", "a-1", "127.0.0.1", 4000};
        const auto slot = shard.attemptStarted(e);
        shard.attemptEnded(slot, true);
        shard.attemptEnded(shard.attemptStarted(e), false);
        (void)shard.attemptStarted(e); // still in flight
        const ShardDelta d = shard.drain();
        QCOMPARE(d.newEndpoints->size(), std::size_t(1));
        QCOMPARE((*d.endpoints)[0].started, std::uint64_t(3));
        QCOMPARE((*d.endpoints)[0].success, std::uint64_t(1));
        QCOMPARE((*d.endpoints)[0].error, std::uint64_t(1));
        shard.finishDrain();
    }
};

QTEST_GUILESS_MAIN(MetricsShardTest)
#include "metrics_shard_test.moc"
