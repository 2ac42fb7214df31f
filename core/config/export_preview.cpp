// SPDX-License-Identifier: Apache-2.0
#include "export_preview.h"

#include "export_writer.h"

#include <map>

namespace sluice::config {
namespace {

void appendDocument(std::string& out, std::string_view text) {
    if (!out.empty() && out.back() != '\n')
        out += '\n';
    if (!out.empty() && !text.starts_with("---"))
        out += "---\n";
    out += text;
}

void addDiff(ExportPreview& preview, std::string_view before, std::string_view after,
             const std::string& oldName, const std::string& newName, const DiffOptions& options) {
    const TextDiff diff = diffLines(before, after, options);
    preview.insertions += diff.insertions;
    preview.deletions += diff.deletions;
    preview.diff += formatUnified(diff, oldName, newName);
}

} // namespace

std::string loadedStream(const model::ResourceSet& resources) {
    std::string out;
    for (const model::SourceFile& file : resources.files)
        if (!file.text.empty())
            appendDocument(out, file.text);
    return out;
}

ExportPreview previewExport(const model::ResourceSet& resources, const ExportOptions& options,
                            const std::string& target, const DiffOptions& diffOptions) {
    ExportPreview preview;
    // Nothing edited the loaded set: it is its own baseline (as `sluice export` plans it).
    preview.plan = planExport(resources, options, &resources);
    preview.paths = exportPaths(preview.plan, target);
    if (preview.plan.files.empty())
        return preview;
    if (!options.split) {
        addDiff(preview, loadedStream(resources), preview.plan.files.front().text, "(as loaded)",
                target.empty() ? std::string("(export)") : target, diffOptions);
        return preview;
    }
    // Each split file against the same document kept as loaded: the plan without the options
    // that change content names its files the same way.
    const ExportPlan loaded = planExport(resources, {{}, true, false}, &resources);
    std::map<std::string, const std::string*> before;
    for (const ExportFile& file : loaded.files)
        before.emplace(file.name, &file.text);
    for (const ExportFile& file : preview.plan.files) {
        const auto it = before.find(file.name);
        addDiff(preview, it == before.end() ? std::string_view() : std::string_view(*it->second), file.text,
                it == before.end() ? std::string("/dev/null") : "a/" + file.name, "b/" + file.name,
                diffOptions);
    }
    return preview;
}

} // namespace sluice::config
