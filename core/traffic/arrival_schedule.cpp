// SPDX-License-Identifier: Apache-2.0
#include "arrival_schedule.h"

#include <algorithm>
#include <cmath>

namespace sluice::traffic {
namespace {

/// Beyond this a time no longer fits SimTime: the schedule ends there.
constexpr double kLastRepresentable = 9.2e18;

} // namespace

ArrivalSchedule ArrivalSchedule::atRate(ArrivalProcess process, double rate, std::uint64_t maxRequests,
                                        SimTime window) {
    ArrivalSchedule s;
    s.m_process = process;
    s.m_periodNanos = rate > 0 ? 1e9 / rate : kLastRepresentable;
    s.m_max = maxRequests;
    s.m_window = window;
    return s;
}

ArrivalSchedule ArrivalSchedule::recorded(std::span<const SimTime> offsets, std::uint64_t maxRequests,
                                          SimTime window) {
    ArrivalSchedule s;
    s.m_recorded = true;
    s.m_offsets = offsets;
    s.m_max = std::min<std::uint64_t>(maxRequests, offsets.size());
    s.m_window = window;
    return s;
}

SimTime ArrivalSchedule::rateTime(std::uint64_t k, routing::Rng& rng) {
    double at = 0;
    if (m_process == ArrivalProcess::Constant) {
        at = static_cast<double>(k) * m_periodNanos;
    } else {
        m_poissonAt += exponentialGap(rng, m_periodNanos);
        at = m_poissonAt;
    }
    return at >= kLastRepresentable ? kNever : static_cast<SimTime>(std::llround(at));
}

std::optional<SimTime> ArrivalSchedule::next(routing::Rng& rng) {
    // The arrival after the one returned is computed at once: when it is past a limit, the
    // window ends where the schedule says.
    const auto compute = [&](std::uint64_t k) -> std::optional<SimTime> {
        if (m_recorded && k >= m_max) {
            m_windowEnd = k == 0 ? 0 : std::min(m_offsets[k - 1], m_window);
            return std::nullopt;
        }
        const SimTime at = m_recorded ? m_offsets[k] : rateTime(k, rng);
        if (!m_recorded && k >= m_max) {
            m_windowEnd = std::min(at, m_window);
            return std::nullopt;
        }
        if (at >= m_window) {
            m_windowEnd = m_window;
            return std::nullopt;
        }
        return at;
    };
    if (!m_started) {
        m_started = true;
        m_pending = compute(0);
    }
    if (!m_pending)
        return std::nullopt;
    const SimTime at = *m_pending;
    ++m_count;
    m_pending = compute(m_count);
    return at;
}

} // namespace sluice::traffic
