// SPDX-License-Identifier: Apache-2.0
#pragma once

// How loadPaths() loads its inputs: resolved first, in order, then loaded on a few threads, one
// file per task, and merged back in input order. Private to core/config.

#include "loader.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sluice::config {

/// One input of loadPaths() (a file, a directory's file, stdin's text or a missing path).
struct LoadJob {
    enum class Kind : std::uint8_t { File, Text, Missing };
    Kind kind = Kind::File;
    std::string path;
    std::string text; ///< Kind::Text: what stdin held
};

/// Loads `job` into `into` as file number `file` of the final result, adding exactly one
/// SourceFile to `into.resources.files`. Called from worker threads: it must touch only `into`.
using LoadJobFunction =
    std::function<void(const LoadJob& job, std::uint32_t file, LoadResult& into, const LoadOptions& options)>;

/// Runs `jobs` (job i becomes file i) on up to LoadOptions::threads workers, each job into its
/// own share, then appends the shares in job order: resources, files and diagnostics come out in
/// exactly the order a sequential run gives.
[[nodiscard]] LoadResult runJobs(const std::vector<LoadJob>& jobs, const LoadOptions& options,
                                 const LoadJobFunction& load);

} // namespace sluice::config
