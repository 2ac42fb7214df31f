// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace sluice::config {

/// One YAML document's bytes within a file.
struct DocumentSlice {
    std::size_t begin = 0;       ///< first byte of the document's own text (after a bare `---` line)
    std::size_t end = 0;         ///< one past its last byte (start of the next marker line)
    std::uint32_t beginLine = 1; ///< 1-based line of `begin`
    std::uint32_t firstLine = 0; ///< first non-blank, non-marker line; 0 when the document is empty
    bool hasContent = false;     ///< false for documents holding only blanks and comments
};

/// Splits a multi-document YAML stream at column-0 `---` and `...` markers, exactly where YAML
/// itself ends documents, so each document keeps its original bytes for a faithful export.
[[nodiscard]] std::vector<DocumentSlice> splitDocuments(std::string_view text);

} // namespace sluice::config
