// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/metrics_snapshot.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

namespace sluice::live {

/// Requests of one metrics series over a window.
struct SeriesCount {
    const metrics::SeriesKey* key = nullptr; ///< owned by the SeriesWindow that answered
    std::uint64_t requests = 0;
};

/// Requests per metrics series (every label: route, cluster, replica, status, flags) over the
/// last few seconds, from the cumulative counts of successive snapshots: what the flow graph's
/// overlay shows as rates. Keeps one row of counts per second of the window (8 bytes a series),
/// never the snapshots themselves.
/// Threads: one owner.
class SeriesWindow {
public:
    using Clock = std::chrono::steady_clock;

    explicit SeriesWindow(std::chrono::seconds span = std::chrono::seconds(10));

    void ingest(const metrics::MetricsSnapshot& snapshot);
    void reset();

    /// Requests per series between the oldest kept sample and the newest snapshot (series without
    /// any left out), and the seconds between them (0 before two snapshots were seen).
    [[nodiscard]] std::vector<SeriesCount> counts() const;
    [[nodiscard]] double seconds() const;

private:
    struct Sample {
        Clock::time_point at;
        std::vector<std::uint64_t> requests; ///< by series id
    };

    [[nodiscard]] std::vector<std::uint64_t> row(const metrics::MetricsSnapshot& snapshot);

    std::chrono::seconds m_span;
    std::deque<metrics::SeriesKey> m_keys; ///< by series id (a deque: keys never move)
    std::unordered_map<metrics::SeriesKey, std::uint32_t, metrics::IdentityHash, metrics::IdentityEqual>
        m_ids;
    std::deque<Sample> m_samples; ///< one a second at most, oldest first
    Sample m_latest;
    bool m_haveLatest = false;
};

} // namespace sluice::live
