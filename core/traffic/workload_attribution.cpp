// SPDX-License-Identifier: Apache-2.0
#include "workload_attribution.h"

#include "workload/fleet_plan.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace sluice::traffic {

std::optional<std::pair<std::string, std::string>> splitClusterName(std::string_view cluster) {
    // direction|port|subset|host
    const std::size_t a = cluster.find('|');
    const std::size_t b = a == std::string_view::npos ? a : cluster.find('|', a + 1);
    const std::size_t c = b == std::string_view::npos ? b : cluster.find('|', b + 1);
    if (c == std::string_view::npos || c + 1 >= cluster.size())
        return std::nullopt;
    return std::make_pair(std::string(cluster.substr(c + 1)), std::string(cluster.substr(b + 1, c - b - 1)));
}

WorkloadAttribution::WorkloadAttribution(const workload::FleetPlan& plan,
                                         std::span<const metrics::DestinationWeight> weights) {
    std::vector<std::vector<std::pair<std::string, std::string>>> candidates(plan.replicas.size());
    for (const auto& [cluster, replicas] : plan.clusters) { // ordered by name
        const auto dest = splitClusterName(cluster);
        if (!dest)
            continue;
        for (const std::size_t r : replicas)
            if (r < candidates.size())
                candidates[r].push_back(*dest);
    }
    const auto weighted = [&](const std::pair<std::string, std::string>& d) {
        return std::any_of(weights.begin(), weights.end(), [&](const metrics::DestinationWeight& w) {
            return w.destination == d.first && w.subset == d.second;
        });
    };
    for (std::size_t r = 0; r < plan.replicas.size(); ++r) {
        const auto& list = candidates[r];
        if (list.empty())
            continue;
        const std::pair<std::string, std::string>* chosen = nullptr;
        std::size_t weightedCount = 0;
        for (const auto& d : list)
            if (weighted(d) && ++weightedCount == 1)
                chosen = &d;
        if (weightedCount != 1) {
            // The one subset it belongs to tells most; with several (or none), the service itself.
            const std::pair<std::string, std::string>* subset = nullptr;
            const std::pair<std::string, std::string>* plain = nullptr;
            std::size_t subsets = 0;
            for (const auto& d : list) {
                if (!d.second.empty() && ++subsets == 1)
                    subset = &d;
                if (d.second.empty() && !plain)
                    plain = &d;
            }
            chosen = subsets == 1 ? subset : plain ? plain : &list.front();
        }
        m_names.emplace(plan.replicas[r].name, *chosen);
    }
}

WorkloadAttribution::Destination WorkloadAttribution::resolve(std::string_view workload) const {
    if (workload.empty())
        return {};
    if (const auto it = m_names.find(workload); it != m_names.end())
        return {it->second.first, it->second.second};
    return {workload, {}};
}

} // namespace sluice::traffic
