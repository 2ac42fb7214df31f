// SPDX-License-Identifier: Apache-2.0
#include "traffic_tally.h"

#include "time_series_key.h"

#include <algorithm>
#include <tuple>

namespace sluice::metrics {

TrafficTally::TrafficTally(HistogramPrecision precision)
    : m_latency(precision) {}

void TrafficTally::record(const TrafficOutcome& o) {
    ++m_requests;
    const bool validCode = o.status >= 0 && o.status < static_cast<int>(kCodes);
    ++m_codes[validCode ? static_cast<std::size_t>(o.status) : 0];
    if (isError(o.status))
        ++m_errors;
    m_latency.record(o.latencyMicros);

    // Envoy writes "-" for no flag and a comma-separated list otherwise.
    std::string_view flags = o.responseFlags == "-" ? std::string_view{} : o.responseFlags;
    while (!flags.empty()) {
        const std::size_t comma = flags.find(',');
        const std::string_view flag = flags.substr(0, comma);
        flags = comma == std::string_view::npos ? std::string_view{} : flags.substr(comma + 1);
        if (flag.empty())
            continue;
        auto it = m_flags.begin();
        while (it != m_flags.end() && it->first != flag)
            ++it;
        if (it == m_flags.end())
            m_flags.emplace_back(std::string(flag), 1);
        else
            ++it->second;
    }

    if (o.destination.empty()) {
        ++m_unattributed;
        return;
    }
    const DestinationLess::View key{o.destination, o.subset};
    if (const auto it = m_destinations.find(key); it != m_destinations.end())
        ++it->second;
    else
        m_destinations.emplace(DestinationKey(o.destination, o.subset), 1);
}

bool TrafficTally::merge(const TrafficTally& other) {
    if (!m_latency.merge(other.m_latency))
        return false;
    for (std::size_t i = 0; i < kCodes; ++i)
        m_codes[i] += other.m_codes[i];
    for (const auto& [flag, count] : other.m_flags) {
        auto it = m_flags.begin();
        while (it != m_flags.end() && it->first != flag)
            ++it;
        if (it == m_flags.end())
            m_flags.emplace_back(flag, count);
        else
            it->second += count;
    }
    for (const auto& [key, count] : other.m_destinations)
        m_destinations[key] += count;
    m_unattributed += other.m_unattributed;
    m_requests += other.m_requests;
    m_errors += other.m_errors;
    return true;
}

void TrafficTally::clear() {
    m_codes.fill(0);
    m_flags.clear();
    m_destinations.clear();
    m_unattributed = m_requests = m_errors = 0;
    m_latency.clear();
}

TrafficReport TrafficTally::report(double durationSeconds, bool simulated, std::optional<double> targetRate,
                                   std::span<const DestinationWeight> weights) const {
    TrafficReport r;
    r.simulated = simulated;
    r.requests = m_requests;
    r.errors = m_errors;
    r.unattributed = m_unattributed;
    r.durationSeconds = durationSeconds > 0 ? durationSeconds : 0;
    r.rate = durationSeconds > 0 ? static_cast<double>(m_requests) / durationSeconds : 0;
    r.targetRate = targetRate;
    for (std::size_t i = 0; i < kCodes; ++i)
        if (m_codes[i])
            r.statusCodes.emplace(static_cast<int>(i), m_codes[i]);
    for (const auto& [flag, count] : m_flags)
        r.responseFlags.emplace(flag, count);
    r.latency = LatencySummary::of(m_latency);
    const std::uint64_t attributed = m_requests - m_unattributed;
    for (const auto& [key, count] : m_destinations) {
        DestinationSplit& d = r.destinations.emplace_back();
        d.destination = key.first;
        d.subset = key.second;
        d.requests = count;
        d.share = attributed ? 100.0 * static_cast<double>(count) / static_cast<double>(attributed) : 0;
        for (const DestinationWeight& w : weights)
            if (w.destination == key.first && w.subset == key.second)
                d.weight = w.percent;
    }
    // A configured destination that received nothing is worth a row of its own.
    for (const DestinationWeight& w : weights) {
        const bool listed =
            std::any_of(r.destinations.begin(), r.destinations.end(), [&w](const DestinationSplit& d) {
                return d.destination == w.destination && d.subset == w.subset;
            });
        if (listed)
            continue;
        DestinationSplit& d = r.destinations.emplace_back();
        d.destination = w.destination;
        d.subset = w.subset;
        d.weight = w.percent;
    }
    std::sort(r.destinations.begin(), r.destinations.end(),
              [](const DestinationSplit& a, const DestinationSplit& b) {
                  return std::tie(a.destination, a.subset) < std::tie(b.destination, b.subset);
              });
    return r;
}

} // namespace sluice::metrics
