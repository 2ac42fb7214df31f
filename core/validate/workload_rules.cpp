// SPDX-License-Identifier: Apache-2.0
// sluice.dev/v1 Workload: our own kind, so its rules are ours (SLU0201 Error, SLU0202 Warning).
// The simulator must never run on a spec that means something other than what it says.

#include "field_checks.h"
#include "names.h"
#include "resource_reporter.h"
#include "rules.h"

#include <algorithm>
#include <charconv>

namespace sluice::validate {
namespace {

constexpr const char* kInvalid = "SLU0201";
constexpr const char* kIneffective = "SLU0202";

bool isHttpStatus(std::uint32_t status) {
    return status >= 100 && status <= 599;
}

/// host:port with a numeric port, as `endpoint: 127.0.0.1:9081` or `localhost:3000`.
bool isEndpoint(std::string_view s) {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size())
        return false;
    std::string_view host = s.substr(0, colon);
    if (host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const std::string_view digits = s.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535)
        return false;
    if (isIpAddress(host))
        return true;
    for (std::size_t start = 0; start <= host.size();) {
        const std::size_t dot = std::min(host.find('.', start), host.size());
        if (!isDns1123Label(host.substr(start, dot - start)))
            return false;
        start = dot + 1;
    }
    return true;
}

void checkLatency(const model::LatencyModel& l, ResourceReporter& r) {
    if (l.fixed.present && (l.p50.present || l.p99.present))
        r.report(kInvalid, model::Level::Error, "spec.latency.fixed", l.fixed.span,
                 "latency.fixed excludes p50 and p99: give a fixed latency or a distribution, not both");
    if (l.p50.present && l.p99.present && l.p99.value < l.p50.value)
        r.report(kInvalid, model::Level::Error, "spec.latency.p99", l.p99.span,
                 "latency.p99 (" + l.p99.value.toString() + ") is below p50 (" + l.p50.value.toString() +
                     ")");
    if (l.p50.present != l.p99.present && !l.fixed.present) {
        const auto& given = l.p50.present ? l.p50 : l.p99;
        r.report(kIneffective, model::Level::Warning, l.p50.present ? "spec.latency.p50" : "spec.latency.p99",
                 given.span,
                 "a single percentile fixes no spread: every request takes " + given.value.toString() +
                     "; give both p50 and p99 for a distribution, or write fixed");
    }
    for (const auto* d : {&l.p50, &l.p99, &l.fixed})
        if (d->present && d->value.nanos < 0)
            r.report(kInvalid, model::Level::Error, "spec.latency", d->span, "latency must not be negative");
}

void checkCalls(const model::WorkloadSpec& spec, ResourceReporter& r) {
    for (std::size_t i = 0; i < spec.calls.size(); ++i) {
        const auto& c = spec.calls[i];
        const std::string at = "spec.calls[" + std::to_string(i) + "]";
        if (!c.service.present || c.service.value.empty())
            r.report(kInvalid, model::Level::Error, at + ".service", c.span,
                     "a call needs the service it calls");
        if (!c.port.present)
            r.report(kInvalid, model::Level::Error, at + ".port", c.span,
                     "a call needs the Service port it calls");
        else if (const std::string why = checkPort(c.port.value); !why.empty())
            r.report(kInvalid, model::Level::Error, at + ".port", c.port.span, why);
        if (c.path.present && !c.path.value.starts_with('/'))
            r.report(kInvalid, model::Level::Error, at + ".path", c.path.span,
                     "call path \"" + c.path.value + "\" must start with /");
    }
}

} // namespace

void checkWorkloadSchema(const model::Workload& workload, model::Diagnostics& out) {
    ResourceReporter r(out, workload);
    const model::WorkloadSpec& spec = workload.spec;
    if (spec.replicas.present && spec.replicas.value < 0)
        r.report(kInvalid, model::Level::Error, "spec.replicas", spec.replicas.span,
                 "replicas must not be negative");
    if (spec.latency)
        checkLatency(*spec.latency, r);
    if (const auto& e = spec.errors) {
        if (e->rate.present && !(e->rate.value >= 0.0 && e->rate.value <= 1.0))
            r.report(kInvalid, model::Level::Error, "spec.errors.rate", e->rate.span,
                     "errors.rate is a fraction from 0 to 1 (0.02 for 2 %)");
        if (e->status.present && !isHttpStatus(e->status.value))
            r.report(kInvalid, model::Level::Error, "spec.errors.status", e->status.span,
                     "errors.status " + std::to_string(e->status.value) + " is not an HTTP status (100-599)");
    }
    for (std::size_t i = 0; i < spec.sequence.size(); ++i)
        if (!isHttpStatus(spec.sequence[i].value))
            r.report(kInvalid, model::Level::Error, "spec.sequence[" + std::to_string(i) + "]",
                     spec.sequence[i].span,
                     std::to_string(spec.sequence[i].value) + " is not an HTTP status (100-599)");
    if (spec.endpoint.present) {
        if (!isEndpoint(spec.endpoint.value))
            r.report(kInvalid, model::Level::Error, "spec.endpoint", spec.endpoint.span,
                     "endpoint \"" + spec.endpoint.value + "\" is not host:port (127.0.0.1:9081)");
        // A real process answers for itself: the simulation settings would silently do nothing.
        const bool simulated =
            spec.latency || spec.errors || !spec.sequence.empty() || spec.responseBytes.present;
        if (simulated)
            r.report(kIneffective, model::Level::Warning, "spec.endpoint", spec.endpoint.span,
                     "with an endpoint the real process answers: latency, errors, sequence and responseBytes "
                     "are ignored");
    }
    if (spec.deployment.present) {
        // The Deployment's pod template gives the labels and its replicas the count; a real process
        // would replace the simulation it configures.
        if (!spec.labels.empty())
            r.report(kInvalid, model::Level::Error, "spec.labels", spec.labels.begin()->second.span,
                     "with deployment the Deployment's pod labels apply: labels must not be given");
        if (spec.replicas.present)
            r.report(kInvalid, model::Level::Error, "spec.replicas", spec.replicas.span,
                     "with deployment the Deployment's replicas apply: replicas must not be given");
        if (spec.endpoint.present)
            r.report(
                kInvalid, model::Level::Error, "spec.endpoint", spec.endpoint.span,
                "deployment simulates the Deployment's pods; endpoint forwards to a real process: give one");
    }
    checkCalls(spec, r);
}

} // namespace sluice::validate
