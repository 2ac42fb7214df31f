// SPDX-License-Identifier: Apache-2.0
#include "event_queue.h"

#include <algorithm>

namespace sluice::traffic {

void EventQueue::schedule(SimTime at, std::uint8_t kind, std::uint32_t index, std::uint64_t token,
                          std::int32_t value) {
    SimEvent e;
    e.at = std::max(at, m_now);
    e.sequence = m_sequence++;
    e.token = token;
    e.index = index;
    e.value = value;
    e.kind = kind;
    // Sift up: a hole moves toward the root while its parent is later.
    std::size_t hole = m_heap.size();
    m_heap.push_back(e);
    while (hole > 0) {
        const std::size_t parent = (hole - 1) / 2;
        if (!before(e, m_heap[parent]))
            break;
        m_heap[hole] = m_heap[parent];
        hole = parent;
    }
    m_heap[hole] = e;
}

SimEvent EventQueue::take() {
    const SimEvent top = m_heap.front();
    const SimEvent last = m_heap.back();
    m_heap.pop_back();
    const std::size_t n = m_heap.size();
    if (n > 0) {
        // Sift down the last event from the root.
        std::size_t hole = 0;
        for (;;) {
            std::size_t child = 2 * hole + 1;
            if (child >= n)
                break;
            if (child + 1 < n && before(m_heap[child + 1], m_heap[child]))
                ++child;
            if (!before(m_heap[child], last))
                break;
            m_heap[hole] = m_heap[child];
            hole = child;
        }
        m_heap[hole] = last;
    }
    m_now = top.at;
    return top;
}

void EventQueue::clear() {
    m_heap.clear();
    m_sequence = 0;
    m_now = 0;
}

} // namespace sluice::traffic
