// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace sluice::traffic {

/// Simulated time: nanoseconds since the simulation started.
using SimTime = std::int64_t;
inline constexpr SimTime kNever = std::numeric_limits<SimTime>::max();

/// One thing that happens at a simulated time. What `kind`, `index` and `token` mean is the
/// simulator's business (which request, which attempt); `value` carries a small payload.
struct SimEvent {
    SimTime at = 0;
    std::uint64_t sequence = 0; ///< ties broken first come, first served: runs are deterministic
    std::uint64_t token = 0;
    std::uint32_t index = 0;
    std::int32_t value = 0;
    std::uint8_t kind = 0;
};

/// The simulator's clock and agenda: a binary min-heap of events by time, then by the order they
/// were scheduled, so equal times run in scheduling order and a run is a pure function of its
/// seed. now() is the time of the event last taken. No allocation once the heap has grown to
/// the largest number of pending events. Not thread-safe.
class EventQueue {
public:
    /// Schedules an event at `at` (clamped to now(): the past is not reachable).
    void schedule(SimTime at, std::uint8_t kind, std::uint32_t index, std::uint64_t token = 0,
                  std::int32_t value = 0);
    /// Takes the earliest event and advances now() to its time. Precondition: !empty().
    SimEvent take();

    [[nodiscard]] bool empty() const { return m_heap.empty(); }
    [[nodiscard]] std::size_t size() const { return m_heap.size(); }
    [[nodiscard]] SimTime now() const { return m_now; }
    /// The earliest pending time; kNever when empty.
    [[nodiscard]] SimTime next() const { return m_heap.empty() ? kNever : m_heap.front().at; }
    /// Back to time 0 with nothing pending (keeps the storage).
    void clear();

private:
    [[nodiscard]] static bool before(const SimEvent& a, const SimEvent& b) {
        return a.at < b.at || (a.at == b.at && a.sequence < b.sequence);
    }

    std::vector<SimEvent> m_heap;
    std::uint64_t m_sequence = 0;
    SimTime m_now = 0;
};

} // namespace sluice::traffic
