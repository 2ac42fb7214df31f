// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/diagnostic.h"
#include "model/resource_set.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::validate {

/// `CODE=Kind name.namespace` as istioctl's --suppress takes it; `*` globs in code and name.
struct Suppression {
    std::string code;
    std::string kind;
    std::string name;
    std::string ns;

    /// nullopt with `error` set when the text is not of that form (a bare code is refused, as istioctl does).
    [[nodiscard]] static std::optional<Suppression> parse(std::string_view text, std::string* error = nullptr);
    [[nodiscard]] bool matches(const model::Diagnostic& d) const;
};

/// Removes the findings that `--suppress` flags or a resource's `galley.istio.io/analyze-suppress`
/// annotation (comma-separated codes, `*` for all) silence. As in istioctl, the annotation covers
/// every message about that resource, schema errors from the loader included.
void removeSuppressed(model::Diagnostics& diagnostics, const model::ResourceSet& resources,
                      const std::vector<Suppression>& suppressions);

/// `*`-glob match of a whole string.
[[nodiscard]] bool globMatch(std::string_view pattern, std::string_view text);

} // namespace sluice::validate
