// SPDX-License-Identifier: Apache-2.0
#pragma once

// An export as `sluice export` performs it, as one call: refuse while findings block it (unless
// forced), refuse to replace an input file, plan, write atomically, report. For front ends that
// are not the CLI (the Studio's Export dialog), so both apply the same rules.

#include "exporter.h"
#include "loader.h"

#include <string>
#include <vector>

namespace sluice::config {

struct ExportRequest {
    std::string target; ///< a file, or with options.split a directory
    ExportOptions options;
    bool allowErrors = false;          ///< export even though blocking findings remain (`--force`)
    bool allowReplacingInputs = false; ///< the target may be one of the loaded files (`--force`)
    /// The lowest level of finding that blocks the export (`--fail-on`).
    model::Level failOn = model::Level::Error;
};

struct ExportOutcome {
    /// Why nothing was written, for front ends that word it their own way.
    enum class Refusal {
        None,
        Unreadable,
        NoDestination,
        Findings,
        NothingToWrite,
        ReplacesInput,
        WriteFailed
    };
    Refusal refusal = Refusal::None;
    bool written = false;
    std::string error;              ///< why nothing (or not everything) was written
    std::vector<std::string> paths; ///< the files written
    model::Diagnostics notes;       ///< what the plan left out, and why
    std::size_t kept = 0;           ///< documents written byte for byte
    std::size_t rewritten = 0;
    std::size_t dropped = 0;
};

/// How many findings block an export: those at `failOn` or above (`sluice export --fail-on`).
[[nodiscard]] std::size_t blockingFindings(const model::Diagnostics& findings,
                                           model::Level failOn = model::Level::Error);

/// Exports `loaded` as `request` says, unless `findings` (everything load and validation reported)
/// still hold Errors and the request does not allow them. Writes files: call it off the GUI thread.
/// Never throws.
[[nodiscard]] ExportOutcome runExport(const LoadResult& loaded, const model::Diagnostics& findings,
                                      const ExportRequest& request);

} // namespace sluice::config
