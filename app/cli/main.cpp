// SPDX-License-Identifier: Apache-2.0
// sluice: the headless CLI on the Sluice core.

#include "cli/export_command.h"
#include "cli/graph_command.h"
#include "cli/route_command.h"
#include "cli/serve_command.h"
#include "cli/simulate_command.h"
#include "cli/test_command.h"
#include "cli/traffic_cli.h"
#include "cli/validate_command.h"
#include "proxy/openssl_allocator.h"

#include <iostream>

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    sluice::proxy::installOpenSslAllocator(); // before anything touches OpenSSL
    CLI::App app{"Sluice: validate, trace and exercise Istio ingress configuration", "sluice"};
    app.set_version_flag("--version", std::string("sluice ") + SLUICE_VERSION);
    app.require_subcommand(1);
    int exitCode = sluice::cli::ExitClean;
    sluice::cli::addValidateCommand(app, exitCode);
    sluice::cli::addTestCommand(app, exitCode);
    sluice::cli::addRouteCommands(app, exitCode);
    sluice::cli::addExportCommand(app, exitCode);
    sluice::cli::addGraphCommand(app, exitCode);
    sluice::cli::addServeCommand(app, exitCode);
    sluice::cli::addSimulateCommand(app, exitCode);
    sluice::cli::addTrafficCommands(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : sluice::cli::ExitUnreadable;
    }
    return exitCode;
}
