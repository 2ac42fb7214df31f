// SPDX-License-Identifier: Apache-2.0
#include "analysis.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace sluice::cli {

std::optional<std::vector<validate::Suppression>> parseSuppressions(const std::vector<std::string>& values,
                                                                    std::string& error) {
    std::vector<validate::Suppression> out;
    for (const std::string& value : values) {
        auto parsed = validate::Suppression::parse(value, &error);
        if (!parsed)
            return std::nullopt;
        out.push_back(std::move(*parsed));
    }
    return out;
}

Analysis analyze(const std::vector<std::string>& paths, const validate::ValidateOptions& options) {
    Analysis result{config::loadPaths(paths), {}};
    result.diagnostics = std::move(result.loaded.diagnostics);
    result.loaded.diagnostics.clear();
    model::Diagnostics found = validate::validate(result.loaded.resources, options);
    result.diagnostics.insert(result.diagnostics.end(), std::make_move_iterator(found.begin()),
                              std::make_move_iterator(found.end()));
    validate::removeSuppressed(result.diagnostics, result.loaded.resources, options.suppressions);
    std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                     [](const model::Diagnostic& a, const model::Diagnostic& b) {
                         return std::tie(a.span.file, a.span.line, a.span.column, a.code) <
                                std::tie(b.span.file, b.span.line, b.span.column, b.code);
                     });
    return result;
}

model::Level parseLevel(const std::string& text) {
    if (text == "info")
        return model::Level::Info;
    if (text == "warning")
        return model::Level::Warning;
    return model::Level::Error;
}

std::size_t countAtOrAbove(const model::Diagnostics& diagnostics, model::Level level) {
    return static_cast<std::size_t>(
        std::count_if(diagnostics.begin(), diagnostics.end(),
                      [&](const model::Diagnostic& d) { return d.level >= level; }));
}

std::string summaryLine(const Analysis& analysis) {
    const auto count = [&](model::Level l, const char* noun) {
        const auto n = std::count_if(analysis.diagnostics.begin(), analysis.diagnostics.end(),
                                     [&](const model::Diagnostic& d) { return d.level == l; });
        return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
    };
    const std::size_t resources = analysis.loaded.resources.resourceCount();
    return count(model::Level::Error, "error") + ", " + count(model::Level::Warning, "warning") + ", " +
           count(model::Level::Info, "info") + " in " + std::to_string(resources) +
           (resources == 1 ? " resource." : " resources.");
}

} // namespace sluice::cli
