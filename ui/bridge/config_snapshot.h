// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/loader.h"
#include "flow/flow_graph.h"
#include "routing/route_table.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sluice::ui {

/// Everything the Studio shows about one version of the config: what was loaded, every finding
/// (loader and validator, sorted by file, line and code) and the compiled route table. Immutable
/// once built; shared by every view.
struct ConfigSnapshot {
    std::vector<std::string> paths;
    config::LoadResult loaded;
    model::Diagnostics diagnostics;
    routing::RouteTablePtr table;
    /// The flow graph of `table` (cheap to build). Its layout is slow for big configs and arrives
    /// after the snapshot: CoreBridge::flowLaidOut.
    flow::FlowGraphPtr flow;

    /// Loads, validates and compiles `paths`, and builds the flow graph; files named in `unsavedText` (editor
    /// buffers) are taken from there instead of from disk. Slow: call it on a worker, never on the GUI
    /// thread.
    [[nodiscard]] static std::shared_ptr<const ConfigSnapshot>
    build(std::vector<std::string> paths, std::map<std::string, std::string> unsavedText = {});
};

using ConfigSnapshotPtr = std::shared_ptr<const ConfigSnapshot>;

} // namespace sluice::ui
