// SPDX-License-Identifier: Apache-2.0
#pragma once

// Puts an ExportPlan on disk. Each file is written atomically (atomic_file.h): a reader never sees
// a half-written file. With split, files are written one by one into the directory, so a failure
// part-way leaves complete files only; files already in the directory that the export does not
// produce are left alone (never deleted).

#include "exporter.h"

#include <string>
#include <vector>

namespace sluice::config {

/// The paths writing `plan` to `target` creates or replaces: `target` itself, or `target/<name>`
/// for every file of a split plan.
[[nodiscard]] std::vector<std::string> exportPaths(const ExportPlan& plan, const std::string& target);

/// Those of `outputs` that are one of the files `loaded` was read from (same file, whatever the
/// spelling of the path). An export over its own inputs is allowed only when asked for.
[[nodiscard]] std::vector<std::string> overwrittenInputs(const std::vector<std::string>& outputs,
                                                         const model::ResourceSet& loaded);

/// Writes the plan to `target`: a file, or with a split plan a directory (created when missing).
/// False with `error` set when something could not be written. Never throws.
[[nodiscard]] bool writeExport(const ExportPlan& plan, const std::string& target, bool split,
                               std::string* error = nullptr);

} // namespace sluice::config
