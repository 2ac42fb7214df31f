// SPDX-License-Identifier: Apache-2.0
#include "graph_command.h"

#include "config/loader.h"
#include "flow/flow_dot.h"
#include "flow/flow_graph_builder.h"
#include "flow/flow_layout.h"
#include "routing/route_table.h"
#include "validate/validator.h"
#include "validate_command.h"

#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace sluice::cli {
namespace {

nlohmann::json point(const flow::FlowPoint& p) {
    return {p.x, p.y};
}

nlohmann::json toJson(const flow::FlowGraph& graph, const flow::FlowLayout* layout) {
    nlohmann::json nodes = nlohmann::json::array(), edges = nlohmann::json::array();
    for (std::size_t i = 0; i < graph.nodes().size(); ++i) {
        const flow::FlowNode& n = graph.nodes()[i];
        nlohmann::json node = {
            {"id", n.id},       {"kind", flow::kindName(n.kind)}, {"column", flow::columnOf(n.kind)},
            {"label", n.label}, {"secondary", n.secondary},       {"greyed", n.greyed}};
        if (n.span.known())
            node["source"] = {{"file", graph.fileOf(i)}, {"line", n.span.line}, {"column", n.span.column}};
        if (n.greyed)
            node["reason"] = n.reason;
        if (!n.diagnostics.empty()) {
            auto& findings = node["diagnostics"] = nlohmann::json::array();
            for (const auto& d : n.diagnostics)
                findings.push_back({{"code", d.code},
                                    {"level", model::levelName(d.level)},
                                    {"line", d.span.line},
                                    {"message", d.message}});
        }
        if (layout && i < layout->nodes.size()) {
            const auto& r = layout->nodes[i];
            node["box"] = {{"x", r.x}, {"y", r.y}, {"width", r.width}, {"height", r.height}};
        }
        nodes.push_back(std::move(node));
    }
    for (std::size_t i = 0; i < graph.edges().size(); ++i) {
        const flow::FlowEdge& e = graph.edges()[i];
        nlohmann::json edge = {{"from", graph.nodes()[e.from].id},
                               {"to", graph.nodes()[e.to].id},
                               {"label", e.label},
                               {"greyed", e.greyed},
                               {"kind", std::string(flow::edgeKindName(e.kind))}};
        if (layout && i < layout->edges.size()) {
            auto& points = edge["points"] = nlohmann::json::array();
            for (const auto& p : layout->edges[i].points)
                points.push_back(point(p));
            if (layout->edges[i].hasLabel)
                edge["labelAt"] = point(layout->edges[i].labelCentre);
        }
        edges.push_back(std::move(edge));
    }
    nlohmann::json out = {{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
    if (layout)
        out["size"] = {{"width", layout->width}, {"height", layout->height}};
    return out;
}

} // namespace

void addGraphCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<GraphArgs>();
    CLI::App* cmd = app.add_subcommand(
        "graph", "Print the flow graph (gateway servers -> rules -> destinations -> subsets -> services -> "
                 "workloads) as Graphviz DOT or JSON; greyed nodes receive no traffic through the gateway");
    cmd->add_option("paths", args->paths, "Files, directories (recursive) or - for stdin")->required();
    cmd->add_option("-f,--format", args->format, "dot (render with `dot -Tsvg`) or json")
        ->check(CLI::IsMember({"dot", "json"}));
    cmd->add_flag("--layout", args->layout, "json: add node boxes and edge splines laid out by Graphviz dot");
    cmd->callback([args, &exitCode] { exitCode = runGraph(*args); });
}

int runGraph(const GraphArgs& args) {
    config::LoadResult loaded = config::loadPaths(args.paths);
    if (loaded.unreadable) {
        for (const auto& d : loaded.diagnostics)
            if (d.code == "SLU0008")
                std::cerr << "sluice: " << loaded.resources.fileName(d.span.file) << ": " << d.message
                          << '\n';
        return ExitUnreadable;
    }
    model::Diagnostics diagnostics = loaded.diagnostics;
    const auto found = validate::validate(loaded.resources);
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
    const auto table = routing::compile(loaded.resources);
    const flow::FlowGraph graph = flow::FlowGraphBuilder(loaded.resources, diagnostics, *table).build();
    if (args.format == "dot") {
        std::cout << flow::toDot(graph);
        return ExitClean;
    }
    flow::FlowLayout layout;
    if (args.layout) {
        layout = flow::FlowLayout::compute(graph);
        if (!layout.error.empty()) {
            std::cerr << "sluice: " << layout.error << '\n';
            return ExitUnreadable;
        }
    }
    std::cout << toJson(graph, args.layout ? &layout : nullptr).dump(2) << '\n';
    return ExitClean;
}

} // namespace sluice::cli
