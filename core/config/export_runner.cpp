// SPDX-License-Identifier: Apache-2.0
#include "export_runner.h"

#include "export_writer.h"

#include <algorithm>

namespace sluice::config {

std::size_t blockingFindings(const model::Diagnostics& findings, model::Level failOn) {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [failOn](const model::Diagnostic& d) { return d.level >= failOn; }));
}

ExportOutcome runExport(const LoadResult& loaded, const model::Diagnostics& findings,
                        const ExportRequest& request) {
    ExportOutcome outcome;
    using Refusal = ExportOutcome::Refusal;
    const auto refuse = [&outcome](Refusal why, std::string text) {
        outcome.refusal = why;
        outcome.error = std::move(text);
        return outcome;
    };
    if (loaded.unreadable)
        return refuse(Refusal::Unreadable, "some input could not be read; nothing exported");
    if (request.target.empty())
        return refuse(Refusal::NoDestination, "no destination given");
    if (const std::size_t blocking = blockingFindings(findings, request.failOn);
        blocking > 0 && !request.allowErrors)
        return refuse(Refusal::Findings, "refusing to export: " + std::to_string(blocking) +
                                             " error(s) remain; fix them, or confirm to export anyway");
    const ExportPlan plan = planExport(loaded.resources, request.options, &loaded.resources);
    outcome.notes = plan.notes;
    if (plan.files.empty())
        return refuse(Refusal::NothingToWrite,
                      plan.notes.empty() ? std::string("nothing to export") : plan.notes.front().message);
    const std::vector<std::string> paths = exportPaths(plan, request.target);
    if (const auto replaced = overwrittenInputs(paths, loaded.resources);
        !replaced.empty() && !request.allowReplacingInputs)
        return refuse(Refusal::ReplacesInput,
                      replaced.front() + " is one of the inputs; refusing to replace it");
    if (std::string why; !writeExport(plan, request.target, request.options.split, &why))
        return refuse(Refusal::WriteFailed, why);
    outcome.written = true;
    outcome.paths = paths;
    outcome.kept = plan.kept;
    outcome.rewritten = plan.rewritten;
    outcome.dropped = plan.dropped;
    return outcome;
}

} // namespace sluice::config
