// SPDX-License-Identifier: Apache-2.0
#include "second_bucket.h"

#include <algorithm>
#include <cassert>

namespace sluice::metrics {

std::uint64_t SecondBucket::Entry::requests() const {
    std::uint64_t n = 0;
    for (const std::uint32_t c : classes)
        n += c;
    return n;
}

StatusClassCounts SecondBucket::Entry::statusClasses() const {
    StatusClassCounts out{};
    std::copy(classes.begin(), classes.end(), out.begin());
    return out;
}

void SecondBucket::add(std::uint32_t key, const StatusClassCounts& classes, const LatencyHistogram& latency) {
    assert(latency.precision() == m_precision);
    Entry& e = m_entries.emplace_back();
    e.key = key;
    for (std::size_t i = 0; i < kStatusClasses; ++i)
        e.classes[i] = static_cast<std::uint32_t>(std::min<std::uint64_t>(classes[i], UINT32_MAX));
    e.firstCell = static_cast<std::uint32_t>(m_cells.size());
    latency.appendCells(m_cells);
    e.cellCount = static_cast<std::uint32_t>(m_cells.size() - e.firstCell);
    e.latency = latency.totals();
}

void SecondBucket::shrink() {
    m_entries.shrink_to_fit();
    m_cells.shrink_to_fit();
}

} // namespace sluice::metrics
