// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "diagnostic_formatter.h"

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sluice::cli {

/// Exit codes shared by the subcommands: 0 clean, 1 findings at/above --fail-on, 2 unreadable input or bad usage.
enum ExitCode : int { ExitClean = 0, ExitFindings = 1, ExitUnreadable = 2 };

struct ValidateArgs {
    std::vector<std::string> paths;
    std::string output = "text";
    std::string failOn = "error";
    std::vector<std::string> suppress;
    std::string colour = "auto";
};

/// `sluice validate`: registers the subcommand; the callback runs it and stores the exit code.
void addValidateCommand(CLI::App& app, int& exitCode);

[[nodiscard]] int runValidate(const ValidateArgs& args);

} // namespace sluice::cli
