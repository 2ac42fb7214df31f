// SPDX-License-Identifier: Apache-2.0
#include "validate_command.h"

#include "analysis.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace sluice::cli {

void addValidateCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<ValidateArgs>();
    CLI::App* cmd = app.add_subcommand("validate", "Validate Istio config as istioctl analyze and the admission webhook do");
    cmd->add_option("paths", args->paths, "Files, directories (recursive) or - for stdin")->required();
    cmd->add_option("-o,--output", args->output, "Output format")
        ->check(CLI::IsMember({"text", "json", "sarif"}))
        ->capture_default_str();
    cmd->add_option("--fail-on", args->failOn, "Lowest level that makes the exit code 1")
        ->check(CLI::IsMember({"error", "warning", "info"}))
        ->capture_default_str();
    cmd->add_option("--suppress,-S", args->suppress,
                    "Suppress findings: \"CODE=Kind name.namespace\" (globs allowed), repeatable");
    cmd->add_option("--color,--colour", args->colour, "Colour text output")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    cmd->footer("Exit status: 0 clean, 1 findings at or above --fail-on, 2 unreadable input.");
    cmd->callback([args, &exitCode] { exitCode = runValidate(*args); });
}

int runValidate(const ValidateArgs& args) {
    validate::ValidateOptions options;
    std::string error;
    auto suppressions = parseSuppressions(args.suppress, error);
    if (!suppressions) {
        std::cerr << "sluice validate: " << error << '\n';
        return ExitUnreadable;
    }
    options.suppressions = std::move(*suppressions);
    const Analysis analysis = analyze(args.paths, options);
    const config::LoadResult& loaded = analysis.loaded;
    const model::Diagnostics& diagnostics = analysis.diagnostics;

    const OutputFormat format = args.output == "json"    ? OutputFormat::Json
                                : args.output == "sarif" ? OutputFormat::Sarif
                                                         : OutputFormat::Text;
    const bool colour = args.colour == "always" || (args.colour == "auto" && isatty(STDOUT_FILENO));
    DiagnosticFormatter(loaded.resources, format, colour).write(diagnostics, std::cout);

    if (format == OutputFormat::Text) {
        if (diagnostics.empty())
            std::cerr << "\u2714 No validation issues found in " << loaded.resources.resourceCount() << " resources ("
                      << loaded.resources.files.size() << " files).\n";
        else
            std::cerr << summaryLine(analysis) << '\n';
    }
    if (loaded.unreadable)
        return ExitUnreadable;
    return countAtOrAbove(diagnostics, parseLevel(args.failOn)) > 0 ? ExitFindings : ExitClean;
}

} // namespace sluice::cli
