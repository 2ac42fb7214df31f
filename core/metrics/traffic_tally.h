// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "latency_histogram.h"
#include "traffic_report.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::metrics {

/// One finished request as the load generator, replay or the simulator saw it. Views the caller
/// owns for the duration of the call.
struct TrafficOutcome {
    int status = 0;                 ///< 0: no response (connect failure, reset, client timeout)
    std::string_view responseFlags; ///< Envoy's "UF,URX"; empty or "-": none
    std::string_view destination;   ///< service host (or workload identity); empty: unknown
    std::string_view subset;
    std::uint64_t latencyMicros = 0; ///< from the intended send time (no coordinated omission)
};

/// The configured weight of one destination, percent (Istio's route weights).
struct DestinationWeight {
    std::string destination;
    std::string subset;
    double percent = 0;
};

/// Counts outcomes toward a TrafficReport: status codes, response flags, destinations and a
/// latency histogram (three significant digits by default). One per worker; merge() at the end.
/// record() allocates only the first time it meets a destination or flag, and on the first
/// sample; otherwise a few increments, a short flag scan and a map lookup by views.
/// Not thread-safe.
class TrafficTally {
public:
    explicit TrafficTally(HistogramPrecision precision = HistogramPrecision::threeDigits());

    void record(const TrafficOutcome& outcome);
    /// Adds `other`'s counts. False (and nothing changed) when its histogram is coarser.
    [[nodiscard]] bool merge(const TrafficTally& other);
    void clear();

    [[nodiscard]] std::uint64_t requests() const { return m_requests; }
    [[nodiscard]] std::uint64_t errors() const { return m_errors; }
    [[nodiscard]] const LatencyHistogram& latency() const { return m_latency; }

    /// The report: `durationSeconds` of traffic (rate = requests / duration; 0 when the duration
    /// is not positive), weights matched by destination and subset (the last of duplicates wins;
    /// a weighted destination that received nothing gets a row of 0 requests).
    [[nodiscard]] TrafficReport report(double durationSeconds, bool simulated,
                                       std::optional<double> targetRate = std::nullopt,
                                       std::span<const DestinationWeight> weights = {}) const;

private:
    using DestinationKey = std::pair<std::string, std::string>;
    /// Orders owned keys and views alike, so lookups need no allocation.
    struct DestinationLess {
        using is_transparent = void;
        using View = std::pair<std::string_view, std::string_view>;
        static View view(const DestinationKey& k) { return {k.first, k.second}; }
        static const View& view(const View& v) { return v; }
        template <class A, class B> bool operator()(const A& a, const B& b) const {
            return view(a) < view(b);
        }
    };

    static constexpr std::size_t kCodes = 1000; ///< 0..999; others count as 0

    std::array<std::uint64_t, kCodes> m_codes{};
    std::vector<std::pair<std::string, std::uint64_t>> m_flags;
    std::map<DestinationKey, std::uint64_t, DestinationLess> m_destinations;
    std::uint64_t m_unattributed = 0;
    std::uint64_t m_requests = 0;
    std::uint64_t m_errors = 0;
    LatencyHistogram m_latency;
};

} // namespace sluice::metrics
