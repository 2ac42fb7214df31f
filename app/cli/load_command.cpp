// SPDX-License-Identifier: Apache-2.0
#include "load_command.h"

#include "dev_certs.h"
#include "metrics/time_series_csv.h"
#include "metrics/time_series_json.h"
#include "metrics/traffic_report_json.h"
#include "metrics/traffic_report_text.h"
#include "proxy/dev_certificate_authority.h"
#include "traffic/embedded_gateway.h"
#include "traffic/http_url.h"
#include "traffic/profile_source.h"
#include "traffic/request_profile.h"
#include "traffic/route_lookup.h"
#include "traffic/target_address.h"
#include "traffic_cli.h"
#include "validate_command.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

namespace sluice::cli {

void addLoadCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<LoadArgs>();
    CLI::App* cmd =
        app.add_subcommand("load", "Generate load against a URL, or through the gateway serving -f CONFIG");
    cmd->add_option("-f,--config", args->config,
                    "Serve these config files or directories with the embedded gateway (ephemeral loopback "
                    "ports) and send through it")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmd->add_option(
        "url", args->url,
        "The target http(s)://host[:port]/path. With -f: the Host, path and Gateway port of the requests");
    cmd->add_option("--profile", args->profile, "Request profile YAML (weighted templates; see the docs)");
    cmd->add_option("--rate", args->rate, "Open loop at R requests per second (default: closed loop)");
    cmd->add_option("-c,--connections", args->connections, "Connections (default 50)");
    cmd->add_option("--streams", args->streams, "--h2: requests in flight per connection")
        ->capture_default_str();
    cmd->add_option("--workers", args->workers, "Load generator threads")->capture_default_str();
    cmd->add_option("--gateway-workers", args->gatewayWorkers, "With -f: the embedded gateway's threads")
        ->capture_default_str();
    auto* duration = cmd->add_option("-d,--duration", args->duration,
                                     "How long to send: 10s, 1m30s, or seconds (default 10s)");
    auto* requests = cmd->add_option("-n,--requests", args->requests, "Send this many requests, then stop");
    duration->excludes(requests);
    cmd->add_option("--arrivals", args->arrivals, "Open loop: constant spacing or Poisson arrivals")
        ->check(CLI::IsMember({"constant", "poisson"}))
        ->capture_default_str();
    cmd->add_flag("--h2", args->h2, "HTTP/2: prior knowledge over http://, ALPN h2 over https://");
    cmd->add_option("-o,--output", args->output, "Report format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    cmd->add_option("--csv", args->csv, "Also write the per-second time series to FILE (CSV)");
    cmd->add_option("--series-json", args->seriesJson,
                    "Also write the per-second time series to FILE as JSON (sluice.time-series/v1: the "
                    "--csv columns, one object per second)");
    cmd->add_option("--timeout", args->timeout, "Per request: no whole answer within this is no response")
        ->capture_default_str();
    cmd->add_option("--cacert", args->cacert, "https: verify the server with these CA certificates (PEM)");
    cmd->add_option("--cert", args->cert, "https: client certificate chain (PEM), for MUTUAL servers");
    cmd->add_option("--key", args->key, "https: the client certificate's private key (PEM)");
    cmd->add_option("--sni", args->sni, "https: server name to send (default: the request's host)");
    cmd->add_option("--seed", args->seed, "Random seed (template picks, variables, Poisson arrivals)");
    cmd->add_flag(
        "--dev-certs", args->devCerts,
        "With -f: TLS servers without a usable certificate get one from the local development CA "
        "(as `sluice serve --dev-certs`), and the generator trusts that CA (and, for MUTUAL servers, "
        "presents its client certificate) unless --cacert / --cert say otherwise");
    cmd->add_flag("--force", args->force, "With -f: serve the config even though it has errors");
    cmd->add_flag("-q,--quiet", args->quiet, "No live progress on stderr");
    cmd->footer(
        "Latency is measured from each request's intended send time: in an open loop (--rate) a request due\n"
        "while every connection is busy waits, and the wait counts (no coordinated omission). Through the\n"
        "embedded gateway, the report shows per destination and subset the observed split (from the\n"
        "x-sluice-workload of each answer) next to the configured weights, and the Envoy response flags\n"
        "the gateway set (a URL target's answers carry none: unknown). Ctrl+C stops and reports what was\n"
        "measured (interrupted, with the requests abandoned in flight). Exit status: 0 done, 1 config\n"
        "errors, 2 bad usage, unreadable input or an unreachable target.");
    cmd->callback([args, &exitCode] { exitCode = runLoad(*args); });
}

namespace {

/// Where the run connects and what it sends, decided from the arguments.
struct LoadSetup {
    traffic::LoadTarget target;
    std::string defaultAuthority;
    std::string scheme = "http";
    std::uint32_t gatewayPort = 0; ///< with -f
    std::string description;       ///< for messages
};

int fail(const std::string& message, int code = ExitUnreadable) {
    std::cerr << "sluice load: " << message << '\n';
    return code;
}

bool looksLikeUrl(const std::string& s) {
    return s.starts_with("http://") || s.starts_with("https://");
}

/// The port an authority names ("host:8080", "[::1]:8080"); nullopt when it names none.
std::optional<std::uint32_t> authorityPort(std::string_view authority) {
    const std::size_t colon = authority.rfind(':');
    if (colon == std::string_view::npos || authority.find(']', colon) != std::string_view::npos)
        return std::nullopt;
    std::uint32_t port = 0;
    const auto digits = authority.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size())
        return std::nullopt;
    return port;
}

} // namespace

int runLoad(const LoadArgs& argsIn) {
    LoadArgs args = argsIn;
    // `-f a.yaml b.yaml`: a second config given without its own -f lands in the URL's place.
    if (!args.url.empty() && !looksLikeUrl(args.url) && !args.config.empty() &&
        std::filesystem::exists(args.url)) {
        args.config.push_back(args.url);
        args.url.clear();
    }
    if (!args.url.empty() && !looksLikeUrl(args.url))
        return fail("`" + args.url + "` is not an http:// or https:// URL");
    if (args.url.empty() && args.config.empty())
        return fail("give a target URL, or -f CONFIG to send through the embedded gateway");
    if (args.devCerts && args.config.empty())
        return fail("--dev-certs gives the embedded gateway's TLS servers certificates: give -f CONFIG too");

    traffic::LoadOptions options;
    if (args.rate)
        options.rate = *args.rate;
    options.arrivals =
        args.arrivals == "poisson" ? traffic::ArrivalProcess::Poisson : traffic::ArrivalProcess::Constant;
    options.connections = args.connections.value_or(50);
    options.streams = args.streams;
    options.workers = args.workers;
    options.seed = args.seed;
    options.requests = args.requests;
    if (!args.requests || !args.duration.empty()) {
        const auto d = parseDurationText(args.duration.empty() ? "10s" : args.duration);
        if (!d)
            return fail("--duration " + args.duration + ": expected a duration such as 10s, 1m30s or 2.5");
        options.duration = *d;
    }
    const auto timeout = parseDurationText(args.timeout);
    if (!timeout || timeout->count() <= 0)
        return fail("--timeout " + args.timeout + ": expected a positive duration such as 30s");
    options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
    if (options.timeout.count() == 0)
        options.timeout = std::chrono::milliseconds(1);
    if (args.csv.empty() && args.seriesJson.empty())
        options.seriesSeconds = std::chrono::seconds(60); // nothing reads more: a long run stays flat
    options.target.port = 1;                              // checked for real below
    if (std::string error = traffic::checkLoadOptions(options); !error.empty())
        return fail(error);

    std::shared_ptr<traffic::RequestProfile> profile;
    if (!args.profile.empty()) {
        traffic::ProfileResult read = traffic::readProfileFile(args.profile);
        if (!read.ok()) {
            std::cerr << read.error().text() << '\n';
            return ExitUnreadable;
        }
        profile = std::make_shared<traffic::RequestProfile>(std::move(read.profile()));
    }
    const std::optional<traffic::HttpUrl> url =
        args.url.empty() ? std::nullopt : traffic::splitHttpUrl(args.url);
    if (!args.url.empty() && !url)
        return fail("`" + args.url + "` is not an http:// or https:// URL with a host");

    // Block the stop signals before any thread starts (the gateway's and the engine's).
    StopSignals signals;
    LoadSetup setup;
    std::unique_ptr<proxy::DevCertificateAuthority> devCa; // outlives the gateway
    std::unique_ptr<traffic::EmbeddedGateway> gateway;
    std::optional<TrafficConfig> config;
    std::vector<metrics::DestinationWeight> weights;
    std::shared_ptr<const traffic::WorkloadAttribution> attribution;
    if (!args.config.empty()) {
        int exitCode = ExitClean;
        config = loadTrafficConfig(args.config, args.force, "load", exitCode, args.devCerts);
        if (!config)
            return exitCode;
        std::optional<std::uint32_t> port = url ? authorityPort(url->authority) : std::nullopt;
        if (url && !port)
            port = url->scheme == "https" ? 443 : 80;
        std::optional<traffic::GatewayEntry> entry = traffic::gatewayEntry(*config->table, port);
        if (!entry && url && !port)
            entry = traffic::gatewayEntry(*config->table, std::nullopt, url->scheme == "https");
        if (!entry) {
            std::string ports;
            for (const auto& [p, l] : config->table->listeners())
                ports += (ports.empty() ? "" : ", ") + std::to_string(p);
            return fail("no Gateway server listens on port " + std::to_string(port.value_or(0)) +
                        " (the config listens on " + ports + ")");
        }
        setup.gatewayPort = entry->gatewayPort;
        setup.scheme = entry->tls ? "https" : "http";
        setup.defaultAuthority = url ? url->authority : entry->defaultAuthority;
        if (!startEmbeddedGateway(*config, args.gatewayWorkers, args.devCerts, "load", devCa, gateway,
                                  exitCode))
            return exitCode;
        setup.target.address = "127.0.0.1";
        setup.target.port = gateway->localPort(entry->gatewayPort);
        setup.target.tls.enabled = entry->tls;
        setup.description = "the embedded gateway (Gateway port " + std::to_string(entry->gatewayPort) +
                            " on 127.0.0.1:" + std::to_string(setup.target.port) + ")";
    } else {
        std::string error;
        const auto resolved =
            traffic::resolveAuthority(url->authority, url->scheme == "https" ? 443 : 80, error);
        if (!resolved)
            return fail(error);
        setup.target.address = resolved->address;
        setup.target.port = resolved->port;
        setup.target.tls.enabled = url->scheme == "https";
        setup.scheme = url->scheme;
        setup.defaultAuthority = url->authority;
        setup.description = args.url;
    }
    if (!profile) {
        const std::string path = url ? url->path : "/";
        profile = std::make_shared<traffic::RequestProfile>(
            traffic::RequestProfile::single("GET", setup.defaultAuthority, path));
        if (!url)
            std::cerr << "sluice load: no URL or --profile: sending GET " << setup.defaultAuthority << "/\n";
    }
    setup.target.h2 = args.h2;
    if (setup.target.tls.enabled) {
        setup.target.tls.sni = args.sni.empty() ? traffic::authorityHost(setup.defaultAuthority) : args.sni;
        setup.target.tls.caFile = args.cacert;
        setup.target.tls.certFile = args.cert;
        setup.target.tls.keyFile = args.key;
        if (devCa)
            if (std::string error = trustDevCa(*devCa, gateway->mutualWithDevCa(), setup.target.tls);
                !error.empty())
                return fail("--dev-certs: " + error);
    }
    if (const std::string why =
            traffic::probeTarget({setup.target.address, setup.target.port}, std::chrono::milliseconds(3000));
        !why.empty())
        return fail("cannot connect to " + setup.description + ": " + why);
    if (config) {
        weights = traffic::expectedSplit(*config->table, profile, setup.gatewayPort, setup.target.tls.enabled,
                                         setup.defaultAuthority);
        attribution = std::make_shared<traffic::WorkloadAttribution>(gateway->plan(), weights);
    }
    options.target = setup.target;

    traffic::LoadEngine engine(
        options,
        std::make_shared<traffic::ProfileSourceFactory>(profile, setup.defaultAuthority, setup.scheme),
        attribution);
    if (std::string error = engine.start(); !error.empty())
        return fail(error);
    ProgressPlan plan;
    plan.quiet = args.quiet;
    if (options.duration)
        plan.seconds = std::chrono::duration<double>(*options.duration).count();
    plan.requests = options.requests;
    const bool interrupted = driveWithProgress({&engine}, plan, signals);
    traffic::LoadRun run = engine.finish();
    if (gateway)
        gateway->stop();

    metrics::TrafficReport report = run.tally.report(run.durationSeconds, false, options.rate, weights);
    report.interrupted = interrupted || run.interrupted;
    report.abandoned = run.abandoned;
    // Answers carry no response flags: the embedded gateway counted them (EmbeddedGateway::
    // responseFlags() says why and how); a foreign URL's are unknown, not zero.
    report.responseFlagsKnown = gateway != nullptr;
    if (gateway)
        report.responseFlags = gateway->responseFlags();
    if (args.output == "json")
        std::cout << metrics::TrafficReportJson::write(report) << '\n';
    else
        std::cout << "Load on " << setup.description
                  << (interrupted ? " -- interrupted, partial results" : "") << '\n'
                  << metrics::TrafficReportText::render(report);
    if (!run.firstError.empty() && report.statusCodes.contains(0))
        std::cerr << "sluice load: requests without a response; the first failure: " << run.firstError
                  << '\n';
    if (!args.csv.empty()) {
        std::ofstream out(args.csv, std::ios::binary | std::ios::trunc);
        out << metrics::TimeSeriesCsv::write(run.seconds);
        if (!out)
            return fail("cannot write " + args.csv);
    }
    if (!args.seriesJson.empty()) {
        std::ofstream out(args.seriesJson, std::ios::binary | std::ios::trunc);
        out << metrics::TimeSeriesJson::write(run.seconds);
        if (!out)
            return fail("cannot write " + args.seriesJson);
    }
    return ExitClean;
}

} // namespace sluice::cli
