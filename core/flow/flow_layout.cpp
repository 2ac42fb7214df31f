// SPDX-License-Identifier: Apache-2.0
// Graphviz dot lays out each connected part of the flow graph on its own (dot's cost grows much
// faster than the graph, and separate parts do not interact); the parts are then stacked top to
// bottom in graph order and stretched horizontally so that every column lines up across them and
// the gaps between columns make room for the edge labels (placed by edge_labels.cpp, not by dot).

#include "flow_layout.h"

#include "edge_labels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <string>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

namespace sluice::flow {
namespace {

// Graphviz is not thread-safe: cgraph keeps the graph being built and its error state in
// process-wide variables, and dot's layout phases use static work arrays. Layouts may run on
// several workers at once (a snapshot per edit), so every use of the library goes through this
// lock. It guards nothing else and lives only in this file.
std::mutex g_graphvizMutex;

constexpr double kPointsPerInch = 72.0;
constexpr double kNodeHeight = 40.0;
constexpr double kGlyphWidth = 40.0;
constexpr double kMaxNodeWidth = 330.0;
constexpr double kPartGap = 14.0;
constexpr double kColumnGap = 36.0;
constexpr double kNoColumn = std::numeric_limits<double>::quiet_NaN();

/// Graphviz's C API takes `char*` for strings it only reads (it copies them).
char* text(const std::string& s) {
    return const_cast<char*>(s.c_str());
}

void set(void* object, const char* name, const std::string& value) {
    agsafeset(object, const_cast<char*>(name), text(value), const_cast<char*>(""));
}

std::string inches(double points) {
    return std::to_string(points / kPointsPerInch);
}

/// Characters as the eye counts them: UTF-8 continuation bytes do not add width.
double characters(const std::string& s) {
    return static_cast<double>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// One weakly connected part of the graph, laid out in its own coordinates (y downwards).
struct Part {
    std::vector<std::size_t> nodes;
    std::vector<std::size_t> edges;
    std::vector<FlowRect> rects;   ///< parallel to `nodes`
    std::vector<EdgeRoute> routes; ///< parallel to `edges`
    std::array<double, kColumnCount> columnX{kNoColumn, kNoColumn, kNoColumn,
                                             kNoColumn, kNoColumn, kNoColumn}; ///< rank line per column
    std::array<double, kColumnCount> columnHalfWidth{}; ///< half the widest box of each column
    double width = 0;
    double height = 0;
};

std::vector<Part> splitParts(const FlowGraph& graph) {
    std::vector<std::size_t> parent(graph.nodes().size());
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    const auto root = [&](std::size_t n) {
        while (parent[n] != n)
            n = parent[n] = parent[parent[n]];
        return n;
    };
    for (const FlowEdge& e : graph.edges())
        parent[root(e.from)] = root(e.to);
    std::vector<Part> parts;
    std::vector<std::size_t> partOf(parent.size(), SIZE_MAX);
    for (std::size_t n = 0; n < parent.size(); ++n) { // in node order: parts come in graph order
        std::size_t& part = partOf[root(n)];
        if (part == SIZE_MAX) {
            part = parts.size();
            parts.emplace_back();
        }
        parts[part].nodes.push_back(n);
    }
    for (std::size_t e = 0; e < graph.edges().size(); ++e)
        parts[partOf[root(graph.edges()[e].from)]].edges.push_back(e);
    return parts;
}

/// Releases what one dot run allocated, on every path out.
struct DotGraph {
    GVC_t* context;
    Agraph_t* graph = nullptr;
    bool laidOut = false;
    explicit DotGraph(GVC_t* gvc)
        : context(gvc) {
        std::string name = "flow";
        graph = agopen(text(name), Agdirected, nullptr);
    }
    DotGraph(const DotGraph&) = delete;
    DotGraph& operator=(const DotGraph&) = delete;
    ~DotGraph() {
        if (laidOut)
            gvFreeLayout(context, graph);
        agclose(graph);
    }
};

FlowPoint toPoint(pointf p, const boxf& box) {
    return {p.x - box.LL.x, box.UR.y - p.y};
}

bool layoutPart(GVC_t* gvc, const FlowGraph& graph, Part& part) {
    DotGraph dot(gvc);
    Agraph_t* g = dot.graph;
    set(g, "rankdir", "LR");
    set(g, "nodesep", "0.18");
    set(g, "ranksep", "0.7");
    set(g, "ordering", "out"); // a server's rules stay in route order, top to bottom
    agattr(g, AGNODE, text("shape"), text("box"));
    agattr(g, AGNODE, text("fixedsize"), text("true"));
    agattr(g, AGNODE, text("label"), text(""));

    // One rank per column: every column is a rank=same subgraph holding an invisible anchor, and the
    // anchors of the part's columns are chained left to right, so columns can never share a rank.
    const auto& nodes = graph.nodes();
    std::array<Agraph_t*, kColumnCount> columns{};
    std::array<Agnode_t*, kColumnCount> anchors{};
    for (std::size_t n : part.nodes) {
        const auto c = static_cast<std::size_t>(columnOf(nodes[n].kind));
        if (columns[c])
            continue;
        std::string column = "column" + std::to_string(c), anchor = "anchor" + std::to_string(c);
        columns[c] = agsubg(g, text(column), 1);
        set(columns[c], "rank", "same");
        anchors[c] = agnode(columns[c], text(anchor), 1);
        set(anchors[c], "style", "invis");
        set(anchors[c], "width", "0.01");
        set(anchors[c], "height", "0.01");
    }
    Agnode_t* previous = nullptr;
    for (Agnode_t* a : anchors)
        if (a) {
            if (previous)
                set(agedge(g, previous, a, nullptr, 1), "style", "invis");
            previous = a;
        }
    std::vector<Agnode_t*> dotNodes(nodes.size(), nullptr);
    for (std::size_t n : part.nodes) {
        std::string id = "n" + std::to_string(n);
        Agnode_t* node = agnode(columns[static_cast<std::size_t>(columnOf(nodes[n].kind))], text(id), 1);
        const FlowRect size = FlowLayout::nodeSize(nodes[n]);
        set(node, "width", inches(size.width));
        set(node, "height", inches(size.height));
        dotNodes[n] = node;
    }
    std::vector<Agedge_t*> dotEdges;
    for (std::size_t e : part.edges) {
        const FlowEdge& edge = graph.edges()[e];
        Agedge_t* dotEdge = agedge(g, dotNodes[edge.from], dotNodes[edge.to], nullptr, 1);
        if (edge.greyed)
            set(dotEdge, "weight", "0.5"); // live paths stay the straighter ones
        if (edge.kind == EdgeKind::Mesh)
            set(dotEdge, "constraint", "false"); // back from the workload column: no say in the ranks
        dotEdges.push_back(dotEdge);
    }

    if (gvLayout(gvc, g, "dot") != 0)
        return false;
    dot.laidOut = true;

    const boxf box = GD_bb(g);
    part.width = box.UR.x - box.LL.x;
    part.height = box.UR.y - box.LL.y;
    for (std::size_t c = 0; c < anchors.size(); ++c)
        if (anchors[c])
            part.columnX[c] = toPoint(ND_coord(anchors[c]), box).x;
    for (std::size_t n : part.nodes) {
        const double w = ND_width(dotNodes[n]) * kPointsPerInch, h = ND_height(dotNodes[n]) * kPointsPerInch;
        const FlowPoint centre = toPoint(ND_coord(dotNodes[n]), box);
        part.rects.push_back({centre.x - w / 2, centre.y - h / 2, w, h});
        auto& half = part.columnHalfWidth[static_cast<std::size_t>(columnOf(nodes[n].kind))];
        half = std::max(half, w / 2);
    }
    for (Agedge_t* e : dotEdges) {
        EdgeRoute route;
        if (const splines* spl = ED_spl(e); spl && spl->size > 0) {
            const bezier& bz = spl->list[0];
            for (int i = 0; i < bz.size; ++i)
                route.points.push_back(toPoint(bz.list[i], box));
            route.tip =
                bz.eflag ? toPoint(bz.ep, box) : (route.points.empty() ? FlowPoint{} : route.points.back());
        }
        part.routes.push_back(std::move(route));
    }
    return true;
}

/// Maps a part's x to the shared columns: every column's band (its widest box) moves rigidly onto
/// the shared column line, the gaps between bands stretch; slope 1 beyond the first and last band.
class ColumnMap {
public:
    ColumnMap(const Part& part, const std::array<double, kColumnCount>& shared) {
        for (std::size_t c = 0; c < shared.size(); ++c)
            if (!std::isnan(part.columnX[c])) {
                const double half = part.columnHalfWidth[c];
                m_points.emplace_back(part.columnX[c] - half, shared[c] - half);
                m_points.emplace_back(part.columnX[c] + half, shared[c] + half);
            }
    }
    [[nodiscard]] double operator()(double x) const {
        if (x <= m_points.front().first)
            return m_points.front().second + (x - m_points.front().first);
        for (std::size_t i = 1; i < m_points.size(); ++i) {
            const auto& [x0, X0] = m_points[i - 1];
            const auto& [x1, X1] = m_points[i];
            if (x <= x1)
                return x1 > x0 ? X0 + (x - x0) * (X1 - X0) / (x1 - x0) : X1;
        }
        return m_points.back().second + (x - m_points.back().first);
    }

private:
    std::vector<std::pair<double, double>> m_points;
};

/// Moves everything so that nodes, splines and labels all start at (0, 0), and sizes the layout to
/// hold them (a label above the topmost edge may stick out of dot's bounding box).
void fitBounds(const FlowGraph& graph, FlowLayout& layout) {
    double left = 0, top = 0, right = layout.width, bottom = layout.height;
    const auto include = [&](double x0, double y0, double x1, double y1) {
        left = std::min(left, x0);
        top = std::min(top, y0);
        right = std::max(right, x1);
        bottom = std::max(bottom, y1);
    };
    for (const FlowRect& r : layout.nodes)
        include(r.x, r.y, r.x + r.width, r.y + r.height);
    for (std::size_t i = 0; i < layout.edges.size(); ++i) {
        const EdgeRoute& e = layout.edges[i];
        for (const FlowPoint& p : e.points)
            include(p.x, p.y, p.x, p.y);
        if (e.hasLabel) {
            const FlowRect box = labelSize(graph.edges()[i].label);
            include(e.labelCentre.x - box.width / 2, e.labelCentre.y - box.height / 2,
                    e.labelCentre.x + box.width / 2, e.labelCentre.y + box.height / 2);
        }
    }
    const auto shift = [&](FlowPoint& p) {
        p.x -= left;
        p.y -= top;
    };
    for (FlowRect& r : layout.nodes) {
        r.x -= left;
        r.y -= top;
    }
    for (EdgeRoute& e : layout.edges) {
        for (FlowPoint& p : e.points)
            shift(p);
        shift(e.tip);
        shift(e.labelCentre);
    }
    layout.width = right - left;
    layout.height = bottom - top;
}

FlowLayout compose(const FlowGraph& graph, const std::vector<Part>& parts) {
    // Each shared column line sits as far right as any part needs it: at least that part's distance
    // from its previous column, and, for a part's first column, its distance from the part's left edge.
    // Columns present in different parts only must not overlap either: the widest boxes of two
    // neighbouring columns keep a gap between them.
    std::array<double, kColumnCount> halfWidth{};
    for (const Part& p : parts)
        for (std::size_t i = 0; i < p.nodes.size(); ++i) {
            auto& h = halfWidth[static_cast<std::size_t>(columnOf(graph.nodes()[p.nodes[i]].kind))];
            h = std::max(h, p.rects[i].width / 2);
        }
    const auto labelGap = labelGaps(graph);
    std::array<double, kColumnCount> shared{};
    double last = 0;
    std::size_t lastColumn = SIZE_MAX;
    for (std::size_t c = 0; c < shared.size(); ++c) {
        double need = lastColumn == SIZE_MAX
                          ? -1
                          : last + halfWidth[lastColumn] + halfWidth[c] + kColumnGap + labelGap[c];
        for (const Part& p : parts) {
            if (std::isnan(p.columnX[c]))
                continue;
            std::size_t before = c;
            while (before > 0 && std::isnan(p.columnX[before - 1]))
                --before;
            need = std::max(need, before == 0 ? p.columnX[c]
                                              : shared[before - 1] + (p.columnX[c] - p.columnX[before - 1]));
        }
        if (halfWidth[c] == 0) { // no node in this column
            shared[c] = last;
            continue;
        }
        shared[c] = std::max(need, last);
        last = shared[c];
        lastColumn = c;
    }

    FlowLayout layout;
    layout.nodes.resize(graph.nodes().size());
    layout.edges.resize(graph.edges().size());
    double top = 0;
    for (const Part& p : parts) {
        const ColumnMap map(p, shared);
        const auto place = [&](FlowPoint q) {
            return FlowPoint{map(q.x), q.y + top};
        };
        for (std::size_t i = 0; i < p.nodes.size(); ++i) {
            const FlowRect& r = p.rects[i];
            layout.nodes[p.nodes[i]] = {map(r.x + r.width / 2) - r.width / 2, r.y + top, r.width, r.height};
        }
        for (std::size_t i = 0; i < p.edges.size(); ++i) {
            EdgeRoute route = p.routes[i];
            for (auto& q : route.points)
                q = place(q);
            route.tip = place(route.tip);
            layout.edges[p.edges[i]] = std::move(route);
        }
        layout.width = std::max(layout.width, map(p.width));
        top += p.height + kPartGap;
    }
    layout.height = std::max(0.0, top - kPartGap);
    placeLabels(graph, layout);
    fitBounds(graph, layout);
    return layout;
}

} // namespace

FlowRect FlowLayout::nodeSize(const FlowNode& node) {
    const double textWidth = std::max(characters(node.label) * 7.8, characters(node.secondary) * 6.0);
    return {0, 0, std::min(kMaxNodeWidth, kGlyphWidth + textWidth + 10.0), kNodeHeight};
}

FlowLayout FlowLayout::compute(const FlowGraph& graph) {
    if (graph.empty())
        return {};
    std::vector<Part> parts = splitParts(graph);

    bool ok = false;
    {
        const std::lock_guard<std::mutex> lock(g_graphvizMutex);
        agseterr(AGMAX); // no messages on stderr; failures are reported through `error`
        if (GVC_t* gvc = gvContext()) {
            ok = std::all_of(parts.begin(), parts.end(), [&](Part& p) { return layoutPart(gvc, graph, p); });
            gvFreeContext(gvc);
        }
    }
    if (!ok) {
        FlowLayout failed;
        failed.error = "Graphviz dot could not lay out the graph";
        return failed;
    }
    return compose(graph, parts);
}

} // namespace sluice::flow
