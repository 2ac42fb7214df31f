// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow_layout.h"

#include <array>
#include <string>

namespace sluice::flow {

// Edge labels are placed by Sluice, not by dot: dot turns every label into a node of its own rank,
// which made a Gateway with 200 bound VirtualServices take seconds to lay out (sluice-bench-flow).
// Instead the gaps between columns are widened for the labels, and each label is put where it reads
// best: match conditions just left of the rule they lead to, weights halfway along their edge.

/// The box a label needs (at most FlowLayout::kMaxLabelLines lines are shown).
[[nodiscard]] FlowRect labelSize(const std::string& label);

/// Extra width each column needs on its left for the labels drawn in the gap before it.
[[nodiscard]] std::array<double, kColumnCount> labelGaps(const FlowGraph& graph);

/// Sets hasLabel and labelCentre of every edge of `layout` (nodes and splines already placed).
/// An identical label on several edges into the same node is shown once.
void placeLabels(const FlowGraph& graph, FlowLayout& layout);

} // namespace sluice::flow
