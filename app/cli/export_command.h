// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sluice::cli {

struct ExportArgs {
    std::vector<std::string> paths;
    std::string output;     ///< a file, a directory (with split), or "-" for stdout
    std::string apiVersion; ///< "", "v1", "v1beta1" or "v1alpha3"
    bool split = false;
    bool force = false;     ///< export despite findings, and allow replacing input files
    bool canonical = false; ///< rewrite every document canonically
    std::string failOn = "error";
    std::vector<std::string> suppress;
    std::string colour = "auto";
};

/// `sluice export`: registers the subcommand; the callback runs it and stores the exit code.
void addExportCommand(CLI::App& app, int& exitCode);

/// Loads and validates `paths`; refuses (exit 1) while findings at or above --fail-on remain,
/// unless --force; then writes the export atomically. Exit 2: unreadable input, bad usage, or an
/// output that cannot be written (or would replace an input without --force). Diagnostics and
/// notes go to stderr, so `-o -` keeps stdout for the YAML.
[[nodiscard]] int runExport(const ExportArgs& args);

} // namespace sluice::cli
