// SPDX-License-Identifier: Apache-2.0
#include "route_test_runner.h"

#include "host_name.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace sluice::routing {
namespace {

std::string show(const std::optional<std::string>& v) {
    return v ? "\"" + *v + "\"" : std::string("null");
}

std::string traceText(const Decision& d) {
    std::string out;
    for (const auto& step : d.trace)
        out += (out.empty() ? "" : " | ") + step.text;
    return out;
}

std::string lastFailure(const Decision& d) {
    for (auto it = d.trace.rbegin(); it != d.trace.rend(); ++it)
        if (it->kind == TraceStep::Kind::Failed || it->kind == TraceStep::Kind::Matched)
            return it->text;
    return {};
}

std::string durationText(const std::optional<model::Duration>& d) {
    return d ? d->toString() : std::string("null");
}

// An expected duration ("0.5s", "500ms") equals the actual one when both parse to the same value.
bool sameDuration(const std::optional<std::string>& want, const std::optional<model::Duration>& got) {
    if (!want || !got)
        return !want && !got;
    const auto parsed = model::Duration::parse(*want);
    return parsed && *parsed == *got;
}

void checkRetries(const RetryExpectation& want, const RetryPolicy& got, std::vector<std::string>& out) {
    if (want.attempts && *want.attempts != got.attempts)
        out.push_back("expected retries.attempts " + std::to_string(*want.attempts) + ", got " +
                      std::to_string(got.attempts));
    if (want.retryOn && *want.retryOn != got.retryOn)
        out.push_back("expected retries.retryOn \"" + *want.retryOn + "\", got \"" + got.retryOn + "\"");
    if (want.retriableStatusCodes && *want.retriableStatusCodes != got.retriableStatusCodes) {
        std::string text;
        for (auto c : got.retriableStatusCodes)
            text += (text.empty() ? "" : ",") + std::to_string(c);
        out.push_back("unexpected retries.retriableStatusCodes [" + text + "]");
    }
    if (want.perTryTimeout && !sameDuration(*want.perTryTimeout, got.perTryTimeout))
        out.push_back("expected retries.perTryTimeout " + show(*want.perTryTimeout) + ", got " +
                      durationText(got.perTryTimeout));
}

void checkPolicies(const RouteExpectation& e, const Decision& d, bool explained,
                   std::vector<std::string>& out) {
    if (e.timeout && !sameDuration(*e.timeout, d.timeout))
        out.push_back("expected timeout " + show(*e.timeout) + ", got " + durationText(d.timeout));
    if (e.retries)
        checkRetries(*e.retries, d.retries, out);
    if (e.delay) {
        const std::optional<model::Duration> injected =
            d.injectedDelay().count() > 0 ? d.fault.delay : std::optional<model::Duration>();
        if (!sameDuration(*e.delay, injected))
            out.push_back("expected injected delay " + show(*e.delay) + ", got " + durationText(injected));
    }
    if (e.mirrors) {
        if (e.mirrors->size() != d.mirrors.size())
            out.push_back("expected " + std::to_string(e.mirrors->size()) + " mirror(s), got " +
                          std::to_string(d.mirrors.size()));
        for (std::size_t i = 0; i < std::min(e.mirrors->size(), d.mirrors.size()); ++i) {
            const auto& want = (*e.mirrors)[i];
            const auto& got = d.mirrors[i];
            if (want.cluster != got.destination.cluster)
                out.push_back("expected mirror " + want.cluster + ", got " + got.destination.cluster);
            if (want.percent && std::fabs(*want.percent - got.percent) > 1e-9)
                out.push_back("expected mirror percentage " + std::to_string(*want.percent) + ", got " +
                              std::to_string(got.percent));
            if (want.host && *want.host != got.authority)
                out.push_back("expected mirror Host \"" + *want.host + "\", got \"" + got.authority + "\"");
        }
    }
    if (e.virtualHost && *e.virtualHost != d.origin.virtualHost)
        out.push_back("expected virtual host \"" + *e.virtualHost + "\", got \"" + d.origin.virtualHost +
                      "\"");
    if (e.routeConfig && *e.routeConfig != d.origin.routeConfig)
        out.push_back("expected route config \"" + *e.routeConfig + "\", got \"" + d.origin.routeConfig +
                      "\"");
    if (e.rule) {
        const std::optional<std::string> got =
            d.origin.ruleIndex >= 0 && !d.origin.virtualService.empty()
                ? std::optional(d.origin.virtualService + "#" + std::to_string(d.origin.ruleIndex))
                : std::nullopt;
        if (*e.rule != got)
            out.push_back("expected rule " + show(*e.rule) + ", got " + show(got));
    }
    if (e.policy && d.loadBalancer.find(*e.policy) == std::string::npos)
        out.push_back("expected policy containing \"" + *e.policy + "\", got \"" + d.loadBalancer + "\"");
    for (const auto& text : explained ? e.trace : std::vector<std::string>()) {
        const bool found = std::any_of(d.trace.begin(), d.trace.end(), [&](const TraceStep& s) {
            return s.text.find(text) != std::string::npos;
        });
        if (!found)
            out.push_back("expected the trace to say \"" + text + "\"; it says: " + traceText(d));
    }
}

void check(const RouteTestCase& test, const Decision& d, bool explained, std::vector<std::string>& out) {
    const RouteExpectation& e = test.expect;
    const auto fail = [&](std::string what) {
        out.push_back(std::move(what));
    };
    if (e.status) {
        const std::string got = statusText(d, test.tcp);
        if (got != *e.status)
            fail("expected status " + *e.status + ", got " + got + " (" + lastFailure(d) + ")");
    }
    const std::optional<std::string> cluster =
        d.destination ? std::optional(d.destination->cluster) : std::nullopt;
    if (e.cluster && *e.cluster != cluster)
        fail("expected cluster " + show(*e.cluster) + ", got " + show(cluster));
    if (e.destination) {
        if (!*e.destination && d.destination)
            fail("expected no destination, got " + d.destination->cluster);
        else if (*e.destination) {
            const auto& want = **e.destination;
            if (!d.destination)
                fail("expected destination " + want.host + ", got none");
            else if (d.destination->host != want.host || d.destination->subset != want.subset ||
                     (want.port && *want.port != d.destination->port))
                fail("expected destination " + want.host + ":" +
                     (want.port ? std::to_string(*want.port) : "?") + " subset \"" + want.subset +
                     "\", got " + d.destination->host + ":" + std::to_string(d.destination->port) +
                     " subset \"" + d.destination->subset + "\"");
        }
    }
    if (e.responseFlag) {
        const std::optional<std::string> got =
            d.responseFlag.empty() ? std::nullopt : std::optional(d.responseFlag);
        if (*e.responseFlag != got)
            fail("expected responseFlag " + show(*e.responseFlag) + ", got " + show(got));
    }
    if (e.location && *e.location != d.location)
        fail("expected location \"" + *e.location + "\", got \"" + d.location + "\"");
    if (e.upstreamPath && *e.upstreamPath != d.upstreamPath)
        fail("expected upstreamPath \"" + *e.upstreamPath + "\", got \"" + d.upstreamPath + "\"");
    if (e.body && *e.body != d.body)
        fail("expected body \"" + *e.body + "\", got \"" + d.body + "\"");
    if (!e.upstreamHeaders.empty() || !e.upstreamHeadersAbsent.empty()) {
        const auto headers = upstreamHeaders(test.request, d);
        auto find = [&](const std::string& name) -> std::optional<std::string> {
            for (const auto& [k, v] : headers)
                if (k == lowerAscii(name))
                    return v;
            return std::nullopt;
        };
        for (const auto& [k, v] : e.upstreamHeaders)
            if (const auto got = find(k); got != v)
                fail("expected upstream header " + k + ": \"" + v + "\", got " + show(got));
        for (const auto& k : e.upstreamHeadersAbsent)
            if (const auto got = find(k))
                fail("expected upstream header " + k + " to be absent, got \"" + *got + "\"");
    }
    for (const auto& [k, v] : e.responseHeaders) {
        std::optional<std::string> got;
        for (const auto& [name, value] : d.responseHeaders.set)
            if (name == lowerAscii(k))
                got = value;
        for (const auto& [name, value] : d.responseHeaders.add)
            if (name == lowerAscii(k) && !got)
                got = value;
        if (got != v)
            fail("expected response header " + k + ": \"" + v + "\", got " + show(got));
    }
    checkPolicies(e, d, explained, out);
}

} // namespace

std::string statusText(const Decision& decision, bool tcp) {
    switch (decision.outcome) {
    case Outcome::ConnectionRefused:
        return "conn_refused";
    case Outcome::ConnectionReset:
        return "conn_reset";
    case Outcome::Forward:
        return tcp ? "connected" : std::to_string(decision.status);
    default:
        return std::to_string(decision.status);
    }
}

std::vector<std::pair<std::string, std::string>> upstreamHeaders(const Request& request,
                                                                 const Decision& decision) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [k, v] : request.headers)
        out.emplace_back(lowerAscii(k), v);
    const auto& ops = decision.requestHeaders;
    std::erase_if(out, [&](const auto& h) {
        return std::find(ops.remove.begin(), ops.remove.end(), h.first) != ops.remove.end();
    });
    for (const auto& [k, v] : ops.set) {
        std::erase_if(out, [&](const auto& h) { return h.first == k; });
        out.emplace_back(k, v);
    }
    for (const auto& [k, v] : ops.add)
        out.emplace_back(k, v);
    std::erase_if(out, [](const auto& h) { return h.first == "host"; });
    out.emplace_back("host",
                     decision.upstreamAuthority.empty() ? request.authority : decision.upstreamAuthority);
    return out;
}

RouteTestOutcome runRouteTest(const RouteTestCase& test, const RouteTable& table) {
    RouteTestOutcome outcome;
    if (test.live) {
        outcome.result = RouteTestOutcome::Result::Skipped;
        outcome.note = "live: needs the running proxy (sluice serve)";
        return outcome;
    }
    Rng rng(0x5EED0000u + test.line);
    std::map<std::string, std::size_t> counts;
    const std::uint32_t runs = std::max<std::uint32_t>(1, test.repeat);
    for (std::uint32_t i = 0; i < runs; ++i) {
        const Decision d = table.route(test.request, rng, i == 0 ? Explain::Yes : Explain::No);
        if (!d.origin.virtualService.empty() && d.origin.ruleIndex >= 0)
            outcome.rulesReached.emplace(d.origin.virtualService, d.origin.ruleIndex);
        ++counts[d.destination ? d.destination->cluster : std::string("(none)")];
        if (outcome.failures.empty())
            check(test, d, i == 0, outcome.failures);
    }
    for (const auto& [cluster, want] : test.expect.distribution) {
        const double got = static_cast<double>(counts[cluster]) / runs;
        if (std::fabs(got - want) > test.expect.tolerance)
            outcome.failures.push_back("expected " + cluster + " to get " + std::to_string(want) +
                                       " of traffic, got " + std::to_string(got));
    }
    if (!test.expect.distribution.empty())
        for (const auto& [cluster, n] : counts)
            if (!test.expect.distribution.contains(cluster) &&
                static_cast<double>(n) / runs > test.expect.tolerance)
                outcome.failures.push_back("unexpected traffic to " + cluster + ": " +
                                           std::to_string(static_cast<double>(n) / runs));
    if (!outcome.failures.empty())
        outcome.result = RouteTestOutcome::Result::Failed;
    return outcome;
}

} // namespace sluice::routing
