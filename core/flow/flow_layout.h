// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow_graph.h"

#include <memory>
#include <string>
#include <vector>

namespace sluice::flow {

/// A position in layout units (1 unit = 1 point = 1 scene pixel at zoom 1); y grows downwards.
struct FlowPoint {
    double x = 0;
    double y = 0;
};

/// A node's box: top-left corner and size.
struct FlowRect {
    double x = 0;
    double y = 0;
    double width = 0;
    double height = 0;
    [[nodiscard]] FlowPoint centre() const { return {x + width / 2, y + height / 2}; }
};

/// How one edge is drawn: a cubic Bézier spline (start point, then three points per segment) ending
/// at `tip`, where the arrow head points; and where its label goes.
struct EdgeRoute {
    std::vector<FlowPoint> points;
    FlowPoint tip;
    bool hasLabel = false;
    FlowPoint labelCentre;
};

/// Where everything of a FlowGraph goes: node order, positions and splines by Graphviz's dot (ranks
/// left to right, one rank per column, few crossings; each connected part on its own, parts stacked
/// and their columns aligned), edge labels beside their edges in gaps widened for them.
/// A plain value; `nodes` and `edges` run parallel to the graph's.
struct FlowLayout {
    static constexpr int kMaxLabelLines = 4; ///< longer edge labels show "+N more" in their last line

    double width = 0;
    double height = 0;
    std::vector<FlowRect> nodes;
    std::vector<EdgeRoute> edges;
    std::string error; ///< set when Graphviz failed; the layout is then empty

    [[nodiscard]] bool empty() const { return nodes.empty(); }

    /// The size a node is laid out with, from its texts (the view draws within it).
    [[nodiscard]] static FlowRect nodeSize(const FlowNode& node);

    /// Lays `graph` out. Slow for big graphs (see sluice-bench-flow): call it on a worker thread.
    /// Thread-safe: Graphviz keeps process-wide state, so concurrent calls run one after another.
    /// An empty graph gives an empty layout without calling Graphviz.
    [[nodiscard]] static FlowLayout compute(const FlowGraph& graph);
};

using FlowLayoutPtr = std::shared_ptr<const FlowLayout>;

} // namespace sluice::flow
