// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "arrival_process.h"
#include "event_queue.h"
#include "routing/rng.h"

#include <cstdint>
#include <optional>
#include <span>

namespace sluice::traffic {

/// When requests arrive, in simulated time: open-loop at a rate (constant or Poisson), or at the
/// offsets of a recording. Stops at a request count or at the end of a time window, whichever
/// comes first. Arrival times never drift: the k-th constant arrival is at k/rate exactly (to
/// the nanosecond), not a sum of rounded gaps.
class ArrivalSchedule {
public:
    /// Arrivals at `rate` per second (> 0) until `maxRequests` have arrived or `window` has passed.
    [[nodiscard]] static ArrivalSchedule atRate(ArrivalProcess process, double rate,
                                                std::uint64_t maxRequests, SimTime window = kNever);
    /// Arrivals at `offsets` (ascending, nanoseconds from the first), at most `maxRequests` of them
    /// and none at or after `window`. The offsets must outlive the schedule.
    [[nodiscard]] static ArrivalSchedule recorded(std::span<const SimTime> offsets, std::uint64_t maxRequests,
                                                  SimTime window = kNever);

    /// The time of the next arrival, nullopt when there is none left. Poisson draws from `rng`.
    [[nodiscard]] std::optional<SimTime> next(routing::Rng& rng);
    /// How many arrivals next() has given.
    [[nodiscard]] std::uint64_t count() const { return m_count; }
    /// The arrival window once the schedule is exhausted: its time limit when that ended it, else
    /// when the next arrival would have come (rate) or the last offset (recording). The time a
    /// report divides the request count by.
    [[nodiscard]] SimTime windowEnd() const { return m_windowEnd; }

private:
    ArrivalSchedule() = default;
    [[nodiscard]] SimTime rateTime(std::uint64_t k, routing::Rng& rng);

    ArrivalProcess m_process = ArrivalProcess::Constant;
    double m_periodNanos = 0; ///< 1e9 / rate
    std::span<const SimTime> m_offsets;
    bool m_recorded = false;
    std::uint64_t m_max = 0;
    SimTime m_window = kNever;
    std::uint64_t m_count = 0;
    double m_poissonAt = 0;           ///< running sum of exponential gaps, ns
    std::optional<SimTime> m_pending; ///< the next arrival, computed one ahead
    bool m_started = false;
    SimTime m_windowEnd = 0;
};

} // namespace sluice::traffic
