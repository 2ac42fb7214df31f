// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sluice::cli {

struct GraphArgs {
    std::vector<std::string> paths;
    std::string format = "dot"; ///< dot | json
    bool layout = false;        ///< json: add the Graphviz positions
};

/// `sluice graph`: the Studio's flow graph (gateway servers -> rules -> destinations -> subsets ->
/// services -> workloads) printed as DOT or JSON, for scripts and `dot -Tsvg`.
void addGraphCommand(CLI::App& app, int& exitCode);
[[nodiscard]] int runGraph(const GraphArgs& args);

} // namespace sluice::cli
