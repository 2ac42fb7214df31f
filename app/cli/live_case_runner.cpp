// SPDX-License-Identifier: Apache-2.0
#include "live_case_runner.h"

#include "live_case_checks.h"
#include "metrics/metrics_collector.h"
#include "proxy/cluster_policy_compiler.h"
#include "proxy/http1_client.h"
#include "workload/live_gateway.h"

#include <thread>

namespace sluice::cli {
namespace {

using routing::RouteTestOutcome;

/// Scripts `backends` onto the plan's replicas: a Service name scripts every replica of its
/// clusters, any other name the replicas of that Pod / Deployment / Workload (or that replica).
std::string scriptBackends(const std::map<std::string, routing::BackendScript>& backends,
                           workload::FleetPlan& plan) {
    for (const auto& [name, script] : backends) {
        std::chrono::microseconds delay{0};
        if (script.delay) {
            const auto parsed = model::Duration::parse(*script.delay);
            if (!parsed)
                return "backends." + name + ".delay: \"" + *script.delay + "\" is not a duration";
            delay = std::chrono::duration_cast<std::chrono::microseconds>(parsed->value());
        }
        const auto behaviour = workload::BackendBehaviour::scripted(delay, script.status, script.sequence);
        bool matched = false;
        for (const auto& [cluster, members] : plan.clusters) {
            const std::string_view host = std::string_view(cluster).substr(cluster.rfind('|') + 1);
            if (host.starts_with(name + ".") &&
                host.substr(name.size() + 1).find(".svc.") != std::string::npos)
                for (const std::size_t i : members) {
                    plan.replicas[i].behaviour = behaviour;
                    matched = true;
                }
        }
        for (auto& replica : plan.replicas)
            if (replica.owner.name == name || replica.name == name) {
                replica.behaviour = behaviour;
                matched = true;
            }
        if (!matched)
            return "backends: \"" + name + "\" is no Service, Pod or workload of the config";
    }
    return {};
}

/// The case's expectations that only the routing decision carries, as a static case.
std::optional<routing::RouteTestCase> decisionPart(const routing::RouteTestCase& test) {
    const routing::RouteExpectation& e = test.expect;
    routing::RouteTestCase out = test;
    out.live = false;
    out.repeat = 1;
    out.expect = {};
    out.expect.timeout = e.timeout;
    out.expect.retries = e.retries;
    out.expect.delay = e.delay;
    out.expect.mirrors = e.mirrors;
    out.expect.virtualHost = e.virtualHost;
    out.expect.routeConfig = e.routeConfig;
    out.expect.rule = e.rule;
    out.expect.policy = e.policy;
    out.expect.trace = e.trace;
    const bool any = e.timeout || e.retries || e.delay || e.mirrors || e.virtualHost || e.routeConfig ||
                     e.rule || e.policy || !e.trace.empty();
    return any ? std::optional(std::move(out)) : std::nullopt;
}

proxy::ClientRequest clientRequest(const routing::Request& r) {
    proxy::ClientRequest out;
    out.method = r.method;
    out.target = r.target;
    out.host = r.authority;
    for (const auto& [k, v] : r.headers)
        if (k != "host" && k != "Host")
            out.headers.emplace_back(k, v);
    return out;
}

} // namespace

LiveCaseRunner::LiveCaseRunner(const config::LoadResult& loaded, routing::RouteTablePtr table)
    : m_loaded(loaded)
    , m_table(std::move(table)) {}

RouteTestOutcome LiveCaseRunner::run(const routing::RouteTestCase& test) const {
    RouteTestOutcome outcome;
    if (test.request.mesh || test.tcp || test.request.tls) {
        outcome.result = RouteTestOutcome::Result::Skipped;
        outcome.note = "live: only plain HTTP requests to a Gateway port are sent for now";
        return outcome;
    }
    if (const auto decision = decisionPart(test)) {
        RouteTestOutcome routed = routing::runRouteTest(*decision, *m_table);
        outcome.failures = std::move(routed.failures);
    }

    workload::FleetPlan plan = workload::planFleet(m_loaded.resources, m_table->workload());
    if (std::string error = scriptBackends(test.backends, plan); !error.empty()) {
        outcome.result = RouteTestOutcome::Result::Failed;
        outcome.failures.push_back(error);
        return outcome;
    }
    metrics::MetricsCollector collector;
    proxy::ServeOptions options;
    options.ephemeralPorts = true;
    options.workers = 1;
    options.metrics = &collector;
    workload::LiveGateway gateway(options, m_table);
    gateway.drainOnDestroy = std::chrono::milliseconds(1000);
    if (std::string error = gateway.run(
            std::move(plan), proxy::ClusterPolicyCompiler::compile(m_loaded.resources, m_table->workload()));
        !error.empty()) {
        outcome.result = RouteTestOutcome::Result::Failed;
        outcome.failures.push_back("cannot serve the config: " + error);
        return outcome;
    }

    LiveExchanges exchanges;
    {
        const std::uint16_t port = gateway.localPort(test.request.port);
        // Room for the scripted delays: a case may wait on purpose (a backend that takes 20 s).
        const auto timeout =
            std::chrono::milliseconds(30'000) +
            std::chrono::milliseconds(static_cast<std::int64_t>(test.expect.minLatencyMs.value_or(0)));
        proxy::Http1Client client("127.0.0.1", port, timeout);
        const proxy::ClientRequest request = clientRequest(test.request);
        for (std::uint32_t i = 0; i < std::max<std::uint32_t>(1, test.repeat); ++i) {
            if (port == 0) { // no listener for that Gateway port: the gateway refuses the connection
                proxy::ClientResponse refused;
                refused.outcome = proxy::ClientResponse::Outcome::Refused;
                exchanges.responses.push_back(std::move(refused));
                continue;
            }
            exchanges.responses.push_back(client.send(request));
        }
    } // the client's connection closes before the gateway drains
    // The proxy counts a request once its answer is written: wait for the last ones to be counted.
    std::uint64_t answered = 0;
    for (const auto& r : exchanges.responses)
        answered += r.outcome == proxy::ClientResponse::Outcome::Response;
    exchanges.metrics = collector.collect();
    for (int i = 0; i < 300 && exchanges.metrics->totalRequests() < answered; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        exchanges.metrics = collector.collect();
    }
    checkLiveExpectations(test, exchanges, outcome.failures);
    for (const auto& s : exchanges.metrics->series)
        if (!s.key->virtualService.empty() && s.key->ruleIndex >= 0)
            outcome.rulesReached.emplace(s.key->virtualService, s.key->ruleIndex);
    if (!outcome.failures.empty())
        outcome.result = RouteTestOutcome::Result::Failed;
    return outcome;
}

} // namespace sluice::cli
