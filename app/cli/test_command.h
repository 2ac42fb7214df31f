// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sluice::cli {

struct TestArgs {
    std::vector<std::string> cases;
    std::vector<std::string> config;
    bool coverage = false;
    double failUnder = 0;
    std::string junit;
    bool verbose = false;
    bool live = false; ///< run `live: true` cases against the real proxy instead of skipping them
};

/// `sluice test`: runs route tests (ARCHITECTURE.md format) against the routing engine; with
/// --live, the `live: true` cases run against the real proxy (LiveCaseRunner).
void addTestCommand(CLI::App& app, int& exitCode);
[[nodiscard]] int runTests(const TestArgs& args);

} // namespace sluice::cli
