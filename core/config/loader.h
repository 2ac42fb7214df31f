// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/diagnostic.h"
#include "model/resource_set.h"

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sluice::config {

struct LoadOptions {
    std::size_t maxFileBytes = 64u << 20;     ///< larger files are refused, not read
    std::size_t maxDocumentBytes = 16u << 20; ///< per YAML document
    /// Bounds alias expansion ("billion laughs"): a document may visit at most
    /// min(this, max(65536, its size in bytes)) nodes, which no alias-free document reaches.
    std::size_t maxNodesPerDocument = 1u << 21;
    /// loadPaths() loads files on this many threads: 0 = one per core (at most 8), 1 = none.
    /// The result is the same either way, order of resources and diagnostics included.
    unsigned threads = 0;
    /// Editor buffers not yet saved: a file whose path (as loadPaths records it) is a key here is
    /// loaded from this text instead of from disk, so diagnostics describe what the user sees.
    std::map<std::string, std::string> unsavedText;
};

struct LoadResult {
    model::ResourceSet resources;
    model::Diagnostics diagnostics;
    bool unreadable = false; ///< some path could not be read at all (missing, permission, too large)
};

/// A resource kind the loader models, with every apiVersion it accepts for it
/// ("networking.istio.io/v1", ... or "v1" for the core group).
struct ModelledKind {
    std::string kind;
    std::vector<std::string> apiVersions;
};

/// The kinds loadPaths() decodes into the model (others are skipped with SLU0003), in a fixed order.
[[nodiscard]] std::vector<ModelledKind> modelledKinds();

/// Loads files, directories (recursively: .yaml, .yml, .json, sorted) and "-" (stdin).
/// Never throws: every problem becomes a Diagnostic with file:line:column.
[[nodiscard]] LoadResult loadPaths(const std::vector<std::string>& paths, const LoadOptions& options = {});

/// Whether loadPaths() reads a file of this name found in a folder: .yaml, .yml or .json.
[[nodiscard]] bool isConfigFileName(const std::filesystem::path& path);

/// The files loadPaths() reads under `folder`: .yaml, .yml and .json, recursively, hidden folders
/// (.git) skipped, sorted.
[[nodiscard]] std::vector<std::filesystem::path> configFilesUnder(const std::filesystem::path& folder);

/// A text that changes whenever one of the files `paths` names (folders expanded as loadPaths
/// does) is added, removed, resized or rewritten: what a watcher compares to decide to reload.
[[nodiscard]] std::string sourcesFingerprint(const std::vector<std::string>& paths);

/// Loads one in-memory file into `into` (used by tests, stdin and the editor). Call
/// dropRedefinedResources() once the last file is in, as loadPaths does.
void loadText(std::string path, std::string text, LoadResult& into, const LoadOptions& options = {});

/// Resources defined more than once (same kind, namespace and name) keep only their last
/// definition, as `kubectl apply -f a.yaml -f b.yaml` leaves it; each replaced one is reported
/// (SLU0009, Warning) at the definition that was dropped, naming the one that won.
void dropRedefinedResources(LoadResult& result);

} // namespace sluice::config
