// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "asio_executor.h"

// Internal to core/proxy (includes Asio).

#include <chrono>
#include <cstddef>
#include <limits>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace sluice::proxy {

/// The deadlines of a worker's upstream attempts (route and per-try timeouts of HTTP/2 streams) on
/// one timer: a min-heap of entries, each scheduled and cancelled without touching Asio. A timer per
/// stream cost a scheduled wait, a cancellation and its completion per request; here the timer
/// only moves when a deadline comes before the one it waits for, and a wait that finds nothing due
/// (its entry was cancelled) simply waits for the next one. Lives on its worker's thread.
class DeadlineQueue {
public:
    using Clock = std::chrono::steady_clock;

    /// What a deadline belongs to: its owner derives from it and is told when the deadline
    /// passes. Destroying a scheduled entry cancels it.
    class Entry {
    public:
        Entry() = default;
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;
        [[nodiscard]] bool scheduled() const { return m_queue != nullptr; }

    protected:
        virtual ~Entry() { cancelDeadline(); }
        /// Cancels the entry's deadline wherever it is scheduled (safe after the queue is gone).
        void cancelDeadline() {
            if (m_queue)
                m_queue->cancel(*this);
        }

    private:
        friend class DeadlineQueue;
        /// The deadline passed; the entry is no longer scheduled. Runs from the event loop.
        virtual void onDeadline() = 0;

        static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
        DeadlineQueue* m_queue = nullptr;
        std::size_t m_slot = kNone; ///< index in m_heap
        Clock::time_point m_at;
    };

    explicit DeadlineQueue(boost::asio::io_context& context);
    DeadlineQueue(const DeadlineQueue&) = delete;
    DeadlineQueue& operator=(const DeadlineQueue&) = delete;
    ~DeadlineQueue();

    /// `entry` expires at `at` (earlier or later than before, if it was scheduled).
    void schedule(Entry& entry, Clock::time_point at);
    /// `entry` will not expire (nothing when it was not scheduled).
    void cancel(Entry& entry);
    [[nodiscard]] std::size_t size() const { return m_heap.size(); }

private:
    void wait(Clock::time_point at);
    void expireDue();
    void place(std::size_t slot, Entry* entry);
    /// Restores the heap order around `slot` after its entry changed or moved there.
    void restore(std::size_t slot);

    std::vector<Entry*> m_heap; ///< ordered by Entry::m_at, earliest first
    SteadyTimer m_timer;
    /// What the pending wait waits for; max: no wait pending.
    Clock::time_point m_waitAt = Clock::time_point::max();
};

} // namespace sluice::proxy
