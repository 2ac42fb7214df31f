// SPDX-License-Identifier: Apache-2.0
#include "selection_index.h"

#include <algorithm>

namespace sluice::inspect {
namespace {

bool contains(const validate::Labels& labels, const model::StringMap& selector) {
    return validate::selectorMatches(selector, labels);
}

} // namespace

model::SourceSpan resourceStart(const model::ResourceHeader& header) {
    return header.span.known() ? header.span : model::SourceSpan{header.doc.file, header.doc.firstLine, 1};
}

SelectionIndex::SelectionIndex(const model::ResourceSet& resources)
    : m_resources(resources) {
    for (const auto& p : resources.pods)
        m_workloads.push_back({&p, model::Pod::kKind, p.header.ns(), p.header.name(),
                               validate::toLabels(p.header.metadata.labels), 1, resourceStart(p.header)});
    for (const auto& d : resources.deployments) {
        const model::StringMap* labels = d.spec.template_ ? &d.spec.template_->metadata.labels : nullptr;
        m_workloads.push_back({&d, model::Deployment::kKind, d.header.ns(), d.header.name(),
                               labels ? validate::toLabels(*labels) : validate::Labels{},
                               d.spec.replicas.valueOr(1), resourceStart(d.header)});
    }
    for (const auto& w : resources.workloads)
        m_workloads.push_back({&w, model::Workload::kKind, w.header.ns(), w.header.name(),
                               validate::toLabels(w.spec.labels), w.spec.replicas.valueOr(1),
                               resourceStart(w.header)});
}

const WorkloadInfo* SelectionIndex::workload(const ResourceRef& resource) const {
    for (const WorkloadInfo& w : m_workloads)
        if (w.resource == resource)
            return &w;
    return nullptr;
}

std::vector<const WorkloadInfo*> SelectionIndex::endpoints(const model::Service& service,
                                                           const model::StringMap* subsetLabels) const {
    std::vector<const WorkloadInfo*> out;
    if (service.spec.selector.empty())
        return out; // endpoints managed by hand: none that the set can show
    for (const WorkloadInfo& w : m_workloads)
        if (w.ns == service.header.ns() && contains(w.labels, service.spec.selector) &&
            (!subsetLabels || contains(w.labels, *subsetLabels)))
            out.push_back(&w);
    return out;
}

std::vector<const model::Service*> SelectionIndex::servicesSelecting(const WorkloadInfo& workload) const {
    std::vector<const model::Service*> out;
    for (const auto& s : m_resources.services)
        if (s.header.ns() == workload.ns && !s.spec.selector.empty() &&
            contains(workload.labels, s.spec.selector))
            out.push_back(&s);
    return out;
}

std::vector<SubsetRef> SelectionIndex::subsetsSelecting(const WorkloadInfo& workload) const {
    std::vector<SubsetRef> out;
    const std::vector<const model::Service*> services = servicesSelecting(workload);
    for (const auto& dr : m_resources.destinationRules) {
        const model::Service* service = serviceForHost(dr.header.ns(), dr.spec.host.value);
        if (!service || std::find(services.begin(), services.end(), service) == services.end())
            continue;
        for (const auto& subset : dr.spec.subsets)
            if (contains(workload.labels, subset.labels))
                out.push_back({&dr, &subset});
    }
    return out;
}

const model::Service* SelectionIndex::serviceForHost(std::string_view ns, std::string_view host) const {
    const validate::FullName name = validate::resourceNameFromHost(ns, validate::convertHostToFqdn(ns, host));
    for (const auto& s : m_resources.services)
        if (s.header.ns() == name.ns && s.header.name() == name.name)
            return &s;
    return nullptr;
}

SubsetRef SelectionIndex::subsetFor(std::string_view ns, std::string_view host, std::string_view name) const {
    const validate::FullName target =
        validate::resourceNameFromHost(ns, validate::convertHostToFqdn(ns, host));
    for (const auto& dr : m_resources.destinationRules) {
        const std::string& drNs = dr.header.ns();
        if (validate::resourceNameFromHost(drNs, validate::convertHostToFqdn(drNs, dr.spec.host.value)) !=
            target)
            continue;
        for (const auto& subset : dr.spec.subsets)
            if (subset.name.value == name)
                return {&dr, &subset};
    }
    return {};
}

} // namespace sluice::inspect
