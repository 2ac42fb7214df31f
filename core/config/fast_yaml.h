// SPDX-License-Identifier: Apache-2.0
#pragma once

// A fast path for YAML::Load: libyaml's event parser feeding a yaml-cpp node tree, for the
// shapes Kubernetes YAML nearly always has. Private to core/config: it pulls in yaml-cpp.

#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace sluice::config {

/// Parses `text` (one document) into the tree YAML::Load builds for it: same node types, tags
/// ("?" plain, "!" non-plain), styles, scalars, marks (0-based byte position, line, column),
/// nulls (`~`, `null`, `Null`, `NULL`) and aliases sharing their anchor's node.
///
/// nullopt when the text is outside the shapes this path reproduces exactly, or is not valid
/// YAML; the caller then runs YAML::Load, which also owns every error message. Refused: bytes
/// outside printable ASCII (tabs, CR, UTF-8: marks would count differently), empty values (yaml-cpp
/// marks those at the next token), explicit tags, directives, multi-line plain or quoted scalars,
/// compact maps in flow sequences, complex (`?`) keys, more than one document, deep nesting.
/// Never throws.
[[nodiscard]] std::optional<YAML::Node> fastLoad(std::string_view text);

} // namespace sluice::config
