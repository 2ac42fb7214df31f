// SPDX-License-Identifier: Apache-2.0
#pragma once

// Who selects whom: the workloads behind a Service (its endpoints), the workloads of a
// DestinationRule subset, and for a workload the Services and subsets that select it. Kubernetes
// semantics: a Service selects the pods of its own namespace whose labels include its selector; a
// Service without a selector selects none; a subset narrows its host's Service by its labels.

#include "item_locator.h"
#include "validate/analyzer_support.h"

#include <string>
#include <string_view>
#include <vector>

namespace sluice::inspect {

/// Where a resource's own mapping starts (after the comments that lead its document).
[[nodiscard]] model::SourceSpan resourceStart(const model::ResourceHeader& header);

/// Something a Service can select: a Pod, the pod template of a Deployment, a sluice Workload.
struct WorkloadInfo {
    ResourceRef resource;
    std::string_view kind; ///< "Pod", "Deployment", "Workload"
    std::string ns;
    std::string name;
    validate::Labels labels; ///< pod (template) labels
    std::int32_t replicas = 1;
    model::SourceSpan span; ///< resourceStart() of the resource
};

struct SubsetRef {
    const model::DestinationRule* rule = nullptr;
    const model::Subset* subset = nullptr;
};

/// Built once per ResourceSet (which must outlive it); const afterwards.
class SelectionIndex {
public:
    explicit SelectionIndex(const model::ResourceSet& resources);

    [[nodiscard]] const std::vector<WorkloadInfo>& workloads() const { return m_workloads; }
    /// The workload view of a Pod, Deployment or Workload resource; nullptr for other kinds.
    [[nodiscard]] const WorkloadInfo* workload(const ResourceRef& resource) const;

    /// The Service's endpoints; with `subsetLabels`, only those a subset with these labels keeps.
    [[nodiscard]] std::vector<const WorkloadInfo*>
    endpoints(const model::Service& service, const model::StringMap* subsetLabels = nullptr) const;
    /// Services of the workload's namespace whose selector selects it.
    [[nodiscard]] std::vector<const model::Service*> servicesSelecting(const WorkloadInfo& workload) const;
    /// Subsets of DestinationRules for those Services whose labels also select it.
    [[nodiscard]] std::vector<SubsetRef> subsetsSelecting(const WorkloadInfo& workload) const;

    /// The Service a host names as seen from namespace `ns` (`reviews`, `reviews.default`,
    /// `reviews.default.svc.cluster.local`); nullptr when the set holds none.
    [[nodiscard]] const model::Service* serviceForHost(std::string_view ns, std::string_view host) const;
    /// The subset `name` of a DestinationRule for the host's Service; nullptr when none defines it.
    [[nodiscard]] SubsetRef subsetFor(std::string_view ns, std::string_view host,
                                      std::string_view name) const;

private:
    const model::ResourceSet& m_resources;
    std::vector<WorkloadInfo> m_workloads;
};

} // namespace sluice::inspect
