// SPDX-License-Identifier: Apache-2.0
#include "validate_command.h"

#include "config/loader.h"
#include "validate/validator.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace sluice::cli {
namespace {

model::Level parseLevel(const std::string& text) {
    if (text == "info")
        return model::Level::Info;
    if (text == "warning")
        return model::Level::Warning;
    return model::Level::Error;
}

void sortDiagnostics(model::Diagnostics& diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const model::Diagnostic& a, const model::Diagnostic& b) {
        return std::tie(a.span.file, a.span.line, a.span.column, a.code) <
               std::tie(b.span.file, b.span.line, b.span.column, b.code);
    });
}

} // namespace

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
    for (const std::string& s : args.suppress) {
        std::string error;
        auto parsed = validate::Suppression::parse(s, &error);
        if (!parsed) {
            std::cerr << "sluice validate: " << error << '\n';
            return ExitUnreadable;
        }
        options.suppressions.push_back(std::move(*parsed));
    }

    config::LoadResult loaded = config::loadPaths(args.paths);
    model::Diagnostics diagnostics = std::move(loaded.diagnostics);
    model::Diagnostics found = validate::validate(loaded.resources, options);
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    std::erase_if(diagnostics, [&](const model::Diagnostic& d) {
        return std::any_of(options.suppressions.begin(), options.suppressions.end(),
                           [&](const validate::Suppression& s) { return s.matches(d); });
    });
    sortDiagnostics(diagnostics);

    const OutputFormat format = args.output == "json"    ? OutputFormat::Json
                                : args.output == "sarif" ? OutputFormat::Sarif
                                                         : OutputFormat::Text;
    const bool colour = args.colour == "always" || (args.colour == "auto" && isatty(STDOUT_FILENO));
    DiagnosticFormatter(loaded.resources, format, colour).write(diagnostics, std::cout);

    if (format == OutputFormat::Text) {
        const auto count = [&](model::Level l) {
            return std::count_if(diagnostics.begin(), diagnostics.end(), [&](const auto& d) { return d.level == l; });
        };
        if (diagnostics.empty())
            std::cerr << "\u2714 No validation issues found in " << loaded.resources.resourceCount() << " resources ("
                      << loaded.resources.files.size() << " files).\n";
        else
            std::cerr << count(model::Level::Error) << " errors, " << count(model::Level::Warning) << " warnings, "
                      << count(model::Level::Info) << " infos in " << loaded.resources.resourceCount()
                      << " resources.\n";
    }
    if (loaded.unreadable)
        return ExitUnreadable;
    const model::Level threshold = parseLevel(args.failOn);
    const bool failing = std::any_of(diagnostics.begin(), diagnostics.end(),
                                     [&](const model::Diagnostic& d) { return d.level >= threshold; });
    return failing ? ExitFindings : ExitClean;
}

} // namespace sluice::cli
