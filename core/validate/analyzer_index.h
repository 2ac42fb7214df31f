// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "analyzer_support.h"
#include "label_index.h"
#include "model/gateway_workload.h"
#include "model/resource_set.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::validate {

/// Something a Service, a Gateway or a DestinationRule subset can select: a Pod, the pod template
/// of a Deployment, a sluice Workload, or the offline stand-in for the ingress gateway pod.
struct WorkloadRef {
    std::string_view kind; ///< "Pod", "Deployment", "Workload"; "Pod" for the synthetic gateway
    std::string ns;
    std::string name;
    Labels labels;
    Labels topologyLabels; ///< labels plus the node's topology labels (pods on a known Node)
    const model::ObjectMeta* podMeta = nullptr; ///< pod (template) metadata, for inject annotations
    bool synthetic = false;
};

/// A host as Istio's util.InitServiceEntryHostMap records it: a ServiceEntry host, or a k8s
/// Service converted to one (`name.ns.svc.cluster.local`, its port numbers, no workload selector).
struct DestinationHost {
    const model::ServiceEntry* serviceEntry = nullptr;
    const model::Service* service = nullptr;
    std::vector<std::uint32_t> ports;
    Labels workloadSelector;
};

/// Everything the analyzers look up, built once per run so that no analyzer scans all resources
/// per resource. Holds pointers into the ResourceSet (which must outlive it) plus the synthetic
/// ingress gateway Pod and Service standing in for Istio's offline defaults.
/// Not thread-safe: the selector caches are filled lazily by const lookups.
class AnalyzerIndex {
public:
    AnalyzerIndex(const model::ResourceSet& resources, const model::GatewayWorkload& gateway);
    AnalyzerIndex(const AnalyzerIndex&) = delete;
    AnalyzerIndex& operator=(const AnalyzerIndex&) = delete;

    [[nodiscard]] const model::ResourceSet& resources() const { return m_resources; }

    /// Input workloads in load order (pods, deployments, workloads), then the synthetic gateway pod.
    [[nodiscard]] const std::vector<WorkloadRef>& workloads() const { return m_workloads; }
    /// The input holds Pods, Deployments or sluice Workloads (pod-based analyzers run only then).
    [[nodiscard]] bool inputHasWorkloads() const { return m_inputHasWorkloads; }
    [[nodiscard]] bool inputHasSecrets() const { return !m_resources.secrets.empty(); }

    /// Input Services plus the synthetic gateway Service, in one namespace.
    [[nodiscard]] const std::vector<const model::Service*>& servicesIn(std::string_view ns) const;
    [[nodiscard]] bool isSynthetic(const model::Service* service) const;
    /// Services in `ns` whose (non-empty) selector selects `labels`, in load order (the synthetic
    /// gateway Service last). A Service without a selector selects no pod.
    [[nodiscard]] std::vector<const model::Service*> servicesSelecting(std::string_view ns,
                                                                       const Labels& labels) const;

    [[nodiscard]] const model::Service* service(const FullName& name) const;
    [[nodiscard]] const model::Gateway* gateway(const FullName& name) const;
    /// A gateway.networking.k8s.io Gateway of that name was in the input (a skipped kind).
    [[nodiscard]] bool kubernetesGatewayExists(const FullName& name) const;
    [[nodiscard]] const model::Secret* secret(const FullName& name) const;

    /// util.GetDestinationHost: the ServiceEntry or Service that `host` names when looked up from
    /// `sourceNs` by a resource exported to `exportTo`; nullptr when none.
    [[nodiscard]] const DestinationHost*
    destinationHost(std::string_view sourceNs, const std::vector<model::Located<std::string>>& exportTo,
                    std::string_view host) const;
    /// A DestinationRule for that host (util.GetResourceNameFromHost form) defines the subset.
    [[nodiscard]] bool destinationRuleDefinesSubset(const FullName& host, std::string_view subset) const;

    /// Indices into workloads() that `selector` selects (an empty selector selects all).
    [[nodiscard]] const std::vector<std::size_t>& selectedWorkloads(const model::StringMap& selector) const;
    [[nodiscard]] bool anyWorkloadSelected(const Labels& selector) const;
    /// As anyWorkloadSelected, among the workloads of one namespace.
    [[nodiscard]] bool anyWorkloadSelectedIn(std::string_view ns, const Labels& selector) const;
    /// As anyWorkloadSelected, on pod labels augmented with their node's topology labels.
    [[nodiscard]] bool anyTopologyWorkloadSelected(const Labels& selector) const;

    /// The value of label `key` on an input Namespace document, nullptr when unknown.
    [[nodiscard]] const std::string* namespaceLabel(std::string_view ns, std::string_view key) const;

private:
    void indexWorkloads(const model::GatewayWorkload& gateway);
    void indexServices(const model::GatewayWorkload& gateway);
    void indexServiceSelectors();
    void indexHosts();
    void indexSkippedDocuments();
    void addHost(const std::string& key, DestinationHost host);

    const model::ResourceSet& m_resources;
    std::vector<WorkloadRef> m_workloads;
    bool m_inputHasWorkloads = false;
    std::unique_ptr<model::Service> m_syntheticService;
    std::unordered_map<std::string, std::vector<const model::Service*>> m_servicesByNs;
    /// "ns\0key\0value" of a Service's first selector label -> (load position, Service).
    std::unordered_map<std::string, std::vector<std::pair<std::size_t, const model::Service*>>>
        m_servicesBySelector;
    std::unordered_map<std::string, const model::Service*> m_services;
    std::unordered_map<std::string, const model::Gateway*> m_gateways;
    std::set<std::string> m_kubernetesGateways;
    std::unordered_map<std::string, const model::Secret*> m_secrets;
    std::unordered_map<std::string, DestinationHost> m_hosts; ///< key: util.ScopedFqdn
    std::vector<std::string> m_wildcardHostKeys;              ///< keys whose fqdn starts with '*'
    std::set<std::string> m_subsets;                          ///< "ns/name/subset"
    std::map<std::string, Labels, std::less<>> m_nodeLabels;
    std::map<std::string, Labels, std::less<>> m_namespaceLabels;
    LabelIndex m_labelIndex;
    LabelIndex m_topologyIndex;
    mutable std::unordered_map<std::string, std::vector<std::size_t>> m_selectorCache;
};

} // namespace sluice::validate
