// SPDX-License-Identifier: Apache-2.0
#include "derived_sections.h"

#include "model/destination_rule_schema.h"
#include "schema_outline.h"

#include <cmath>

namespace sluice::inspect {
namespace {

std::string replicasText(std::int64_t n) {
    return std::to_string(n) + (n == 1 ? " replica" : " replicas");
}

std::string workloadLabelsText(const validate::Labels& labels) {
    std::string out;
    for (const auto& [key, value] : labels)
        out += (out.empty() ? "" : ", ") + key + "=" + value;
    return out;
}

OutlineNode workloadNode(const WorkloadInfo& w) {
    return {std::string(w.kind) + " " + w.ns + "/" + w.name,
            replicasText(w.replicas) + (w.labels.empty() ? "" : " · " + workloadLabelsText(w.labels)),
            w.span,
            {}};
}

/// A group of workloads, its value the count of workloads and replicas.
OutlineNode workloadsNode(std::string label, const std::vector<const WorkloadInfo*>& workloads,
                          std::string_view none) {
    OutlineNode node{std::move(label), {}, {}, {}};
    std::int64_t replicas = 0;
    for (const WorkloadInfo* w : workloads) {
        replicas += w->replicas;
        node.children.push_back(workloadNode(*w));
    }
    node.value = workloads.empty()
                     ? std::string(none)
                     : std::to_string(workloads.size()) +
                           (workloads.size() == 1 ? " workload, " : " workloads, ") + replicasText(replicas);
    return node;
}

std::string percentText(double share) {
    return scalarText(std::round(share * 10.0) / 10.0) + " %";
}

/// One destination of a rule: where it resolves, with its share `weight / total`.
template <class RouteDestination>
OutlineNode destinationNode(const SelectionIndex& selection, const model::VirtualService& vs,
                            const RouteDestination& rd, std::uint32_t effective, std::uint32_t total,
                            bool only) {
    const model::Destination& d = *rd.destination;
    const std::string& ns = vs.header.ns();
    OutlineNode node{summary(d), {}, rd.span, {}};
    if (effective == 0)
        node.value = "0 % (weight 0: receives no traffic)";
    else
        node.value = percentText(total ? 100.0 * effective / total : 0.0);
    if (rd.weight)
        node.children.push_back({"weight", scalarText(rd.weight.value), rd.weight.span, {}});
    else
        node.children.push_back(
            {"weight", only ? "(not set: the only destination takes all traffic)" : "(not set: 0)", {}, {}});
    node.children.push_back({"host", validate::convertHostToFqdn(ns, d.host.value), d.host.span, {}});
    const model::Service* service = selection.serviceForHost(ns, d.host.value);
    if (service)
        node.children.push_back(
            {"service", model::resourceName(*service), resourceStart(service->header), {}});
    else
        node.children.push_back({"service", "no Service of this config", {}, {}});
    if (d.port && d.port->number)
        node.children.push_back({"port", scalarText(d.port->number.value), d.port->number.span, {}});
    else if (service && service->spec.ports.size() == 1)
        node.children.push_back(
            {"port",
             scalarText(service->spec.ports.front().port.value) + " (the Service's only port)",
             service->spec.ports.front().span,
             {}});
    const model::StringMap* subsetLabels = nullptr;
    if (d.subset) {
        const SubsetRef subset = selection.subsetFor(ns, d.host.value, d.subset.value);
        if (subset.subset) {
            node.children.push_back(
                {"subset",
                 d.subset.value + " in " + model::resourceName(*subset.rule) +
                     (subset.subset->labels.empty() ? "" : " (" + labelsText(subset.subset->labels) + ")"),
                 subset.subset->span,
                 {}});
            subsetLabels = &subset.subset->labels;
        } else {
            node.children.push_back(
                {"subset", d.subset.value + ": defined by no DestinationRule", d.subset.span, {}});
        }
    }
    if (service && (!d.subset || subsetLabels))
        node.children.push_back(
            workloadsNode("endpoints", selection.endpoints(*service, subsetLabels), "none"));
    return node;
}

template <class RouteDestination>
OutlineNode destinations(const SelectionIndex& selection, const model::VirtualService& vs,
                         const std::vector<RouteDestination>& route) {
    OutlineNode section{"destinations", {}, {}, {}};
    const bool only = route.size() == 1;
    std::vector<std::uint32_t> weights;
    std::uint32_t total = 0;
    for (const RouteDestination& rd : route) {
        weights.push_back(only ? 100u : static_cast<std::uint32_t>(std::max(0, rd.weight.value)));
        total += weights.back();
    }
    for (std::size_t i = 0; i < route.size(); ++i)
        if (route[i].destination)
            section.children.push_back(destinationNode(selection, vs, route[i], weights[i], total, only));
    section.value = section.children.empty() ? "none" : std::to_string(section.children.size()) + " weighted";
    if (section.children.size() == 1)
        section.value = "1, all traffic";
    return section;
}

} // namespace

OutlineNode destinationsSection(const SelectionIndex& selection, const model::VirtualService& vs,
                                const std::vector<model::HTTPRouteDestination>& route) {
    return destinations(selection, vs, route);
}

OutlineNode destinationsSection(const SelectionIndex& selection, const model::VirtualService& vs,
                                const std::vector<model::RouteDestination>& route) {
    return destinations(selection, vs, route);
}

OutlineNode endpointsSection(const SelectionIndex& selection, const model::Service& service) {
    if (service.spec.selector.empty())
        return {"endpoints", "none selected (the Service has no selector)", {}, {}};
    return workloadsNode("endpoints", selection.endpoints(service),
                         "no workload of this config matches the selector");
}

std::vector<OutlineNode> subsetSections(const SelectionIndex& selection, const model::DestinationRule& rule,
                                        const model::Subset& subset) {
    std::vector<OutlineNode> out;
    const std::string& ns = rule.header.ns();
    out.push_back({"host", validate::convertHostToFqdn(ns, rule.spec.host.value), rule.spec.host.span, {}});
    if (!subset.trafficPolicy && rule.spec.trafficPolicy) {
        OutlineNode inherited{"trafficPolicy (from the rule)",
                              {},
                              rule.spec.trafficPolicy->span,
                              fieldNodes(*rule.spec.trafficPolicy)};
        out.push_back(std::move(inherited));
    }
    const model::Service* service = selection.serviceForHost(ns, rule.spec.host.value);
    if (!service) {
        out.push_back({"workloads", "unknown: the host is no Service of this config", {}, {}});
        return out;
    }
    out.push_back({"service", model::resourceName(*service), resourceStart(service->header), {}});
    out.push_back(workloadsNode("workloads", selection.endpoints(*service, &subset.labels), "none"));
    return out;
}

OutlineNode selectedBySection(const SelectionIndex& selection, const WorkloadInfo& workload) {
    OutlineNode section{"selected by", {}, {}, {}};
    for (const model::Service* service : selection.servicesSelecting(workload))
        section.children.push_back({model::resourceName(*service),
                                    labelsText(service->spec.selector),
                                    resourceStart(service->header),
                                    {}});
    for (const SubsetRef& ref : selection.subsetsSelecting(workload))
        section.children.push_back(
            {"subset " + ref.subset->name.value + " of " + model::resourceName(*ref.rule),
             labelsText(ref.subset->labels),
             ref.subset->span,
             {}});
    section.value =
        section.children.empty() ? "no Service selects it" : std::to_string(section.children.size());
    return section;
}

} // namespace sluice::inspect
