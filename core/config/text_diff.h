// SPDX-License-Identifier: Apache-2.0
#pragma once

// Line diff of two texts, as `diff -u` shows it: Myers' O(ND) algorithm in linear space (the
// middle-snake divide and conquer of "An O(ND) Difference Algorithm and Its Variations", 1986),
// grouped into unified hunks with context lines. Used to preview what an export would change.
//
// A search that grows too costly (two large, mostly different texts) stops early and reports the
// rest of that region as one replacement: the diff stays correct (applying it gives the new text),
// only no longer minimal, and `approximate` says so. Pure functions, never throw on valid input,
// safe from any thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

struct DiffLine {
    enum class Op : std::uint8_t { Context, Delete, Insert };
    Op op = Op::Context;
    std::string text;          ///< the line without its newline
    std::uint32_t oldLine = 0; ///< 1-based line in the old text; 0 for an insertion
    std::uint32_t newLine = 0; ///< 1-based line in the new text; 0 for a deletion
    bool noNewline = false;    ///< the last line of its text, with no newline after it
};

/// One `@@ -oldStart,oldCount +newStart,newCount @@` block. A count of 0 has as start the line
/// before the (empty) range, as GNU diff writes it.
struct DiffHunk {
    std::uint32_t oldStart = 0;
    std::uint32_t oldCount = 0;
    std::uint32_t newStart = 0;
    std::uint32_t newCount = 0;
    std::vector<DiffLine> lines;
};

struct TextDiff {
    std::vector<DiffHunk> hunks;
    std::size_t insertions = 0;
    std::size_t deletions = 0;
    bool approximate = false; ///< a costly region was reported as a whole replacement

    [[nodiscard]] bool identical() const { return hunks.empty(); }
};

struct DiffOptions {
    std::size_t context = 3; ///< unchanged lines shown around each change
    /// Work (diagonal steps) one middle-snake search may spend before it gives up on a region.
    std::size_t workLimit = std::size_t{1} << 23;
};

/// The line diff turning `before` into `after`. Lines end at '\n'; a missing final newline counts as
/// a difference ("\ No newline at end of file").
[[nodiscard]] TextDiff diffLines(std::string_view before, std::string_view after,
                                 const DiffOptions& options = {});

/// `--- oldName` / `+++ newName` then every hunk; "" when the texts are identical.
[[nodiscard]] std::string formatUnified(const TextDiff& diff, std::string_view oldName,
                                        std::string_view newName);

/// diffLines + formatUnified.
[[nodiscard]] std::string unifiedDiff(std::string_view before, std::string_view after,
                                      std::string_view oldName, std::string_view newName,
                                      const DiffOptions& options = {});

} // namespace sluice::config
