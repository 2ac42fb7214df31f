// SPDX-License-Identifier: Apache-2.0
#include "cluster_set.h"

namespace sluice::proxy {
namespace {

const ClusterPolicy kDefaultPolicy{};

std::vector<std::string> keysOf(const std::vector<Endpoint>& endpoints) {
    std::vector<std::string> keys;
    keys.reserve(endpoints.size());
    for (const Endpoint& e : endpoints)
        keys.push_back(e.address + ":" + std::to_string(e.port));
    return keys;
}

} // namespace

ServedCluster::ServedCluster(std::size_t index, std::string_view name, const std::vector<Endpoint>& endpoints,
                             const ClusterPolicy& policy)
    : m_index(index)
    , m_name(name)
    , m_endpoints(&endpoints)
    , m_policy(&policy)
    , m_balancer(makeLoadBalancer(policy, keysOf(endpoints))) {}

ClusterSet::ClusterSet(const ServingConfig& config) {
    m_clusters.reserve(config.clusters.size());
    for (const auto& [name, endpoints] : config.clusters) {
        const auto policy = config.policies.find(name);
        m_byName.emplace(name, m_clusters.size());
        m_clusters.emplace_back(m_clusters.size(), name, endpoints,
                                policy == config.policies.end() ? kDefaultPolicy : policy->second);
    }
}

const ServedCluster* ClusterSet::find(std::string_view name) const {
    const auto it = m_byName.find(name);
    return it == m_byName.end() ? nullptr : &m_clusters[it->second];
}

} // namespace sluice::proxy
