// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/resource_set.h"
#include "route_action.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice::routing {

/// `reviews` in namespace `default` -> `reviews.default.svc.cluster.local`. Only names without a
/// dot are expanded (`reviews.default` stays as written); `*` and IP addresses never are.
[[nodiscard]] std::string expandShortName(std::string_view host, std::string_view ns);

/// `name.ns.svc.cluster.local`-style key of every Service and ServiceEntry host, with what
/// routing needs from them: ports, the workloads behind them, and the DestinationRules that apply.
class DestinationResolver {
public:
    /// `clientNamespace`: the proxy's namespace (the gateway's, or the calling workload's), which
    /// decides which DestinationRules are visible first.
    DestinationResolver(const model::ResourceSet& resources, std::string clientNamespace);

    /// Resolves a VirtualService destination: FQDN, port defaulting (explicit, the Service's only
    /// port, else `defaultPort`), cluster name, whether the cluster exists, and its endpoint count.
    [[nodiscard]] WeightedDestination resolve(const model::Destination& destination,
                                              const std::string& vsNamespace,
                                              std::uint32_t defaultPort) const;

    struct ServicePortInfo {
        std::string host;
        std::uint32_t port = 0;
        bool external = false; ///< a ServiceEntry outside the mesh (no workload selector)
    };
    /// Every (host, port) a sidecar has an outbound route for.
    [[nodiscard]] std::vector<ServicePortInfo> meshPorts() const;
    /// The subset names the DestinationRules visible for `fqdn` define, first definition first.
    [[nodiscard]] std::vector<std::string> subsetNames(const std::string& fqdn) const;

    /// The DestinationRule blocks that apply to one cluster; null: not set (the defaults apply).
    struct PolicyBlocks {
        const model::LoadBalancerSettings* lb = nullptr;
        const model::ConnectionPoolSettings* pool = nullptr;
        const model::OutlierDetection* outlier = nullptr;
        const model::ClientTlsSettings* tls = nullptr;
    };
    /// The traffic policy of cluster (fqdn, port, subset), merged as Istio's MergeTrafficPolicy
    /// does: a top-level portLevelSettings entry for the port replaces the top-level blocks; a
    /// subset's blocks override those they set; a subset's portLevelSettings entry for the port
    /// replaces all four (unset ones fall back to the defaults, not to the top level).
    [[nodiscard]] PolicyBlocks effectivePolicy(const std::string& fqdn, std::uint32_t port,
                                               const std::string& subset) const;

    /// One subset of the merged DestinationRule for a host, with where it is written.
    struct SubsetInfo {
        std::string name;
        std::map<std::string, std::string> labels;
        std::string destinationRule; ///< "ns/name" of the rule that defines it
        std::size_t index = 0;       ///< in that rule's spec.subsets
        model::SourceSpan span;
    };
    /// The subsets resolve() sees for `fqdn` (first definition of a name wins), in order.
    [[nodiscard]] std::vector<SubsetInfo> subsets(const std::string& fqdn) const;

    /// A workload behind a host: a Pod, a Deployment or a sluice.dev Workload.
    struct Backend {
        std::string kind; ///< "Pod", "Deployment", "Workload"
        std::string ns;
        std::string name;
        std::size_t replicas = 1;
        model::SourceSpan span;
    };
    /// What stands behind a host, counted the way resolve() counts endpoints.
    struct HostBackends {
        bool known = false;          ///< a Service or ServiceEntry has the host
        bool external = false;       ///< a ServiceEntry without workloadSelector: endpoints outside the mesh
        bool defaultReplica = false; ///< no workload applies: one simulated endpoint stands in
        std::vector<Backend> workloads;
    };
    /// The workloads the host's selector picks that also carry `subsetLabels`.
    [[nodiscard]] HostBackends backends(const std::string& fqdn,
                                        const std::map<std::string, std::string>& subsetLabels = {}) const;

private:
    struct Workload {
        std::string ns;
        std::map<std::string, std::string> labels;
        std::size_t replicas = 1;
        std::string kind;
        std::string name;
        model::SourceSpan span;
    };
    struct Service {
        std::string ns;
        std::vector<std::uint32_t> ports;
        std::map<std::string, std::string> selector;
        bool external = false; ///< ServiceEntry: endpoints from DNS or its own list
        std::size_t externalEndpoints = 1;
        bool hasSelector = false;
    };
    struct Subset {
        std::string name;
        std::map<std::string, std::string> labels;
        std::string policy;
        const model::DestinationRule* rule = nullptr;
        std::size_t index = 0;
    };
    struct Rule {
        std::vector<Subset> subsets;
        std::string policy; ///< top-level trafficPolicy summary
        const model::TrafficPolicy* topPolicy = nullptr; ///< the rule whose top level applies
        bool found = false;
    };

    /// The merged rule for a host; policy summaries for `port` (portLevelSettings replace the blocks).
    [[nodiscard]] Rule ruleFor(const std::string& fqdn, const std::string& serviceNamespace,
                               std::uint32_t port) const;
    [[nodiscard]] std::size_t endpointsFor(const Service& service,
                                           const std::map<std::string, std::string>& subset) const;

    const model::ResourceSet& m_resources;
    std::string m_clientNamespace;
    std::unordered_map<std::string, Service> m_services;
    std::vector<Workload> m_workloads;
    bool m_haveWorkloads = false;
};

} // namespace sluice::routing
