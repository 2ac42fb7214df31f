// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live_view.h"
#include "metrics/metrics_snapshot.h"
#include "metrics/rolling_time_series.h"
#include "weighted_rules.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::live {

/// What the live dashboard watches: the proxy's MetricsSnapshots (10 a second) folded into
/// per-second history for the last 15 minutes, and the answers for a window of it (view()):
/// requests per second per destination, latency percentiles per second, observed vs configured
/// split per weighted rule, failures by status code and response flag, a per-rule table.
///
/// Time: a RollingTimeSeries (per route and destination, with per-second latency histograms)
/// started at the first snapshot after construction or reset(); a snapshot's interval belongs to
/// the second holding its midpoint. When a second closes it is summarised once (a digest: totals,
/// percentiles, per-key and per-failure counts), so view() costs the window's digests, not its
/// histograms, apart from the per-rule percentiles. Only complete seconds are shown: the view
/// changes once a second (lastSecond()), however often snapshots arrive.
///
/// Memory: bounded by the retention (900 s): the rolling series' buckets, one digest per second
/// (a few dozen bytes per key and per failure kind with traffic that second), at most
/// kMaxFailureKinds distinct (status, flags) pairs. Flat however long traffic runs.
///
/// Pause: view() keeps answering for the second the pause began while ingest() goes on; resume()
/// returns to the newest second. reset(): forgets everything; the next snapshot starts again.
///
/// Threads: not thread-safe; one owner (the Studio's GUI thread) calls everything. Views are
/// immutable and may be read anywhere.
class LiveHistory {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t kRetentionSeconds = 900;
    static constexpr std::size_t kMaxFailureKinds = 256;

    LiveHistory() = default;

    /// Adds what `snapshot`'s interval added (intervalRequests, intervalDuration per series).
    void ingest(const metrics::MetricsSnapshot& snapshot);
    /// The weighted rules of the config being served (weightedRules()), for the splits.
    void setRules(std::vector<WeightedRule> rules) { m_rules = std::move(rules); }
    [[nodiscard]] const std::vector<WeightedRule>& rules() const { return m_rules; }

    void reset();
    void pause();
    void resume();
    [[nodiscard]] bool paused() const { return m_pausedAt.has_value(); }

    /// The last `windowSeconds` complete seconds (ending where the pause began, when paused).
    [[nodiscard]] LiveViewPtr view(std::size_t windowSeconds) const;
    /// The newest complete second (-1 before the first one closes); a view changes when it does.
    [[nodiscard]] std::int64_t lastSecond() const;
    /// Approximate bytes held.
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    struct KeyCount {
        std::uint32_t key = 0; ///< the rolling series' key id
        std::uint32_t requests = 0;
        std::uint32_t errors = 0;
    };
    struct FailureCount {
        std::uint32_t kind = 0; ///< index in m_failureKinds
        std::uint32_t requests = 0;
    };
    struct Digest {
        metrics::TimeSeriesPoint point;
        std::vector<KeyCount> keys;
        std::vector<FailureCount> failures;
    };
    struct FailureKind {
        int code = 0;
        std::string flags;
    };

    void closeSeconds(std::int64_t from, std::int64_t to);
    [[nodiscard]] Digest digest(std::int64_t second, const metrics::TimeSeriesSnapshot& snapshot);
    [[nodiscard]] std::uint32_t failureKind(int code, const std::string& flags);
    void fillRules(LiveView& view, std::size_t first, std::size_t last) const;
    /// Digests [first, last] (none when last < first: the configured splits alone).
    void fillSplits(LiveView& view, std::size_t first, std::size_t last) const;
    void fillFailures(LiveView& view, std::size_t first, std::size_t last) const;

    std::unique_ptr<metrics::RollingTimeSeries> m_series;
    metrics::TimeSeriesSnapshotPtr m_closed;               ///< the series as of the last closed second
    std::deque<Digest> m_digests;                          ///< closed seconds, oldest first, contiguous
    std::map<std::uint32_t, std::uint32_t> m_openFailures; ///< kind -> requests in the open second
    std::vector<FailureKind> m_failureKinds;
    std::vector<WeightedRule> m_rules;
    std::optional<std::int64_t> m_pausedAt;
    metrics::LatencyHistogram m_scratch;
};

} // namespace sluice::live
