// SPDX-License-Identifier: Apache-2.0
#pragma once

// One line of block-style YAML taken apart without a parser, for yaml_cursor.cpp and for editors
// (the token a diagnostic's column points at): the items it opens and the key or scalar it holds.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

struct YamlLineEntry {
    enum class Type : std::uint8_t { Item, Key, Scalar };
    Type type = Type::Scalar;
    std::uint32_t column = 0;
    std::string text;              ///< Key: the key (unquoted); Scalar: the text
    std::string value;             ///< Key: what follows `key:` (comment dropped, trimmed)
    std::uint32_t valueColumn = 0; ///< Key: where `value` starts (or would start)
    bool blockScalar = false;      ///< the value (Key) or text (Scalar) opens a `|` or `>` block scalar
};

struct YamlLine {
    bool blank = true;   ///< empty, spaces or a comment only
    bool marker = false; ///< `---`, `...` or a `%` directive
    std::vector<YamlLineEntry> entries;
};

/// Byte offset of the `#` that starts a comment on `line` (outside quotes, at the start or after a
/// space), or npos.
[[nodiscard]] std::size_t yamlCommentStart(std::string_view line);

/// Splits a line: `  - name: a` gives Item@2, Key "name"@4 with value "a". A `-` must be followed by
/// a space or the end of the line to open an item. Keys may be plain, or quoted and followed by `:`.
[[nodiscard]] YamlLine analyseYamlLine(std::string_view line);

/// True when a key with this inline value can still hold a block below it: nothing, or only an
/// anchor or tag (`&base`, `!!map`).
[[nodiscard]] bool opensBlock(std::string_view value);

/// End (exclusive byte offset) of the YAML token that starts at `start` on `line`: a quoted scalar
/// with its quotes, a flow collection up to its closing bracket, or a plain scalar or key up to
/// `: `, ` #`, the end of the line or (inside flow) `,`/`]`/`}`. Trailing spaces are not part of
/// it. At least one byte long when `start` is inside the line; `line.size()` when it is past it.
/// Used to underline the token a diagnostic's column points at.
[[nodiscard]] std::size_t yamlTokenEnd(std::string_view line, std::size_t start);

/// `"text"` or `'text'` without the quotes; anything else as it is.
[[nodiscard]] std::string unquoteYaml(std::string_view text);

} // namespace sluice::config
