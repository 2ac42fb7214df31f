// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics_shard.h"
#include "metrics_snapshot.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace sluice::metrics {

/// The metrics hub: owns one MetricsShard per proxy worker, merges them every interval (100 ms by
/// default) into an immutable MetricsSnapshot and hands it to its readers. Workers never wait for
/// it; readers never see a snapshot change under them.
///
/// Threads: addShard() before the workers record; collect(), snapshot(), subscribe() from any
/// thread. Subscribers are called on the thread that collected (the collector's own thread once
/// start()ed) and must return quickly (post the snapshot to their own thread).
class MetricsCollector {
public:
    using Clock = std::chrono::steady_clock;
    using Subscriber = std::function<void(const MetricsSnapshotPtr&)>;

    explicit MetricsCollector(std::chrono::milliseconds interval = std::chrono::milliseconds(100));
    ~MetricsCollector(); ///< stops the thread
    MetricsCollector(const MetricsCollector&) = delete;
    MetricsCollector& operator=(const MetricsCollector&) = delete;

    /// A new shard for one worker; it lives as long as the collector.
    MetricsShard& addShard();
    /// Collects every interval on a thread of its own until stop() (or destruction).
    void start();
    void stop();

    /// Merges what the shards recorded since the last collection and publishes the snapshot.
    MetricsSnapshotPtr collect(Clock::time_point now = Clock::now());
    /// The latest published snapshot (an empty one before the first collection).
    [[nodiscard]] MetricsSnapshotPtr snapshot() const;

    /// Calls `subscriber` with every snapshot published from now on. Returns an id for unsubscribe().
    std::uint64_t subscribe(Subscriber subscriber);
    void unsubscribe(std::uint64_t id);

    [[nodiscard]] std::chrono::milliseconds interval() const { return m_interval; }

private:
    struct Series {
        std::shared_ptr<const SeriesKey> key;
        SeriesCounters totals;
        LatencyHistogram interval; ///< durations of the current interval
        std::uint64_t intervalRequests = 0;
        HistogramPtr published[2]; ///< last published copies of the totals' duration histograms
    };
    struct Endpoint {
        EndpointKey key;
        EndpointCounters totals;
    };

    void mergeShard(std::size_t index);
    void run();

    const std::chrono::milliseconds m_interval;
    std::mutex m_collectMutex; ///< one collection at a time; guards everything below it
    std::vector<std::unique_ptr<MetricsShard>> m_shards;
    std::vector<std::vector<std::uint32_t>> m_seriesSlots;   ///< per shard: slot -> m_series index
    std::vector<std::vector<std::uint32_t>> m_endpointSlots; ///< per shard: slot -> m_endpoints index
    std::vector<Series> m_series;
    std::vector<Endpoint> m_endpoints;
    /// Views into the series' own (shared, never freed) keys: the labels are stored once.
    std::unordered_map<SeriesIdentity, std::uint32_t, IdentityHash, IdentityEqual> m_seriesIndex;
    std::unordered_map<EndpointKey, std::uint32_t, IdentityHash, IdentityEqual> m_endpointIndex;
    std::uint64_t m_sequence = 0;
    Clock::time_point m_last;

    mutable std::mutex m_publishMutex; ///< guards the two below
    MetricsSnapshotPtr m_latest;
    std::vector<std::pair<std::uint64_t, Subscriber>> m_subscribers;
    std::uint64_t m_nextSubscriber = 1;

    std::mutex m_runMutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace sluice::metrics
