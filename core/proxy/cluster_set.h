// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "load_balancer.h"
#include "serving_config.h"

#include <map>
#include <string_view>
#include <vector>

namespace sluice::proxy {

/// One cluster as a config version serves it: its endpoints and policy (in the ServingConfig)
/// and its load balancer, built once and shared by every worker and every proxy (the gateway and
/// the workloads' sidecars).
class ServedCluster {
public:
    ServedCluster(std::size_t index, std::string_view name, const std::vector<Endpoint>& endpoints,
                  const ClusterPolicy& policy);

    [[nodiscard]] std::size_t index() const { return m_index; }
    [[nodiscard]] std::string_view name() const { return m_name; }
    [[nodiscard]] const std::vector<Endpoint>& endpoints() const { return *m_endpoints; }
    [[nodiscard]] const ClusterPolicy& policy() const { return *m_policy; }
    [[nodiscard]] const LoadBalancer& balancer() const { return *m_balancer; }

private:
    std::size_t m_index;
    std::string_view m_name;
    const std::vector<Endpoint>* m_endpoints;
    const ClusterPolicy* m_policy;
    LoadBalancerPtr m_balancer;
};

/// Every cluster of one ServingConfig, indexed (per-cluster state elsewhere is a vector by
/// index) and found by name. Refers into the config, which must outlive it. Immutable.
class ClusterSet {
public:
    explicit ClusterSet(const ServingConfig& config);

    [[nodiscard]] const ServedCluster* find(std::string_view name) const;
    [[nodiscard]] const std::vector<ServedCluster>& all() const { return m_clusters; }
    [[nodiscard]] std::size_t size() const { return m_clusters.size(); }

private:
    std::vector<ServedCluster> m_clusters;
    std::map<std::string_view, std::size_t, std::less<>> m_byName;
};

} // namespace sluice::proxy
