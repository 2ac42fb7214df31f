// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/virtual_service.h"
#include "rule_settings.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::config {

/// The outcome of a what-if edit: the new text, or why the text was left alone.
struct RuleEdit {
    std::string text;  ///< the edited text; the input unchanged when nothing differs or on error
    std::string error; ///< empty on success
    bool changed = false;

    [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Edits the YAML `text` that `rule` was loaded from (its spans point into it) so the rule has
/// `wanted`, changing as little as possible: values that exist are replaced in place (the scalar
/// token only: quotes, comments and the rest of the line stay); a missing `weight:`, `timeout:`
/// or `fault:` is inserted as new lines after the last line of its mapping, at the indentation
/// of its siblings (nested levels step as the rule's own YAML does); a timeout or fault that is
/// no longer wanted is removed with its lines. Line endings (LF or CRLF) and the final newline
/// are kept. Rules written in flow style (`{...}`) are refused. Never throws.
/// `wanted.weights` must have one entry per route destination (or be empty: weights unchanged).
[[nodiscard]] RuleEdit editRule(std::string_view text, const model::HTTPRoute& rule,
                                const RuleSettings& wanted);

/// Loads `text` (the file `path`), finds http rule `ruleIndex` of the VirtualService
/// `virtualService` ("ns/name") in it and edits it (editRule()).
[[nodiscard]] RuleEdit editRuleInText(const std::string& path, std::string_view text,
                                      const std::string& virtualService, std::size_t ruleIndex,
                                      const RuleSettings& wanted);

} // namespace sluice::config
