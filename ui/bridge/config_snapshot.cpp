// SPDX-License-Identifier: Apache-2.0
#include "config_snapshot.h"

#include "flow/flow_graph_builder.h"
#include "validate/validator.h"

#include <algorithm>
#include <tuple>

namespace sluice::ui {

std::shared_ptr<const ConfigSnapshot> ConfigSnapshot::build(std::vector<std::string> paths,
                                                            std::map<std::string, std::string> unsavedText) {
    auto snapshot = std::make_shared<ConfigSnapshot>();
    snapshot->paths = std::move(paths);
    config::LoadOptions options;
    options.unsavedText = std::move(unsavedText);
    snapshot->loaded = config::loadPaths(snapshot->paths, options);
    snapshot->diagnostics = snapshot->loaded.diagnostics;
    model::Diagnostics found = validate::validate(snapshot->loaded.resources);
    snapshot->diagnostics.insert(snapshot->diagnostics.end(), std::make_move_iterator(found.begin()),
                                 std::make_move_iterator(found.end()));
    std::stable_sort(snapshot->diagnostics.begin(), snapshot->diagnostics.end(),
                     [](const model::Diagnostic& a, const model::Diagnostic& b) {
                         return std::tie(a.span.file, a.span.line, a.span.column, a.code) <
                                std::tie(b.span.file, b.span.line, b.span.column, b.code);
                     });
    snapshot->table = routing::compile(snapshot->loaded.resources);
    snapshot->flow =
        flow::buildFlowGraph(snapshot->loaded.resources, snapshot->diagnostics, *snapshot->table);
    return snapshot;
}

} // namespace sluice::ui
