// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace sluice::routing {

/// The resources of one kind as `kubectl apply` of the files in load order would leave them: a later
/// document with the same namespace and name replaces the earlier one. Kept in load order.
template <class R> [[nodiscard]] std::vector<const R*> appliedResources(const std::vector<R>& all) {
    std::unordered_map<std::string, std::size_t> last;
    for (std::size_t i = 0; i < all.size(); ++i)
        last[all[i].header.ns() + "/" + all[i].header.name()] = i;
    std::vector<const R*> out;
    out.reserve(last.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        if (last[all[i].header.ns() + "/" + all[i].header.name()] == i)
            out.push_back(&all[i]);
    return out;
}

} // namespace sluice::routing
