// SPDX-License-Identifier: Apache-2.0
#pragma once

// What `validate` and `export` share: load, validate, suppress, sort.

#include "config/loader.h"
#include "validate/validator.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::cli {

/// Everything loaded, and every finding that was not suppressed, sorted by file, line and code.
struct Analysis {
    config::LoadResult loaded;
    model::Diagnostics diagnostics;
};

/// Parses `--suppress` values; nullopt with `error` set on the first malformed one.
[[nodiscard]] std::optional<std::vector<validate::Suppression>>
parseSuppressions(const std::vector<std::string>& values, std::string& error);

/// Loads `paths`, validates them and drops what `--suppress` or analyze-suppress annotations silence.
[[nodiscard]] Analysis analyze(const std::vector<std::string>& paths,
                               const validate::ValidateOptions& options);

/// "info", "warning", "error" (the --fail-on values).
[[nodiscard]] model::Level parseLevel(const std::string& text);

/// How many findings are at `level` or above.
[[nodiscard]] std::size_t countAtOrAbove(const model::Diagnostics& diagnostics, model::Level level);

/// "3 errors, 1 warnings, 0 infos in 12 resources."
[[nodiscard]] std::string summaryLine(const Analysis& analysis);

} // namespace sluice::cli
