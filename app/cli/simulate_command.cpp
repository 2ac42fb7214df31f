// SPDX-License-Identifier: Apache-2.0
#include "simulate_command.h"

#include "analysis.h"
#include "diagnostic_formatter.h"
#include "metrics/traffic_report_json.h"
#include "metrics/traffic_report_text.h"
#include "routing/route_table.h"
#include "traffic/recording_reader.h"
#include "traffic/request_profile.h"
#include "traffic/traffic_simulator.h"
#include "validate_command.h"

#include <charconv>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <unistd.h>

namespace sluice::cli {
namespace {

std::size_t errorCount(const model::Diagnostics& diagnostics) {
    return static_cast<std::size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const auto& d) {
        return d.level >= model::Level::Error;
    }));
}

/// "10s", "1m30s", "500ms" (Go's syntax, as Istio's durations), or a plain number of seconds.
std::optional<model::Duration> parseDuration(const std::string& text) {
    if (auto d = model::Duration::parse(text))
        return d;
    double seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc{} || end != text.data() + text.size() || !(seconds >= 0) || seconds > 9.2e9)
        return std::nullopt;
    return model::Duration{static_cast<std::int64_t>(seconds * 1e9)};
}

/// What the report itself leaves out: what was sent, how, and what the model stands in for.
void writeDetails(const traffic::SimulationResult& r, const SimulateArgs& args, std::ostream& out) {
    using metrics::TrafficReportText;
    out << "\nSimulation (seed " << args.seed << ")\n";
    if (!args.replay.empty())
        out << "  Replayed  " << args.replay
            << (args.rate ? " at the given rate" : " with its recorded timing") << '\n';
    if (!args.profile.empty() && args.replay.empty())
        out << "  Profile   " << args.profile << '\n';
    for (std::size_t i = 0; i < r.mix.size(); ++i)
        out << (i == 0 ? "  Sent      " : "            ") << r.mix[i] << '\n';
    if (args.replay.empty() || args.rate)
        out << "  Arrivals  " << args.arrivals << '\n';
    out << "  Ran for   " << TrafficReportText::fixed(r.simulatedSeconds, 3)
        << " s of simulated time (until the last answer)\n";
    const traffic::SimulationCounters& c = r.counters;
    out << "  Attempts  " << c.attempts << " upstream (gateway and sidecars, retries included)\n";
    if (c.calls)
        out << "  Calls     " << c.calls << " between workloads, " << c.failedCalls
            << " without an answer or with a 5xx (the caller still answers with its own status)\n";
    if (c.shadows)
        out << "  Mirrored  " << c.shadows << " shadow requests (their answers dropped)\n";
    out << "  In flight " << c.peakInFlight << " requests at most\n";
    for (const auto& note : r.notes)
        out << "  Note: " << note << '\n';
}

} // namespace

void addSimulateCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<SimulateArgs>();
    CLI::App* cmd = app.add_subcommand(
        "simulate", "What a config does to traffic, computed in simulated time (no sockets, seeded)");
    cmd->add_option("-f,--config", args->config, "Config files or directories (recursive)")->required();
    auto* profile = cmd->add_option("--profile", args->profile, "Request mix profile (YAML)");
    auto* replay = cmd->add_option("--replay", args->replay,
                                   "Replay a recording (HAR, Envoy/Istio or nginx access log, Sluice JSONL) "
                                   "with its timing, or at --rate");
    profile->excludes(replay);
    cmd->add_option("--format", args->replayFormat, "Format of the --replay file (default: detected)")
        ->check(CLI::IsMember({"har", "envoy", "envoy-json", "nginx", "jsonl"}));
    auto* requests = cmd->add_option("-n,--requests", args->requests, "Number of requests to send");
    auto* duration =
        cmd->add_option("-d,--duration", args->duration, "Send for this long (10s, 1m30s; default 10s)");
    requests->excludes(duration);
    cmd->add_option("-r,--rate", args->rate,
                    "Requests per second (default 100; with --replay: recorded timing)");
    cmd->add_option("--arrivals", args->arrivals, "Arrival process at --rate")
        ->check(CLI::IsMember({"poisson", "constant"}))
        ->capture_default_str();
    cmd->add_option("--seed", args->seed, "Random seed: the same seed gives the same report")
        ->capture_default_str();
    cmd->add_option("-o,--output", args->output, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    cmd->add_flag("--force", args->force, "Simulate even though the config has errors");
    std::string footer =
        "Routes every request with the gateway's routing table and carries it through the simulated\n"
        "workloads (sluice.dev Workloads, Deployments) as `serve` would: fault delays and aborts, retries,\n"
        "timeouts, circuit breakers, outlier detection, load balancing and the calls between workloads.\n"
        "--profile sends what `sluice load --profile` sends (the same rendering: templates picked by\n"
        "weight, ${seq} the arrival's number, ${random_user}, ${uuid}... drawn from the seed) to the\n"
        "Gateway port `sluice load -f` uses (the HTTP server, port 80 first). Without --profile, one\n"
        "request per HTTP rule of the gateway, equally weighted. Exit status: 0 done, 1 config errors,\n"
        "2 unreadable input or bad usage.";
    footer += "\n\nWhat the figures leave out (the report's second line says so too):\n";
    for (const std::string& item : traffic::TrafficSimulator::approximations())
        footer += "  - " + item + "\n";
    cmd->footer(footer);
    cmd->callback([args, &exitCode] { exitCode = runSimulate(*args); });
}

int runSimulate(const SimulateArgs& args) {
    traffic::SimulationOptions options;
    options.rate = args.rate;
    options.requests = args.requests;
    options.seed = args.seed;
    options.arrivals =
        args.arrivals == "constant" ? traffic::ArrivalProcess::Constant : traffic::ArrivalProcess::Poisson;
    if (!args.duration.empty()) {
        options.duration = parseDuration(args.duration);
        if (!options.duration) {
            std::cerr << "sluice simulate: --duration " << args.duration
                      << ": expected a duration such as 10s, 1m30s or 500ms\n";
            return ExitUnreadable;
        }
    }
    std::shared_ptr<const traffic::RequestProfile> profile;
    if (!args.profile.empty()) {
        traffic::ProfileResult read = traffic::readProfileFile(args.profile);
        if (!read.ok()) {
            std::cerr << read.error().text() << '\n';
            return ExitUnreadable;
        }
        profile = std::make_shared<const traffic::RequestProfile>(std::move(read.profile()));
    }
    if (std::string error = traffic::TrafficSimulator::check(options, !args.replay.empty()); !error.empty()) {
        std::cerr << "sluice simulate: " << error << '\n';
        return ExitUnreadable;
    }

    std::optional<traffic::Recording> recording;
    if (!args.replay.empty()) {
        auto read = traffic::readRecordingFile(args.replay, args.replayFormat.empty()
                                                                ? std::nullopt
                                                                : traffic::formatFromName(args.replayFormat));
        if (!read.ok()) {
            const traffic::ReadError& e = read.error();
            std::cerr << "sluice simulate: --replay " << args.replay << ": " << e.message << '\n';
            for (const auto& s : e.skipped)
                std::cerr << "  " << args.replay << ':' << s.line << ": " << s.reason << '\n';
            return ExitUnreadable;
        }
        recording = std::move(read.recording());
        if (recording->skippedCount)
            std::cerr << "sluice simulate: --replay " << args.replay << ": " << recording->skippedCount
                      << " line(s) skipped (unreadable), " << recording->requests.size() << " replayed\n";
        for (const auto& s : recording->skipped)
            std::cerr << "  " << args.replay << ':' << s.line << ": " << s.reason << '\n';
    }

    const Analysis analysis = analyze(args.config, {});
    const DiagnosticFormatter text(analysis.loaded.resources, OutputFormat::Text, isatty(STDERR_FILENO) != 0);
    if (analysis.loaded.unreadable) {
        text.write(analysis.diagnostics, std::cerr);
        std::cerr << "sluice simulate: some input could not be read; not simulating it.\n";
        return ExitUnreadable;
    }
    if (errorCount(analysis.diagnostics) > 0) {
        text.write(analysis.diagnostics, std::cerr);
        if (!args.force) {
            std::cerr << summaryLine(analysis)
                      << "\nsluice simulate: the config has errors (Istio's webhook would refuse it); not "
                         "simulating it. Fix them, or pass --force.\n";
            return ExitFindings;
        }
    }
    const routing::RouteTablePtr table = routing::compile(analysis.loaded.resources);
    const traffic::SimulationInput input{analysis.loaded.resources, table, nullptr,
                                         recording ? &*recording : nullptr, profile};
    const traffic::SimulationResult result = traffic::TrafficSimulator::run(input, options);
    if (!result.ok()) {
        std::cerr << "sluice simulate: " << result.error << '\n';
        return ExitUnreadable;
    }
    if (args.output == "json") {
        std::cout << metrics::TrafficReportJson::write(result.report) << '\n';
        for (const auto& note : result.notes)
            std::cerr << "sluice simulate: note: " << note << '\n';
        return ExitClean;
    }
    std::cout << metrics::TrafficReportText::render(result.report,
                                                    traffic::TrafficSimulator::approximationsLine());
    writeDetails(result, args, std::cout);
    return ExitClean;
}

} // namespace sluice::cli
