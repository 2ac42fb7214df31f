// SPDX-License-Identifier: Apache-2.0
#pragma once

// What an export would write, before anything is written: the plan, the paths it would create or
// replace, and a unified diff against the files as loaded. The Studio's Export dialog shows this.

#include "exporter.h"
#include "text_diff.h"

#include <string>
#include <vector>

namespace sluice::config {

struct ExportPreview {
    ExportPlan plan;
    std::vector<std::string> paths; ///< what writing the plan to the target creates or replaces
    std::string diff;               ///< unified diff, "" when the export writes what was loaded
    std::size_t insertions = 0;     ///< lines the diff adds
    std::size_t deletions = 0;      ///< lines the diff removes
};

/// The loaded files as one multi-document stream, joined the way a single-file export joins its
/// documents: what "the files as loaded" are for a single-file export's diff.
[[nodiscard]] std::string loadedStream(const model::ResourceSet& resources);

/// Plans the export of `resources` to `target` and diffs it against the files as loaded: a single
/// file against loadedStream(), each split file against the same document as loaded (kept as is,
/// with the apiVersion as read). Pure: writes nothing, never throws, safe from any thread.
[[nodiscard]] ExportPreview previewExport(const model::ResourceSet& resources, const ExportOptions& options,
                                          const std::string& target, const DiffOptions& diffOptions = {});

} // namespace sluice::config
