// SPDX-License-Identifier: Apache-2.0
#pragma once

// Drives a real MetricsCollector in synthetic time for the live tests: samples are recorded into
// a shard, collected every 100 ms and handed to whoever watches (no clock, no sleeping).

#include "metrics/metrics_collector.h"

#include <chrono>
#include <functional>
#include <string>

namespace sluice::live::test {

using Clock = std::chrono::steady_clock;

/// One kind of request of the canary sample (canary/frontend rule 0 "frontend-split").
struct Canary {
    std::string subset = "stable";
    int code = 200;
    std::string flags;
    std::uint64_t micros = 1000;

    /// The sample, its cluster name kept in `cluster` (which must outlive it).
    [[nodiscard]] metrics::RequestSample sample(std::string& cluster) const {
        metrics::RequestSample s;
        s.virtualService = "canary/frontend";
        s.ruleIndex = 0;
        s.ruleName = "frontend-split";
        s.service = "frontend.canary.svc.cluster.local";
        s.port = 8080;
        s.subset = subset;
        cluster = "outbound|8080|" + subset + "|frontend.canary.svc.cluster.local";
        s.cluster = cluster;
        s.responseCode = code;
        s.responseFlags = flags;
        s.durationMicros = micros;
        return s;
    }
};

/// A collector with one shard, collecting at t0, t0 + 100 ms, ... The first collection (prime())
/// publishes an empty snapshot; a LiveHistory fed from it puts t0 - 1 s at its second 0, so the
/// k-th 100 ms interval after t0 (k = 1..) lands in second 1 + (k - 1) / 10.
class Feed {
public:
    using Sink = std::function<void(const metrics::MetricsSnapshotPtr&)>;

    explicit Feed(Sink sink)
        : m_sink(std::move(sink))
        , m_shard(m_collector.addShard())
        , m_now(Clock::now() + std::chrono::hours(1)) {}

    void prime() { m_sink(m_collector.collect(m_now)); }
    void record(const Canary& c, std::uint64_t times = 1) {
        std::string cluster;
        const metrics::RequestSample sample = c.sample(cluster);
        for (std::uint64_t i = 0; i < times; ++i)
            m_shard.record(sample);
    }
    /// Collects the next 100 ms interval.
    void tick() {
        m_now += std::chrono::milliseconds(100);
        m_sink(m_collector.collect(m_now));
    }
    /// `seconds` whole seconds of ticks, calling `each` before every tick.
    void run(int seconds, const std::function<void()>& each) {
        for (int i = 0; i < seconds * 10; ++i) {
            each();
            tick();
        }
    }
    [[nodiscard]] metrics::MetricsCollector& collector() { return m_collector; }

private:
    Sink m_sink;
    metrics::MetricsCollector m_collector;
    metrics::MetricsShard& m_shard;
    Clock::time_point m_now;
};

} // namespace sluice::live::test
