// SPDX-License-Identifier: Apache-2.0
#include "export_runner.h"

#include "export_writer.h"

#include <algorithm>

namespace sluice::config {

std::size_t blockingFindings(const model::Diagnostics& findings) {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [](const model::Diagnostic& d) { return d.level == model::Level::Error; }));
}

ExportOutcome runExport(const LoadResult& loaded, const model::Diagnostics& findings,
                        const ExportRequest& request) {
    ExportOutcome outcome;
    if (loaded.unreadable) {
        outcome.error = "some input could not be read; nothing exported";
        return outcome;
    }
    if (request.target.empty()) {
        outcome.error = "no destination given";
        return outcome;
    }
    if (const std::size_t blocking = blockingFindings(findings); blocking > 0 && !request.allowErrors) {
        outcome.error = "refusing to export: " + std::to_string(blocking) +
                        " error(s) remain; fix them, or confirm to export anyway";
        return outcome;
    }
    const ExportPlan plan = planExport(loaded.resources, request.options, &loaded.resources);
    outcome.notes = plan.notes;
    if (plan.files.empty()) {
        outcome.error = plan.notes.empty() ? std::string("nothing to export") : plan.notes.front().message;
        return outcome;
    }
    const std::vector<std::string> paths = exportPaths(plan, request.target);
    if (const auto replaced = overwrittenInputs(paths, loaded.resources);
        !replaced.empty() && !request.allowReplacingInputs) {
        outcome.error = replaced.front() + " is one of the inputs; refusing to replace it";
        return outcome;
    }
    if (!writeExport(plan, request.target, request.options.split, &outcome.error))
        return outcome;
    outcome.written = true;
    outcome.paths = paths;
    outcome.kept = plan.kept;
    outcome.rewritten = plan.rewritten;
    outcome.dropped = plan.dropped;
    return outcome;
}

} // namespace sluice::config
