// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Inspector rows that are not written anywhere but follow from the config: where a rule's
// traffic goes and in which shares, the workloads behind a Service or a subset, what selects a
// workload. Each row points at the YAML it follows from.

#include "outline.h"
#include "selection_index.h"

#include <vector>

namespace sluice::inspect {

/// "destinations": every destination of an http rule with its share of the traffic (Istio: a single
/// destination takes 100 %, otherwise the weights as written, zero-weight destinations dropped), the
/// Service and subset it resolves to, and their endpoints.
[[nodiscard]] OutlineNode destinationsSection(const SelectionIndex& selection,
                                              const model::VirtualService& vs,
                                              const std::vector<model::HTTPRouteDestination>& route);
/// The same for a tls or tcp rule.
[[nodiscard]] OutlineNode destinationsSection(const SelectionIndex& selection,
                                              const model::VirtualService& vs,
                                              const std::vector<model::RouteDestination>& route);

/// "endpoints": the workloads a Service selects, with their replicas.
[[nodiscard]] OutlineNode endpointsSection(const SelectionIndex& selection, const model::Service& service);

/// The derived rows of a DestinationRule subset: its Service, the workloads it keeps, and the
/// rule-level traffic policy it inherits when it has none of its own.
[[nodiscard]] std::vector<OutlineNode> subsetSections(const SelectionIndex& selection,
                                                      const model::DestinationRule& rule,
                                                      const model::Subset& subset);

/// "selected by": the Services and subsets that select a workload.
[[nodiscard]] OutlineNode selectedBySection(const SelectionIndex& selection, const WorkloadInfo& workload);

} // namespace sluice::inspect
