// SPDX-License-Identifier: Apache-2.0
#include "deadline_queue.h"

namespace sluice::proxy {

DeadlineQueue::DeadlineQueue(boost::asio::io_context& context)
    : m_timer(context) {}

DeadlineQueue::~DeadlineQueue() {
    for (Entry* entry : m_heap) { // entries outliving the queue must not reach back into it
        entry->m_queue = nullptr;
        entry->m_slot = Entry::kNone;
    }
}

void DeadlineQueue::schedule(Entry& entry, Clock::time_point at) {
    entry.m_at = at;
    if (entry.m_queue == this) {
        restore(entry.m_slot);
    } else {
        entry.m_queue = this;
        m_heap.push_back(&entry);
        entry.m_slot = m_heap.size() - 1;
        restore(entry.m_slot);
    }
    if (at < m_waitAt)
        wait(at);
}

void DeadlineQueue::cancel(Entry& entry) {
    if (entry.m_queue != this)
        return;
    const std::size_t slot = entry.m_slot;
    entry.m_queue = nullptr;
    entry.m_slot = Entry::kNone;
    Entry* last = m_heap.back();
    m_heap.pop_back();
    if (last != &entry) {
        place(slot, last);
        restore(slot);
    }
    // The timer keeps its wait: when it ends with nothing due, it waits for the next deadline.
}

void DeadlineQueue::wait(Clock::time_point at) {
    m_waitAt = at;
    m_timer.expires_at(at); // a pending wait for later completes as cancelled
    m_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec)
            expireDue();
    });
}

void DeadlineQueue::expireDue() {
    m_waitAt = Clock::time_point::max();
    const Clock::time_point now = Clock::now();
    while (!m_heap.empty() && m_heap.front()->m_at <= now) {
        Entry& due = *m_heap.front();
        cancel(due);
        due.onDeadline(); // may schedule or cancel entries: the loop reads the heap afresh
    }
    if (!m_heap.empty() && m_heap.front()->m_at < m_waitAt)
        wait(m_heap.front()->m_at);
}

void DeadlineQueue::place(std::size_t slot, Entry* entry) {
    m_heap[slot] = entry;
    entry->m_slot = slot;
}

void DeadlineQueue::restore(std::size_t slot) {
    Entry* entry = m_heap[slot];
    // Up while earlier than the parent...
    while (slot > 0) {
        const std::size_t parent = (slot - 1) / 2;
        if (!(entry->m_at < m_heap[parent]->m_at))
            break;
        place(slot, m_heap[parent]);
        slot = parent;
    }
    // ...else down while later than the earlier child.
    for (;;) {
        const std::size_t left = 2 * slot + 1;
        if (left >= m_heap.size())
            break;
        const std::size_t right = left + 1;
        const std::size_t child =
            right < m_heap.size() && m_heap[right]->m_at < m_heap[left]->m_at ? right : left;
        if (!(m_heap[child]->m_at < entry->m_at))
            break;
        place(slot, m_heap[child]);
        slot = child;
    }
    place(slot, entry);
}

} // namespace sluice::proxy
