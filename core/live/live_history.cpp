// SPDX-License-Identifier: Apache-2.0
#include "live_history.h"

#include <algorithm>

namespace sluice::live {
namespace {

using metrics::TimeSeriesKey;

std::uint32_t clamp32(std::uint64_t n) {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(n, UINT32_MAX));
}

/// What the failure counts take: no response, a 4xx or 5xx, or any response flag.
bool isFailure(const metrics::SeriesKey& key) {
    return key.responseCode < 100 || key.responseCode >= 400 || !key.responseFlags.empty();
}

DestinationId destinationOf(const TimeSeriesKey& key) {
    return {key.service, key.port, key.subset};
}

RuleId ruleOf(const TimeSeriesKey& key) {
    if (key.virtualService.empty())
        return {};
    return {key.virtualService, key.ruleIndex, key.ruleName};
}

} // namespace

std::string DestinationId::label() const {
    if (service.empty())
        return "(no destination)";
    constexpr std::string_view kLocal = ".svc.cluster.local";
    std::string out = service.ends_with(kLocal) ? service.substr(0, service.find('.')) : service;
    if (port)
        out += ":" + std::to_string(port);
    if (!subset.empty())
        out += " " + subset;
    return out;
}

std::string RuleId::label() const {
    if (virtualService.empty())
        return "(no route)";
    std::string out = virtualService + " rule " + std::to_string(ruleIndex);
    if (!ruleName.empty())
        out += " (" + ruleName + ")";
    return out;
}

std::uint64_t LiveView::requests() const {
    std::uint64_t n = 0;
    for (const metrics::TimeSeriesPoint& p : points)
        n += p.requests;
    return n;
}

void LiveHistory::ingest(const metrics::MetricsSnapshot& snapshot) {
    const auto interval = std::chrono::duration_cast<Clock::duration>(snapshot.interval);
    const Clock::time_point midpoint = snapshot.at - interval / 2;
    if (!m_series) {
        const Clock::duration lead = std::min<Clock::duration>(interval, std::chrono::seconds(1));
        metrics::RollingTimeSeries::Options options;
        options.seconds = kRetentionSeconds;
        m_series = std::make_unique<metrics::RollingTimeSeries>(snapshot.at - lead, options);
    }
    const std::int64_t before = m_series->openSecond();
    m_series->ingest(snapshot);
    const std::int64_t open = m_series->openSecond();
    if (open > before)
        closeSeconds(before, open);
    if (m_series->secondOf(midpoint) != open)
        return; // late: the rolling series dropped it too
    for (const metrics::SeriesStats& s : snapshot.series)
        if (s.intervalRequests && s.key->ingress() && isFailure(*s.key))
            m_openFailures[failureKind(s.key->responseCode, s.key->responseFlags)] +=
                clamp32(s.intervalRequests);
}

void LiveHistory::closeSeconds(std::int64_t from, std::int64_t to) {
    m_closed = m_series->snapshot();
    const std::int64_t begin = std::max(from, to - static_cast<std::int64_t>(kRetentionSeconds));
    if (begin > from)
        m_digests.clear(); // a gap longer than the retention: nothing before it is kept
    for (std::int64_t second = begin; second < to; ++second) {
        Digest d = digest(second, *m_closed);
        if (second == from)
            for (const auto& [kind, requests] : m_openFailures)
                d.failures.push_back({kind, requests});
        m_digests.push_back(std::move(d));
    }
    m_openFailures.clear();
    while (m_digests.size() > kRetentionSeconds)
        m_digests.pop_front();
}

LiveHistory::Digest LiveHistory::digest(std::int64_t second, const metrics::TimeSeriesSnapshot& snapshot) {
    Digest d;
    metrics::TimeSeriesPoint& p = d.point;
    p.second = second;
    const metrics::SecondBucket* bucket = snapshot.bucket(second);
    if (!bucket)
        return d;
    if (m_scratch.precision() != snapshot.precision())
        m_scratch = metrics::LatencyHistogram(snapshot.precision());
    m_scratch.clear();
    for (const metrics::SecondBucket::Entry& e : bucket->entries()) {
        const metrics::StatusClassCounts classes = e.statusClasses();
        for (std::size_t i = 0; i < metrics::kStatusClasses; ++i)
            p.classes[i] += classes[i];
        static_cast<void>(bucket->mergeLatency(e, m_scratch)); // same precision: cannot refuse
        d.keys.push_back({e.key, clamp32(e.requests()), clamp32(metrics::errorsOf(classes))});
    }
    p.requests = metrics::requestsOf(p.classes);
    p.errors = metrics::errorsOf(p.classes);
    p.setLatency(m_scratch);
    return d;
}

std::uint32_t LiveHistory::failureKind(int code, const std::string& flags) {
    for (std::size_t i = 0; i < m_failureKinds.size(); ++i)
        if (m_failureKinds[i].code == code && m_failureKinds[i].flags == flags)
            return static_cast<std::uint32_t>(i);
    if (m_failureKinds.size() >= kMaxFailureKinds) {
        // Past the limit every new kind is counted as "no response, flag (other)".
        const FailureKind other{0, "(other)"};
        for (std::size_t i = 0; i < m_failureKinds.size(); ++i)
            if (m_failureKinds[i].code == other.code && m_failureKinds[i].flags == other.flags)
                return static_cast<std::uint32_t>(i);
        m_failureKinds.push_back(other);
        return static_cast<std::uint32_t>(m_failureKinds.size() - 1);
    }
    m_failureKinds.push_back({code, flags});
    return static_cast<std::uint32_t>(m_failureKinds.size() - 1);
}

void LiveHistory::reset() {
    m_series.reset();
    m_closed.reset();
    m_digests.clear();
    m_openFailures.clear();
    m_failureKinds.clear();
    m_pausedAt.reset();
}

void LiveHistory::pause() {
    if (!m_pausedAt)
        m_pausedAt = lastSecond();
}

void LiveHistory::resume() {
    m_pausedAt.reset();
}

std::int64_t LiveHistory::lastSecond() const {
    return m_digests.empty() ? -1 : m_digests.back().point.second;
}

LiveViewPtr LiveHistory::view(std::size_t windowSeconds) const {
    auto view = std::make_shared<LiveView>();
    view->windowSeconds = windowSeconds;
    view->paused = paused();
    if (m_digests.empty() || windowSeconds == 0) {
        fillSplits(*view, 1, 0); // the configured splits, nothing observed yet
        return view;
    }
    const std::int64_t oldest = m_digests.front().point.second;
    const std::int64_t end = m_pausedAt ? std::min(*m_pausedAt, lastSecond()) : lastSecond();
    if (end < oldest) {
        fillSplits(*view, 1, 0);
        return view;
    }
    const std::int64_t begin = std::max(oldest, end - static_cast<std::int64_t>(windowSeconds) + 1);
    view->firstSecond = begin;
    view->lastSecond = end;
    const auto first = static_cast<std::size_t>(begin - oldest);
    const auto last = static_cast<std::size_t>(end - oldest);
    const std::size_t n = last - first + 1;

    std::map<DestinationId, std::vector<std::uint64_t>> perDestination;
    const std::vector<TimeSeriesKey>& keys = m_closed->keys();
    for (std::size_t i = first; i <= last; ++i) {
        view->points.push_back(m_digests[i].point);
        for (const KeyCount& k : m_digests[i].keys) {
            auto& row = perDestination[destinationOf(keys[k.key])];
            row.resize(n);
            row[i - first] += k.requests;
        }
    }
    for (auto& [destination, requests] : perDestination) {
        view->destinations.push_back(destination);
        view->destinationRequests.push_back(std::move(requests));
    }
    fillRules(*view, first, last);
    fillSplits(*view, first, last);
    fillFailures(*view, first, last);
    return view;
}

void LiveHistory::fillRules(LiveView& view, std::size_t first, std::size_t last) const {
    struct Totals {
        std::uint64_t requests = 0;
        std::uint64_t errors = 0;
        metrics::LatencyHistogram latency;
    };
    const std::vector<TimeSeriesKey>& keys = m_closed->keys();
    std::map<RuleId, Totals> rules;
    std::vector<Totals*> byKey(keys.size(), nullptr);
    for (std::size_t i = first; i <= last; ++i)
        for (const KeyCount& k : m_digests[i].keys) {
            if (!byKey[k.key]) {
                auto [it, added] = rules.try_emplace(ruleOf(keys[k.key]));
                if (added)
                    it->second.latency = metrics::LatencyHistogram(m_closed->precision());
                byKey[k.key] = &it->second;
            }
            byKey[k.key]->requests += k.requests;
            byKey[k.key]->errors += k.errors;
        }
    for (std::size_t i = first; i <= last; ++i)
        if (const metrics::SecondBucket* bucket = m_closed->bucket(m_digests[i].point.second))
            for (const metrics::SecondBucket::Entry& e : bucket->entries())
                if (e.key < byKey.size() && byKey[e.key])
                    static_cast<void>(bucket->mergeLatency(e, byKey[e.key]->latency));
    const double seconds = static_cast<double>(view.seconds());
    for (auto& [rule, totals] : rules) {
        RuleRow& row = view.rules.emplace_back();
        row.rule = rule;
        row.requests = totals.requests;
        row.rps = seconds > 0 ? static_cast<double>(totals.requests) / seconds : 0.0;
        row.p50Micros = totals.latency.quantile(0.5);
        row.p99Micros = totals.latency.quantile(0.99);
        row.errors = totals.errors;
        row.errorPercent = totals.requests ? 100.0 * static_cast<double>(totals.errors) /
                                                 static_cast<double>(totals.requests)
                                           : 0.0;
    }
}

void LiveHistory::fillSplits(LiveView& view, std::size_t first, std::size_t last) const {
    // Observed requests per (VirtualService, rule index) and destination.
    std::map<std::pair<std::string, int>, std::map<DestinationId, std::uint64_t>> observed;
    static const std::vector<TimeSeriesKey> kNone;
    const std::vector<TimeSeriesKey>& keys = m_closed ? m_closed->keys() : kNone;
    for (std::size_t i = first; i <= last && i < m_digests.size(); ++i)
        for (const KeyCount& k : m_digests[i].keys) {
            const TimeSeriesKey& key = keys[k.key];
            observed[{key.virtualService, key.ruleIndex}][destinationOf(key)] += k.requests;
        }
    for (const WeightedRule& rule : m_rules) {
        RuleSplit& split = view.splits.emplace_back();
        split.rule = rule.rule;
        std::map<DestinationId, std::uint64_t> seen;
        if (const auto it = observed.find({rule.rule.virtualService, rule.rule.ruleIndex});
            it != observed.end())
            seen = it->second;
        for (const auto& [destination, requests] : seen)
            split.requests += requests;
        for (const traffic::WeightedTarget& t : rule.targets) {
            DestinationId id{t.host, t.port, t.subset};
            const auto it = seen.find(id);
            const std::uint64_t requests = it == seen.end() ? 0 : it->second;
            if (it != seen.end())
                seen.erase(it);
            split.shares.push_back({std::move(id), t.percent, 0.0, requests});
        }
        for (const auto& [destination, requests] : seen) // sent where the config no longer says
            split.shares.push_back({destination, 0.0, 0.0, requests});
        for (SplitShare& share : split.shares)
            share.observedPercent = split.requests ? 100.0 * static_cast<double>(share.requests) /
                                                         static_cast<double>(split.requests)
                                                   : 0.0;
    }
}

void LiveHistory::fillFailures(LiveView& view, std::size_t first, std::size_t last) const {
    std::map<int, std::uint64_t> codes;
    std::map<std::string, std::uint64_t> flags;
    for (std::size_t i = first; i <= last; ++i)
        for (const FailureCount& f : m_digests[i].failures) {
            const FailureKind& kind = m_failureKinds[f.kind];
            if (kind.code < 100 || kind.code >= 400)
                codes[kind.code] += f.requests;
            std::string_view rest = kind.flags;
            while (!rest.empty()) {
                const std::size_t comma = rest.find(',');
                const std::string_view flag = rest.substr(0, comma);
                if (!flag.empty() && flag != "-")
                    flags[std::string(flag)] += f.requests;
                rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            }
        }
    for (const auto& [code, requests] : codes)
        view.statusCodes.push_back({code, requests});
    for (const auto& [flag, requests] : flags)
        view.flags.push_back({flag, requests});
    std::stable_sort(view.statusCodes.begin(), view.statusCodes.end(),
                     [](const CodeCount& a, const CodeCount& b) { return a.requests > b.requests; });
    std::stable_sort(view.flags.begin(), view.flags.end(),
                     [](const FlagCount& a, const FlagCount& b) { return a.requests > b.requests; });
}

std::size_t LiveHistory::memoryBytes() const {
    std::size_t bytes = sizeof(*this) + (m_series ? m_series->memoryBytes() : 0);
    for (const Digest& d : m_digests)
        bytes += sizeof(Digest) + d.keys.capacity() * sizeof(KeyCount) +
                 d.failures.capacity() * sizeof(FailureCount);
    for (const FailureKind& k : m_failureKinds)
        bytes += sizeof(FailureKind) + k.flags.capacity();
    return bytes;
}

} // namespace sluice::live
