// SPDX-License-Identifier: Apache-2.0
#pragma once

// Completion from the model's schema tables: what may be typed at a point of a YAML document,
// given the key path yamlCursorAt() finds there.

#include "yaml_cursor.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

enum class CompletionKind : std::uint8_t {
    Field,      ///< a key of the message at the cursor
    Kind,       ///< a value for the top-level `kind:`
    ApiVersion, ///< a value for the top-level `apiVersion:`
    Value,      ///< an enum value, or true/false
};

struct Completion {
    std::string text;
    CompletionKind kind = CompletionKind::Field;
    std::string detail; ///< the field's type ("list of HTTPRoute", "string", ...) or what a value is
    bool deprecated = false;
};

/// Every name the schema allows at `cursor`, in schema order: at a document's root the envelope
/// keys (apiVersion, kind, metadata) and the fields of its kind; below it the fields of the message
/// at `cursor.path`, or the values of an enum or boolean field; kinds and apiVersions (those of
/// the document's kind when it has one) as the values of `kind:` and `apiVersion:`.
/// Empty for YamlSlot::None and for paths the schema does not know (map values, unknown kinds).
/// Pure: safe from any thread.
[[nodiscard]] std::vector<Completion> schemaCompletions(const YamlCursor& cursor);

/// schemaCompletions(), keeping the names that start with what is typed (ignoring case) and, for
/// keys, leaving out those the mapping already has.
[[nodiscard]] std::vector<Completion> completeAt(const YamlCursor& cursor);

/// completeAt() at 0-based `line` and byte `column` of `text` (see yamlCursorAt()).
[[nodiscard]] std::vector<Completion> completeAt(std::string_view text, std::uint32_t line,
                                                 std::uint32_t column);

} // namespace sluice::config
