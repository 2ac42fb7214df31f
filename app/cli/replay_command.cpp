// SPDX-License-Identifier: Apache-2.0
#include "replay_command.h"

#include "dev_certs.h"
#include "proxy/dev_certificate_authority.h"
#include "traffic/embedded_gateway.h"
#include "traffic/http_url.h"
#include "traffic/recording_reader.h"
#include "traffic/replay_groups.h"
#include "traffic/replay_report.h"
#include "traffic/replay_source.h"
#include "traffic/routing_diff.h"
#include "traffic/target_address.h"
#include "traffic_cli.h"
#include "validate_command.h"

#include <cmath>
#include <iostream>
#include <map>
#include <memory>

#include <CLI/CLI.hpp>

namespace sluice::cli {

void addReplayCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<ReplayArgs>();
    CLI::App* cmd = app.add_subcommand(
        "replay",
        "Replay recorded traffic (HAR, Envoy/Istio or nginx access logs, Sluice JSONL) with its timing");
    cmd->add_option("file", args->file, "The recording")->required();
    cmd->add_option("--format", args->format, "Read FILE as this format instead of detecting it")
        ->check(CLI::IsMember({"har", "envoy", "envoy-json", "nginx", "jsonl"}));
    auto* config =
        cmd->add_option("-f,--config", args->config,
                        "Serve these config files or directories with the embedded gateway and replay "
                        "through it")
            ->expected(1)
            ->allow_extra_args(false)
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    auto* target = cmd->add_option("--target", args->target, "Replay to this http(s)://host:port instead");
    config->excludes(target);
    auto* speed =
        cmd->add_option("--speed", args->speed, "Replay X times faster than recorded")->capture_default_str();
    auto* rate = cmd->add_option("--rate", args->rate, "Ignore the recorded timing: R requests per second");
    speed->excludes(rate);
    cmd->add_option("--diff", args->diff,
                    "With -f: also route every request with this other config (file or directory) and list "
                    "those whose routing changes");
    cmd->add_option("--host", args->host, "Host for requests whose recording has none (nginx logs)");
    cmd->add_option("-c,--connections", args->connections,
                    "Connections per target (per Gateway port and, over TLS, per server name)")
        ->capture_default_str();
    cmd->add_option("--gateway-workers", args->gatewayWorkers, "With -f: the embedded gateway's threads")
        ->capture_default_str();
    cmd->add_option("--timeout", args->timeout, "Per request")->capture_default_str();
    cmd->add_option("-o,--output", args->output, "Report format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    cmd->add_flag("--dev-certs", args->devCerts,
                  "With -f: TLS servers without a usable certificate get one from the local development CA "
                  "(as `sluice serve --dev-certs`), which the replay trusts (its client certificate too, for "
                  "MUTUAL servers)");
    cmd->add_flag("--force", args->force, "With -f: serve the config even though it has errors");
    cmd->add_flag("-q,--quiet", args->quiet, "No live progress on stderr");
    cmd->footer(
        "Every request keeps its recorded Host/authority, method, path, headers and body (hop-by-hop\n"
        "headers are dropped); with -f it goes to the Gateway port its scheme (or its authority's port)\n"
        "names, and over TLS with its own host as SNI (as the client that recorded it). Lines that cannot be "
        "read, and requests that cannot be sent, are listed with their line\n"
        "numbers. --diff routes both configs with the routing engine the proxy uses (no sockets: exact,\n"
        "weighted routes compare by their configured split). Ctrl+C stops and reports what was measured.\n"
        "Exit status: 0 done, 1 config errors, 2 bad usage, an unreadable recording or target.");
    cmd->callback([args, &exitCode] { exitCode = runReplay(*args); });
}

namespace {

int fail(const std::string& message, int code = ExitUnreadable) {
    std::cerr << "sluice replay: " << message << '\n';
    return code;
}

/// The requests that go to one place (a Gateway port of the embedded gateway, or the --target)
/// over connections of one kind: over TLS, one server name (traffic::ReplayGroup says why).
struct Group {
    traffic::LoadTarget target;
    std::uint32_t gatewayPort = 0;
    std::vector<std::size_t> requests; ///< prepared indices, in time order
};

} // namespace

int runReplay(const ReplayArgs& args) {
    if (!std::isfinite(args.speed) || args.speed <= 0 || args.speed > 1e6)
        return fail("--speed must be a positive number (at most 1000000)");
    if (args.rate &&
        (!std::isfinite(*args.rate) || *args.rate <= 0 || *args.rate > traffic::LoadOptions::kMaxRate))
        return fail("--rate must be a positive number of requests per second (at most 10000000)");
    if (args.config.empty() && args.target.empty())
        return fail("give -f CONFIG (replay through the embedded gateway) or --target URL");
    if (!args.diff.empty() && args.config.empty())
        return fail("--diff compares with the config given by -f: give -f CONFIG too");
    if (args.devCerts && args.config.empty())
        return fail("--dev-certs gives the embedded gateway's TLS servers certificates: give -f CONFIG too");
    const auto timeout = parseDurationText(args.timeout);
    if (!timeout || timeout->count() <= 0)
        return fail("--timeout " + args.timeout + ": expected a positive duration such as 30s");
    std::optional<traffic::HttpUrl> targetUrl;
    if (!args.target.empty() && !(targetUrl = traffic::splitHttpUrl(args.target)))
        return fail("--target " + args.target + ": expected http(s)://host[:port]");

    traffic::ReadResult read = traffic::readRecordingFile(
        args.file, args.format.empty() ? std::nullopt : traffic::formatFromName(args.format));
    if (!read.ok()) {
        const traffic::ReadError& e = read.error();
        std::cerr << e.file << ": error: " << e.message << '\n';
        for (const auto& s : e.skipped)
            std::cerr << "  " << e.file << ':' << s.line << ": " << s.reason << '\n';
        return ExitUnreadable;
    }
    const traffic::Recording& recording = read.recording();
    traffic::ReplayReport report;
    report.file = args.file;
    report.format =
        recording.detail.empty() ? std::string(traffic::formatName(recording.format)) : recording.detail;
    report.recorded = recording.requests.size();
    report.unreadable = recording.skipped;
    report.unreadableCount = recording.skippedCount;
    traffic::ReplayPreparation prepared =
        traffic::prepareReplay(recording, args.host.empty() && targetUrl ? targetUrl->authority : args.host);
    report.unsendable = std::move(prepared.unsendable);
    auto requests = std::make_shared<std::vector<traffic::PreparedRequest>>(std::move(prepared.requests));

    StopSignals signals; // before any thread starts
    std::optional<TrafficConfig> config;
    std::unique_ptr<proxy::DevCertificateAuthority> devCa; // outlives the gateway
    std::unique_ptr<traffic::EmbeddedGateway> gateway;
    std::vector<Group> groups;
    if (!args.config.empty()) {
        int exitCode = ExitClean;
        if (!(config = loadTrafficConfig(args.config, args.force, "replay", exitCode, args.devCerts)))
            return exitCode;
        if (!startEmbeddedGateway(*config, args.gatewayWorkers, args.devCerts, "replay", devCa, gateway,
                                  exitCode))
            return exitCode;
        report.target =
            "the embedded gateway serving " + args.config.front() + (args.config.size() > 1 ? "..." : "");
        traffic::ReplayGrouping grouping = traffic::groupReplayByGateway(*config->table, *requests);
        for (const std::size_t i : grouping.unrouted) {
            const auto& p = (*requests)[i];
            report.unsendable.push_back(
                {recording.requests[p.record].source.line, 0,
                 "no Gateway server listens for it (" + p.scheme + "://" + p.authority + "): not sent"});
        }
        for (traffic::ReplayGroup& rg : grouping.groups) {
            Group& g = groups.emplace_back();
            g.gatewayPort = rg.gatewayPort;
            g.target.port = gateway->localPort(rg.gatewayPort);
            g.target.tls.enabled = rg.tls;
            g.target.tls.sni = rg.sni;
            if (devCa && rg.tls)
                if (std::string error = trustDevCa(*devCa, gateway->mutualWithDevCa(), g.target.tls);
                    !error.empty())
                    return fail("--dev-certs: " + error);
            g.requests = std::move(rg.requests);
        }
    } else {
        std::string error;
        const auto resolved =
            traffic::resolveAuthority(targetUrl->authority, targetUrl->scheme == "https" ? 443 : 80, error);
        if (!resolved)
            return fail("--target: " + error);
        // The target stands in for the recorded server: each request keeps its own host as SNI.
        const bool tls = targetUrl->scheme == "https";
        std::map<std::string, Group> bySni;
        for (std::size_t i = 0; i < requests->size(); ++i) {
            const std::string& authority = (*requests)[i].authority;
            const std::string sni =
                tls ? traffic::authorityHost(authority.empty() ? targetUrl->authority : authority) : "";
            Group& g = bySni[sni];
            g.target.address = resolved->address;
            g.target.port = resolved->port;
            g.target.tls.enabled = tls;
            g.target.tls.sni = sni;
            g.requests.push_back(i);
        }
        for (auto& [sni, g] : bySni)
            groups.push_back(std::move(g));
        report.target = args.target;
        if (const std::string why = traffic::probeTarget(*resolved, std::chrono::milliseconds(3000));
            !why.empty())
            return fail("cannot connect to " + args.target + ": " + why);
    }
    if (!args.diff.empty()) {
        const Analysis other = analyze({args.diff}, {});
        if (other.loaded.unreadable)
            return fail("--diff " + args.diff + ": some input could not be read");
        if (countAtOrAbove(other.diagnostics, model::Level::Error) > 0)
            std::cerr << "sluice replay: warning: --diff " << args.diff << ": " << summaryLine(other) << '\n';
        report.diffConfig = args.diff;
        report.diff = traffic::diffRouting(*config->table, *routing::compile(other.loaded.resources),
                                           recording, *requests);
    }

    // One engine per target on one timeline: slot k of a group is due at its recorded offset.
    const std::vector<std::chrono::microseconds> offsets =
        traffic::replayOffsets(recording, *requests, traffic::ReplayTiming{args.speed, args.rate});
    const auto start = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    std::shared_ptr<const traffic::WorkloadAttribution> attribution =
        gateway ? std::make_shared<traffic::WorkloadAttribution>(
                      gateway->plan(), std::span<const metrics::DestinationWeight>{})
                : std::make_shared<traffic::WorkloadAttribution>();
    std::vector<std::unique_ptr<traffic::LoadEngine>> engines;
    std::vector<const Group*> engineGroups;
    for (const Group& g : groups) {
        if (g.requests.empty())
            continue;
        traffic::LoadOptions o;
        o.target = g.target;
        o.connections = args.connections;
        o.timeout = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(*timeout),
                             std::chrono::milliseconds(1));
        o.keepResults = true;
        o.startAt = start;
        auto groupOffsets = std::make_shared<std::vector<std::chrono::microseconds>>();
        for (const std::size_t i : g.requests)
            groupOffsets->push_back(offsets[i]);
        o.offsets = groupOffsets;
        auto slots = std::make_shared<std::vector<std::size_t>>(g.requests);
        engines.push_back(std::make_unique<traffic::LoadEngine>(
            o, std::make_shared<traffic::ReplaySourceFactory>(requests, slots), attribution));
        engineGroups.push_back(&g);
    }
    for (auto& e : engines)
        if (std::string error = e->start(); !error.empty())
            return fail(error);
    std::vector<traffic::LoadEngine*> running;
    for (auto& e : engines)
        running.push_back(e.get());
    ProgressPlan plan;
    plan.quiet = args.quiet;
    plan.requests = requests->size();
    report.interrupted = driveWithProgress(running, plan, signals);

    std::vector<traffic::ReplayedRequest> replayed(requests->size());
    std::vector<bool> sent(requests->size(), false);
    metrics::TrafficTally tally;
    double duration = 0;
    std::uint64_t abandoned = 0;
    for (std::size_t e = 0; e < engines.size(); ++e) {
        traffic::LoadRun run = engines[e]->finish();
        (void)tally.merge(run.tally);
        abandoned += run.abandoned;
        report.interrupted = report.interrupted || run.interrupted;
        duration = std::max(duration, run.durationSeconds);
        for (const traffic::RequestResult& r : run.results) {
            const std::size_t i = engineGroups[e]->requests[r.slot];
            traffic::ReplayedRequest& q = replayed[i];
            q.sentMicros = r.sentMicros;
            q.status = r.status;
            q.workload = r.workload;
            q.latencyMicros = r.latencyMicros;
            q.error = r.error;
            const auto d = attribution->resolve(q.workload);
            q.destination = std::string(d.destination);
            q.subset = std::string(d.subset);
            sent[i] = true;
        }
    }
    if (gateway)
        gateway->stop();
    std::vector<bool> grouped(requests->size(), false);
    for (const Group* g : engineGroups)
        for (const std::size_t i : g->requests)
            grouped[i] = true;
    std::vector<traffic::ReplayedRequest> listed;
    for (std::size_t i = 0; i < requests->size(); ++i) {
        if (!grouped[i])
            continue; // listed as unsendable
        const traffic::PreparedRequest& p = (*requests)[i];
        const traffic::RecordedRequest& rec = recording.requests[p.record];
        traffic::ReplayedRequest& q = replayed[i];
        q.record = p.record;
        q.line = rec.source.line;
        q.entry = rec.source.entry;
        q.dueMicros = offsets[i].count();
        if (!sent[i])
            q.sentMicros = -1;
        q.method = p.method;
        q.authority = p.authority;
        q.path = p.path;
        q.recordedStatus = rec.status;
        if (config)
            if (const auto entry = traffic::gatewayEntryFor(*config->table, p.scheme, p.authority))
                q.route = traffic::summarizeRoute(
                              *config->table, traffic::routingRequestOf(p, entry->gatewayPort, entry->tls))
                              .text();
        listed.push_back(std::move(q));
    }
    report.requests = std::move(listed);
    report.traffic = tally.report(duration, false, args.rate);
    report.traffic.interrupted = report.interrupted;
    report.traffic.abandoned = abandoned;
    // As `sluice load`: the embedded gateway's own count of the flags it set; a --target's unknown.
    report.traffic.responseFlagsKnown = gateway != nullptr;
    if (gateway)
        report.traffic.responseFlags = gateway->responseFlags();
    if (args.output == "json")
        std::cout << traffic::ReplayReportJson::write(report) << '\n';
    else
        std::cout << traffic::ReplayReportText::render(report);
    return ExitClean;
}

} // namespace sluice::cli
