// SPDX-License-Identifier: Apache-2.0
#pragma once

// Export: turns a loaded ResourceSet back into YAML files, changing only what changed.
//
// - A document whose resources are unchanged keeps its original bytes exactly, comments and
//   formatting included (ResourceSet::files[].text and DocumentInfo begin/end). "Unchanged" is
//   decided structurally (schema_equal.h) against a fresh decode of the original text, so an
//   editor may hand in a ResourceSet it modified.
// - A changed document (an edited, removed or upgraded resource) is written canonically
//   (schema_encoder.h). Kinds the model covers only in part (Service, Pod, Deployment) are instead
//   written over the YAML they were read from, so fields the model does not hold (containers, ...)
//   survive. A changed `kind: List` is written as one document per item.
// - Kinds the model does not cover (Rollouts, Gateway API, CRDs) are carried over verbatim, as are
//   documents that loaded with errors; documents that could not be read as YAML at all are left out
//   (noted).
// - Secrets holding private keys are never written (private_keys.h), nor is any other document
//   that carries a PEM private key; each one left out is noted.
// - Resources with no source position (created in memory) are appended, canonically.
// Guarantee: loading the export gives resources structurally equal to the input (after the
// apiVersion override), minus the Secrets left out.

#include "model/diagnostic.h"
#include "model/resource_set.h"

#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

/// Codes of the notes an export produces (Warnings: the export itself succeeds).
inline constexpr std::string_view kNotePrivateKeyDropped =
    "SLU0901"; ///< a Secret/document with a private key was left out
inline constexpr std::string_view kNoteUnreadableDocument =
    "SLU0902"; ///< a document that could not be loaded was left out
inline constexpr std::string_view kNoteExportFailed =
    "SLU0903"; ///< Error: nothing can be exported (no files planned)

struct ExportOptions {
    /// "" keeps each resource's apiVersion; "v1", "v1beta1" or "v1alpha3" writes every
    /// networking.istio.io resource with that version (one schema, so only apiVersion changes).
    std::string apiVersion;
    bool split = false;     ///< one file per resource, named `kind-namespace-name.yaml`
    bool canonical = false; ///< rewrite every modelled resource (as a changed one is), even unchanged ones
};

struct ExportFile {
    std::string name; ///< split: `kind-namespace-name.yaml`; otherwise empty (the single output)
    std::string text;
};

struct ExportPlan {
    std::vector<ExportFile> files; ///< without split: exactly one, the multi-document stream
    model::Diagnostics notes;      ///< what was left out, and why (an Error note: the export failed)
    std::size_t kept = 0;          ///< documents carried over byte for byte
    std::size_t rewritten = 0;     ///< documents written canonically
    std::size_t dropped = 0;       ///< documents or resources left out
};

/// True for "v1", "v1beta1" and "v1alpha3", the versions networking.istio.io serves.
[[nodiscard]] bool isNetworkingVersion(std::string_view version);

/// Plans an export of `resources` (as loaded by loader.h, possibly edited since). Pure: writes
/// nothing (see export_writer.h), never throws, safe from any thread. `options.apiVersion` must be
/// empty or pass isNetworkingVersion().
/// @param baseline what `resources.files` decode to, when the caller has it (a set that was not
///        edited since it was loaded is its own baseline); nullptr: the files are decoded again here.
[[nodiscard]] ExportPlan planExport(const model::ResourceSet& resources, const ExportOptions& options = {},
                                    const model::ResourceSet* baseline = nullptr);

} // namespace sluice::config
