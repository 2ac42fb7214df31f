// SPDX-License-Identifier: Apache-2.0
#include "recent_requests.h"

#include <utility>

namespace sluice::proxy {

RecentRequests::RecentRequests(std::size_t capacity)
    : m_capacity(capacity == 0 ? 1 : capacity)
    , m_filling(m_capacity)
    , m_draining(m_capacity) {}

void RecentRequests::write(const RequestRecord& record) {
    const std::lock_guard lock(m_mutex);
    m_filling[m_next] = record; // string assignments reuse the slot's memory
    m_next = m_next + 1 == m_capacity ? 0 : m_next + 1;
    if (m_count < m_capacity)
        ++m_count;
    else
        ++m_dropped;
}

std::size_t RecentRequests::drain(std::vector<RequestRecord>& out) {
    std::size_t count = 0, first = 0, dropped = 0;
    {
        const std::lock_guard lock(m_mutex);
        if (m_count == 0 && m_dropped == 0)
            return 0;
        count = m_count;
        dropped = m_dropped;
        first = (m_next + m_capacity - m_count) % m_capacity;
        m_filling.swap(m_draining);
        m_count = m_dropped = 0;
        m_next = 0;
    }
    // Copied outside the lock: the workers fill the other buffer meanwhile.
    out.reserve(out.size() + count);
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(m_draining[(first + i) % m_capacity]);
    return dropped;
}

} // namespace sluice::proxy
