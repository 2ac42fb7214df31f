// SPDX-License-Identifier: Apache-2.0
#pragma once

// Parses one YAML document with yaml-cpp and turns every failure into a position and a message,
// adding the checks yaml-cpp skips that Kubernetes' YAML reader (go-yaml) enforces.
// Private to core/config: it pulls in yaml-cpp.

#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace sluice::config {

/// A syntax error: 0-based line and column relative to the parsed text, as yaml-cpp marks are.
struct ParseError {
    std::string message;
    int line = 0;
    int column = 0;
};

struct ParsedDocument {
    YAML::Node root;
    std::optional<ParseError> error; ///< set when the text is not valid YAML; root is then null
};

/// Parses `text` (one document). Never throws. Beyond yaml-cpp's own errors this reports:
/// - nesting deeper than yaml-cpp's limit (about 500 levels of flow collections), readably;
/// - tab characters used as indentation (yaml-cpp says only "illegal map value");
/// - a quoted scalar left open at the end of the text, which yaml-cpp 0.7 silently accepts.
[[nodiscard]] ParsedDocument parseDocument(std::string_view text);

} // namespace sluice::config
