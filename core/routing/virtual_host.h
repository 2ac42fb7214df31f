// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "route_action.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::routing {

/// Finds the first matching route of a virtual host without trying them all: candidates come from
/// an exact-path map, a prefix map bucketed by length, and the routes no index can narrow (regex,
/// case-insensitive); they are tried in route order, so first-match semantics are preserved.
class PathIndex {
public:
    void build(const std::vector<CompiledRoute>& routes);
    /// Calls `visit(i)` for each candidate route index in increasing order until it returns true.
    template <class Visit> void forEachCandidate(std::string_view path, Visit&& visit) const;
    [[nodiscard]] bool enabled() const { return m_enabled; }

private:
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    using Buckets = std::unordered_map<std::string, std::vector<std::uint32_t>, StringHash, std::equal_to<>>;

    bool m_enabled = false;
    Buckets m_exact;
    std::vector<std::pair<std::size_t, Buckets>> m_prefixByLength;
    std::vector<std::uint32_t> m_other;
};

/// An Envoy virtual host: its domain, the ordered routes, and whether it only redirects to https.
struct VirtualHost {
    std::string domain;
    bool requireTls = false;
    std::vector<CompiledRoute> routes;
    PathIndex index;
    std::vector<model::SourceSpan> sources; ///< the VirtualServices that contributed, for the trace
};

template <class Visit> void PathIndex::forEachCandidate(std::string_view path, Visit&& visit) const {
    // Gather the (sorted) candidate lists, then merge them in ascending route order.
    const std::vector<std::uint32_t>* lists[64];
    std::size_t count = 0;
    if (const auto it = m_exact.find(path); it != m_exact.end())
        lists[count++] = &it->second;
    for (const auto& [length, buckets] : m_prefixByLength) {
        if (length > path.size() || count >= 63)
            continue;
        if (const auto it = buckets.find(path.substr(0, length)); it != buckets.end())
            lists[count++] = &it->second;
    }
    if (!m_other.empty())
        lists[count++] = &m_other;
    std::size_t positions[64] = {};
    while (true) {
        std::uint32_t best = UINT32_MAX;
        std::size_t from = 0;
        for (std::size_t l = 0; l < count; ++l)
            if (positions[l] < lists[l]->size() && (*lists[l])[positions[l]] < best) {
                best = (*lists[l])[positions[l]];
                from = l;
            }
        if (best == UINT32_MAX)
            return;
        ++positions[from];
        if (visit(best))
            return;
    }
}

} // namespace sluice::routing
