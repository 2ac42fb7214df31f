// SPDX-License-Identifier: Apache-2.0
#include "export_command.h"

#include "analysis.h"
#include "config/export_runner.h"
#include "config/exporter.h"
#include "diagnostic_formatter.h"
#include "validate_command.h"

#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <unistd.h>

namespace sluice::cli {

void addExportCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<ExportArgs>();
    CLI::App* cmd = app.add_subcommand(
        "export",
        "Write configs that passed validation: unchanged documents byte for byte, changed ones canonically");
    cmd->add_option("paths", args->paths, "Files, directories (recursive) or - for stdin")->required();
    cmd->add_option("-o,--output", args->output,
                    "Output file (one multi-document YAML stream), directory with --split, or - for stdout")
        ->required();
    cmd->add_option(
           "--api-version", args->apiVersion,
           "Write every networking.istio.io resource with this version (same schema; only apiVersion "
           "changes)")
        ->check(CLI::IsMember({"v1", "v1beta1", "v1alpha3"}));
    cmd->add_flag("--split", args->split,
                  "One file per resource in the output directory: kind-namespace-name.yaml");
    cmd->add_flag("--force", args->force,
                  "Export even when findings at or above --fail-on remain, and allow replacing input files");
    cmd->add_flag("--canonical", args->canonical, "Rewrite every document canonically, even unchanged ones");
    cmd->add_option("--fail-on", args->failOn, "Lowest level of finding that blocks the export")
        ->check(CLI::IsMember({"error", "warning", "info"}))
        ->capture_default_str();
    cmd->add_option("--suppress,-S", args->suppress,
                    "Suppress findings: \"CODE=Kind name.namespace\" (globs allowed), repeatable");
    cmd->add_option("--color,--colour", args->colour, "Colour diagnostics")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    cmd->footer("Secrets holding private keys are never written: they are left out and reported.\n"
                "Files are written atomically (temporary file, fsync, rename); files already in an output\n"
                "directory are never deleted.\n"
                "Exit status: 0 exported, 1 findings at or above --fail-on (nothing written), 2 unreadable\n"
                "input, bad usage, or output that cannot be written.");
    cmd->callback([args, &exitCode] { exitCode = runExport(*args); });
}

int runExport(const ExportArgs& args) {
    std::string error;
    auto suppressions = parseSuppressions(args.suppress, error);
    if (!suppressions) {
        std::cerr << "sluice export: " << error << '\n';
        return ExitUnreadable;
    }
    if (args.split && args.output == "-") {
        std::cerr << "sluice export: --split writes one file per resource and needs a directory, not -\n";
        return ExitUnreadable;
    }
    validate::ValidateOptions options;
    options.suppressions = std::move(*suppressions);
    const Analysis analysis = analyze(args.paths, options);
    const model::ResourceSet& resources = analysis.loaded.resources;

    const bool colour = args.colour == "always" || (args.colour == "auto" && isatty(STDERR_FILENO));
    const DiagnosticFormatter text(resources, OutputFormat::Text, colour);
    text.write(analysis.diagnostics, std::cerr);
    if (analysis.loaded.unreadable) {
        std::cerr << "sluice export: some input could not be read; nothing exported.\n";
        return ExitUnreadable;
    }
    if (const std::size_t blocking = countAtOrAbove(analysis.diagnostics, parseLevel(args.failOn))) {
        std::cerr << summaryLine(analysis) << '\n';
        if (!args.force) {
            std::cerr << "sluice export: refusing to export: " << blocking << " finding(s) at or above "
                      << args.failOn << " remain; fix them, or pass --force to export anyway.\n";
            return ExitFindings;
        }
        std::cerr << "sluice export: exporting despite " << blocking << " finding(s) (--force).\n";
    }

    config::ExportOptions exportOptions{args.apiVersion, args.split, args.canonical};
    if (args.output == "-") {
        // Nothing edited the loaded set: it is its own baseline, so the files are not decoded twice.
        const config::ExportPlan plan = config::planExport(resources, exportOptions, &resources);
        text.write(plan.notes, std::cerr);
        if (plan.files.empty())
            return ExitUnreadable;
        std::cout << plan.files.front().text << std::flush;
        return std::cout ? ExitClean : ExitUnreadable;
    }
    // The findings were checked above with the CLI's own wording; the rest is the shared runner.
    config::ExportRequest request{args.output, exportOptions, true, args.force, parseLevel(args.failOn)};
    const config::ExportOutcome outcome = config::runExport(analysis.loaded, analysis.diagnostics, request);
    text.write(outcome.notes, std::cerr);
    if (!outcome.written) {
        std::cerr << "sluice export: " << outcome.error
                  << (outcome.refusal == config::ExportOutcome::Refusal::ReplacesInput
                          ? " (pass --force to allow it)"
                          : "")
                  << ".\n";
        return ExitUnreadable;
    }
    std::cerr << "Exported " << outcome.kept + outcome.rewritten << " documents to " << args.output << " ("
              << outcome.kept << " unchanged byte for byte, " << outcome.rewritten << " rewritten";
    if (outcome.dropped)
        std::cerr << ", " << outcome.dropped << " left out";
    std::cerr << ").\n";
    return ExitClean;
}

} // namespace sluice::cli
