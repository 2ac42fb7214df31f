// SPDX-License-Identifier: Apache-2.0
#include "virtual_host.h"

#include <algorithm>
#include <map>

namespace sluice::routing {

void PathIndex::build(const std::vector<CompiledRoute>& routes) {
    m_exact.clear();
    m_prefixByLength.clear();
    m_other.clear();
    // A linear scan beats hashing for short route lists.
    m_enabled = routes.size() > 8;
    if (!m_enabled)
        return;
    std::map<std::size_t, Buckets> prefixes;
    for (std::uint32_t i = 0; i < routes.size(); ++i) {
        const StringMatcher& uri = routes[i].match.uri();
        if (uri.ignoreCase() || uri.kind() == StringMatcher::Kind::Regex ||
            uri.kind() == StringMatcher::Kind::Present)
            m_other.push_back(i);
        else if (uri.kind() == StringMatcher::Kind::Exact)
            m_exact[uri.value()].push_back(i);
        else
            prefixes[uri.value().size()][uri.value()].push_back(i);
    }
    // At most 62 prefix lengths get their own bucket; routes beyond that are simply tried in order.
    std::size_t kept = 0;
    for (auto& [length, buckets] : prefixes) {
        if (kept++ < 62) {
            m_prefixByLength.emplace_back(length, std::move(buckets));
            continue;
        }
        for (const auto& [value, indices] : buckets)
            m_other.insert(m_other.end(), indices.begin(), indices.end());
    }
    std::sort(m_other.begin(), m_other.end());
}

} // namespace sluice::routing
