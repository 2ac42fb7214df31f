// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which destination (service host, subset) answered a request, from the workload identity the
// answer carries (`x-sluice-workload: reviews-v2-1`, set by Sluice's simulated replicas).

#include "metrics/traffic_tally.h"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace sluice::workload {
struct FleetPlan;
}

namespace sluice::traffic {

/// Maps replica names to the destination they stand for. Built once, then read-only: safe to
/// share between threads.
///
/// A replica can belong to several clusters (reviews-v2-1 serves `outbound|9080||reviews...` and
/// `outbound|9080|v2|reviews...`). The destination chosen is, in order: the only one of its
/// clusters that the configured weights name; else its only cluster with a subset; else its
/// cluster without a subset; else its first cluster (by name). A name the plan does not know (a real server,
/// a URL target) stands for itself: destination = the name, no subset. No header: unattributed.
class WorkloadAttribution {
public:
    /// Without a plan: every workload name is its own destination.
    WorkloadAttribution() = default;
    WorkloadAttribution(const workload::FleetPlan& plan, std::span<const metrics::DestinationWeight> weights);

    struct Destination {
        std::string_view destination; ///< empty: unattributed
        std::string_view subset;
    };
    /// The destination of the replica named `workload` (views valid as long as this object, or
    /// `workload` itself for names the plan does not know).
    [[nodiscard]] Destination resolve(std::string_view workload) const;

    [[nodiscard]] std::size_t size() const { return m_names.size(); }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::pair<std::string, std::string>, Hash, std::equal_to<>> m_names;
};

/// "outbound|9080|v2|reviews.default.svc.cluster.local" -> {host, subset}; nullopt for other names.
[[nodiscard]] std::optional<std::pair<std::string, std::string>> splitClusterName(std::string_view cluster);

} // namespace sluice::traffic
