// SPDX-License-Identifier: Apache-2.0
#include "edge_labels.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace sluice::flow {
namespace {

constexpr double kLineHeight = 11.0;
constexpr double kCharWidth = 5.4;
constexpr double kPadding = 8.0;
constexpr double kClearance = 6.0; ///< between a label and the node it is beside

/// Match conditions sit by the rule they lead to; everything else (weights) along the edge.
bool besideTarget(const FlowGraph& graph, const FlowEdge& e) {
    return graph.nodes()[e.to].kind == NodeKind::VirtualServiceRule;
}

double characters(std::string_view s) {
    return static_cast<double>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// The point of a cubic spline whose x is closest to `x` (sampled; splines run left to right).
FlowPoint pointAtX(const std::vector<FlowPoint>& points, double x) {
    FlowPoint best = points.front();
    for (std::size_t i = 0; i + 3 < points.size(); i += 3)
        for (int step = 0; step <= 16; ++step) {
            const double t = step / 16.0, u = 1 - t;
            const FlowPoint p{u * u * u * points[i].x + 3 * u * u * t * points[i + 1].x +
                                  3 * u * t * t * points[i + 2].x + t * t * t * points[i + 3].x,
                              u * u * u * points[i].y + 3 * u * u * t * points[i + 1].y +
                                  3 * u * t * t * points[i + 2].y + t * t * t * points[i + 3].y};
            if (std::abs(p.x - x) < std::abs(best.x - x))
                best = p;
        }
    return best;
}

} // namespace

FlowRect labelSize(const std::string& label) {
    double widest = 0;
    int lines = 0;
    std::size_t at = 0;
    while (at <= label.size() && lines < FlowLayout::kMaxLabelLines) {
        const std::size_t end = std::min(label.find('\n', at), label.size());
        widest = std::max(widest, characters(std::string_view(label).substr(at, end - at)));
        ++lines;
        at = end + 1;
    }
    if (at <= label.size()) // more lines than shown: the last one reads "+N more"
        widest = std::max(widest, 8.0);
    return {0, 0, widest * kCharWidth + kPadding, lines * kLineHeight + 4};
}

std::array<double, kColumnCount> labelGaps(const FlowGraph& graph) {
    std::array<bool, kColumnCount> present{};
    for (const FlowNode& n : graph.nodes())
        present[static_cast<std::size_t>(columnOf(n.kind))] = true;
    std::array<double, kColumnCount> gaps{};
    for (const FlowEdge& e : graph.edges()) {
        if (e.label.empty() || e.kind == EdgeKind::Mesh)
            continue;
        auto column = static_cast<std::size_t>(columnOf(graph.nodes()[e.to].kind));
        if (!besideTarget(graph, e)) { // the gap right after the source's column
            column = static_cast<std::size_t>(columnOf(graph.nodes()[e.from].kind)) + 1;
            while (column < kColumnCount && !present[column])
                ++column;
            if (column >= kColumnCount)
                continue;
        }
        gaps[column] = std::max(gaps[column], labelSize(e.label).width + 2 * kClearance);
    }
    return gaps;
}

void placeLabels(const FlowGraph& graph, FlowLayout& layout) {
    std::map<std::size_t, std::vector<std::string_view>> shownInto; // target -> labels beside it
    for (std::size_t i = 0; i < graph.edges().size(); ++i) {
        const FlowEdge& e = graph.edges()[i];
        EdgeRoute& route = layout.edges[i];
        route.hasLabel = false;
        if (e.label.empty() || route.points.empty() || e.kind == EdgeKind::Mesh)
            continue; // a mesh edge runs back across the columns: its label is its tooltip
        const FlowRect size = labelSize(e.label);
        const FlowRect& from = layout.nodes[e.from];
        const FlowRect& to = layout.nodes[e.to];
        if (besideTarget(graph, e)) {
            auto& shown = shownInto[e.to];
            if (std::find(shown.begin(), shown.end(), e.label) != shown.end())
                continue;
            // Right-aligned against the rule, just above the edge's arrival; further ones stack upwards.
            double y = route.tip.y - size.height / 2 - 1;
            for (std::string_view other : shown)
                y -= (labelSize(std::string(other)).height + size.height) / 2;
            shown.push_back(e.label);
            route.labelCentre = {to.x - kClearance - size.width / 2, y};
        } else {
            route.labelCentre = pointAtX(route.points, (from.x + from.width + to.x) / 2);
        }
        route.hasLabel = true;
    }
}

} // namespace sluice::flow
