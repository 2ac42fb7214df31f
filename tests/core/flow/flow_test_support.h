// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the flow graph tests: load a sample folder or inline YAML the way the Studio does
// (load, validate, compile) and build its flow graph.

#include "config/loader.h"
#include "flow/flow_graph_builder.h"
#include "routing/route_table.h"
#include "validate/validator.h"

#include <set>
#include <string>
#include <vector>

#include <QString>

namespace sluice::test {

struct FlowInput {
    config::LoadResult loaded;
    model::Diagnostics diagnostics;
    routing::RouteTablePtr table;
    flow::FlowGraph graph;
};

inline void finish(FlowInput& in) {
    in.diagnostics = in.loaded.diagnostics;
    const auto found = validate::validate(in.loaded.resources);
    in.diagnostics.insert(in.diagnostics.end(), found.begin(), found.end());
    in.table = routing::compile(in.loaded.resources);
    in.graph = flow::FlowGraphBuilder(in.loaded.resources, in.diagnostics, *in.table).build();
}

/// A sample under samples/ ("bookinfo", "broken/missing-subset.yaml").
inline FlowInput sample(const std::string& relative) {
    FlowInput in;
    in.loaded = config::loadPaths({std::string(SLUICE_SOURCE_DIR) + "/samples/" + relative});
    finish(in);
    return in;
}

inline FlowInput fromYaml(const std::string& yaml) {
    FlowInput in;
    config::loadText("test.yaml", yaml, in.loaded);
    finish(in);
    return in;
}

inline std::set<QString> nodeIds(const flow::FlowGraph& graph, bool greyed) {
    std::set<QString> out;
    for (const auto& n : graph.nodes())
        if (n.greyed == greyed)
            out.insert(QString::fromStdString(n.id));
    return out;
}

/// "from -> to" plus " [label]" when it has one; label lines joined with " | ".
inline std::set<QString> edgeTexts(const flow::FlowGraph& graph) {
    std::set<QString> out;
    for (const auto& e : graph.edges()) {
        QString text = QString::fromStdString(graph.nodes()[e.from].id + " -> " + graph.nodes()[e.to].id);
        if (!e.label.empty())
            text += QStringLiteral(" [") +
                    QString::fromStdString(e.label).replace(QLatin1Char('\n'), QStringLiteral(" | ")) +
                    QLatin1Char(']');
        out.insert(text);
    }
    return out;
}

inline const flow::FlowNode* node(const flow::FlowGraph& graph, const std::string& id) {
    const auto index = graph.find(id);
    return index ? &graph.nodes()[*index] : nullptr;
}

} // namespace sluice::test
