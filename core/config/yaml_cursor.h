// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where a cursor sits in YAML being typed: the key path of the mapping or value under it, found
// from indentation alone (the text is rarely valid while it is edited, so no parser is involved).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

/// One step of a path through a YAML document: a mapping key, or an item of a sequence.
struct YamlStep {
    std::string key; ///< empty for a sequence item
    bool item = false;

    friend bool operator==(const YamlStep&, const YamlStep&) = default;
};

using YamlPath = std::vector<YamlStep>;

/// "spec.http[].match[]": keys joined by dots, a sequence item as "[]".
[[nodiscard]] std::string formatYamlPath(const YamlPath& path);

/// What the text typed at a cursor becomes.
enum class YamlSlot : std::uint8_t {
    None,  ///< nothing to complete: a comment, a block or quoted scalar, a `---` line, broken text
    Key,   ///< a key of the mapping at `path`
    Value, ///< the scalar value of the node at `path`
};

struct YamlCursor {
    YamlSlot slot = YamlSlot::None;
    YamlPath path;                     ///< from the document's root; a sequence item is a step too
    std::string prefix;                ///< what is already typed of that key or value, up to the cursor
    std::uint32_t prefixColumn = 0;    ///< byte column on the cursor's line where `prefix` starts
    std::vector<std::string> siblings; ///< Key in block style: keys the mapping already has elsewhere
    std::string kind;                  ///< the document's top-level `kind:` value ("" when not written)
    std::string apiVersion;            ///< the document's top-level `apiVersion:` value
};

/// Finds what the cursor at 0-based `line` and byte `column` of `text` is typing.
///
/// Block style is read from indentation: `- ` opens a sequence item (also "compact" sequences at
/// their key's indentation), a `key:` with nothing after it opens a mapping or sequence, comments
/// and block scalar contents (`|`, `>`) are skipped. Flow style (`{a: 1, b: [x, y]}`) is followed
/// on the cursor's line. Only the document holding the cursor (between `---` lines) is read.
/// Never throws; a column past the end of the line is taken as the line's end.
[[nodiscard]] YamlCursor yamlCursorAt(std::string_view text, std::uint32_t line, std::uint32_t column);

} // namespace sluice::config
