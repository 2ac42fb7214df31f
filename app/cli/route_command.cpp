// SPDX-License-Identifier: Apache-2.0
#include "route_command.h"

#include "decision_formatter.h"
#include "validate_command.h"

#include "config/loader.h"
#include "routing/request_url.h"
#include "routing/route_table.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <random>
#include <unistd.h>

namespace sluice::cli {
namespace {

std::optional<model::GatewayWorkload> workloadFor(const std::string& gateway, const model::ResourceSet& resources,
                                                  std::string& error) {
    model::GatewayWorkload workload = model::GatewayWorkload::defaultIngress();
    if (gateway.empty() || gateway == "mesh")
        return workload;
    const auto slash = gateway.find('/');
    const std::string ns = slash == std::string::npos ? "default" : gateway.substr(0, slash);
    const std::string name = slash == std::string::npos ? gateway : gateway.substr(slash + 1);
    for (const auto& gw : resources.gateways)
        if (gw.header.name() == name && gw.header.ns() == ns) {
            workload.labels.clear();
            for (const auto& [k, v] : gw.spec.selector)
                workload.labels[k] = v.value;
            workload.name = "pods selected by Gateway " + ns + "/" + name;
            return workload;
        }
    error = "no Gateway " + ns + "/" + name + " in the config";
    return std::nullopt;
}

struct Loaded {
    config::LoadResult result;
    routing::RouteTablePtr table;
};

std::optional<Loaded> loadAndCompile(const std::vector<std::string>& config, const std::string& gateway, int& exit) {
    Loaded l;
    l.result = config::loadPaths(config);
    if (l.result.unreadable) {
        for (const auto& d : l.result.diagnostics)
            if (d.code == "SLU0008")
                std::cerr << "sluice: " << l.result.resources.fileName(d.span.file) << ": " << d.message << '\n';
        exit = ExitUnreadable;
        return std::nullopt;
    }
    std::string error;
    const auto workload = workloadFor(gateway, l.result.resources, error);
    if (!workload) {
        std::cerr << "sluice: " << error << '\n';
        exit = ExitUnreadable;
        return std::nullopt;
    }
    l.table = routing::compile(l.result.resources, *workload);
    return l;
}

} // namespace

void addRouteCommands(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<RouteArgs>();
    CLI::App* cmd = app.add_subcommand("route", "Where does this request go, and why: the gateway's decision and trace");
    cmd->add_option("-f,--config", args->config, "Config files or directories")->required();
    cmd->add_option("--gateway", args->gateway, "ns/name of a Gateway (its selector picks the gateway pods), or mesh");
    cmd->add_option("--port", args->port, "Gateway server port (default: the URL's port, else 80 or 443)");
    cmd->add_option("-H,--header", args->headers, "Request header \"name: value\" (repeatable)");
    cmd->add_flag("--tls", args->tls, "Connect with TLS (implied by https://)");
    cmd->add_option("--sni", args->sni, "TLS server name (default: the URL host)");
    cmd->add_option("-X,--request", args->method, "HTTP method")->capture_default_str();
    cmd->add_option("-o,--output", args->output, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    cmd->add_option("--source-label", args->sourceLabels, "Mesh: a label of the calling workload, k=v (repeatable)");
    cmd->add_option("--source-namespace", args->sourceNamespace, "Mesh: namespace of the calling workload")->capture_default_str();
    cmd->add_option("url", args->url, "http://host/path?query, or https://...")->required();
    cmd->footer("Exit status: 0 when the request reaches a healthy upstream, redirect or direct response; 1 when the "
                "gateway would fail it (404, 503, refused, reset); 2 on bad input.");
    cmd->callback([args, &exitCode] { exitCode = runRoute(*args); });

    auto tableArgs = std::make_shared<RouteArgs>();
    CLI::App* routes = app.add_subcommand("routes", "The effective route table per port and host, in match order");
    routes->add_option("-f,--config", tableArgs->config, "Config files or directories")->required();
    routes->add_option("--gateway", tableArgs->gateway, "ns/name of a Gateway (its selector picks the gateway pods)");
    routes->add_option("--port", tableArgs->port, "Only this server port");
    routes->add_option("-o,--output", tableArgs->output, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    routes->callback([tableArgs, &exitCode] {
        int exit = ExitClean;
        auto loaded = loadAndCompile(tableArgs->config, tableArgs->gateway, exit);
        if (!loaded) {
            exitCode = exit;
            return;
        }
        if (tableArgs->output == "json")
            writeRouteTableJson(*loaded->table, std::cout);
        else
            writeRouteTableText(*loaded->table, std::cout);
        exitCode = ExitClean;
    });
}

int runRoute(const RouteArgs& args) {
    std::string error;
    const auto url = routing::parseRequestUrl(args.url, error);
    if (!url) {
        std::cerr << "sluice route: " << error << '\n';
        return ExitUnreadable;
    }
    int exit = ExitClean;
    auto loaded = loadAndCompile(args.config, args.gateway, exit);
    if (!loaded)
        return exit;
    routing::Request request;
    request.mesh = args.gateway == "mesh";
    request.tls = args.tls || url->https;
    request.authority = url->authority;
    request.target = url->target;
    request.method = args.method;
    request.port = args.port ? *args.port : url->port ? *url->port : (request.tls ? 443 : 80);
    if (request.mesh && !args.port && !url->port) {
        // A Service name alone: use its only port, as a client library would.
        std::vector<std::uint32_t> ports;
        for (const auto& [port, config] : loaded->table->mesh()) {
            routing::Request probe = request;
            const std::string host = url->authority;
            if (config->find(host.find('.') == std::string::npos ? host + "." + args.sourceNamespace + ".svc.cluster.local" : host))
                ports.push_back(port);
        }
        if (ports.size() == 1)
            request.port = ports.front();
    }
    if (!args.sni.empty())
        request.sni = args.sni;
    for (const auto& h : args.headers) {
        const auto colon = h.find(':');
        if (colon == std::string::npos) {
            std::cerr << "sluice route: header \"" << h << "\" must be \"name: value\"\n";
            return ExitUnreadable;
        }
        std::string value = h.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        request.headers.emplace_back(h.substr(0, colon), value);
    }
    request.sourceNamespace = args.sourceNamespace;
    for (const auto& l : args.sourceLabels) {
        const auto eq = l.find('=');
        if (eq == std::string::npos) {
            std::cerr << "sluice route: source label \"" << l << "\" must be k=v\n";
            return ExitUnreadable;
        }
        request.sourceLabels[l.substr(0, eq)] = l.substr(eq + 1);
    }
    routing::Rng rng(std::random_device{}());
    const routing::Decision decision = loaded->table->route(request, rng);
    if (args.output == "json")
        writeDecisionJson(request, decision, loaded->table->files(), std::cout);
    else
        writeDecisionText(request, decision, loaded->table->files(), isatty(STDOUT_FILENO), std::cout);
    using routing::Outcome;
    const bool served = decision.outcome == Outcome::Forward || decision.outcome == Outcome::Redirect ||
                        decision.outcome == Outcome::DirectResponse;
    return served ? ExitClean : ExitFindings;
}

} // namespace sluice::cli
