// SPDX-License-Identifier: Apache-2.0
#include "prometheus_exposition.h"

#include <charconv>
#include <cmath>
#include <map>
#include <tuple>

namespace sluice::metrics {
namespace {

constexpr std::string_view kUnknown = "unknown";

std::string_view orUnknown(std::string_view value) {
    return value.empty() ? kUnknown : value;
}

/// "reviews.default.svc.cluster.local" -> {"reviews", "default"}; other hosts name themselves.
std::pair<std::string_view, std::string_view> serviceNameAndNamespace(std::string_view host) {
    const auto first = host.find('.');
    if (first == std::string_view::npos)
        return {host, kUnknown};
    const auto second = host.find('.', first + 1);
    if (second != std::string_view::npos && host.substr(second + 1).starts_with("svc."))
        return {host.substr(0, first), host.substr(first + 1, second - first - 1)};
    return {host, kUnknown};
}

/// What one label set adds up to (series that differ only by replica fall together).
struct Group {
    std::uint64_t requests = 0;
    LatencyHistogram duration;
    SizeHistogram requestBytes;
    SizeHistogram responseBytes;
};

void label(std::string& out, std::string_view name, std::string_view value) {
    if (!out.empty() && out.back() != '{')
        out += ',';
    out += name;
    out += '=';
    PrometheusExposition::appendLabelValue(out, value);
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(std::string& out, std::string_view name, std::string_view suffix, const std::string& labels,
            std::string_view le, double value) {
    out += name;
    out += suffix;
    out += '{';
    out += labels;
    if (!le.empty()) {
        out += ",le=\"";
        out += le;
        out += '"';
    }
    out += "} ";
    PrometheusExposition::appendNumber(out, value);
    out += '\n';
}

/// A histogram's cumulative buckets, sum and count. `countAt(i)`: samples at or below bound i.
template <class CountAt>
void histogram(std::string& out, std::string_view name, const std::string& labels, CountAt countAt,
               std::uint64_t count, double sum) {
    for (std::size_t i = 0; i < PrometheusExposition::kBuckets.size(); ++i) {
        std::string le;
        PrometheusExposition::appendNumber(le, PrometheusExposition::kBuckets[i]);
        sample(out, name, "_bucket", labels, le, static_cast<double>(countAt(i)));
    }
    sample(out, name, "_bucket", labels, "+Inf", static_cast<double>(count));
    sample(out, name, "_sum", labels, {}, sum);
    sample(out, name, "_count", labels, {}, static_cast<double>(count));
}

/// Durations recorded in µs, exported in ms.
void durationHistogram(std::string& out, std::string_view name, const std::string& labels,
                       const LatencyHistogram& h) {
    histogram(
        out, name, labels,
        [&h](std::size_t i) {
            return h.countAtOrBelow(
                static_cast<std::uint64_t>(std::floor(PrometheusExposition::kBuckets[i] * 1000.0)));
        },
        h.count(), static_cast<double>(h.sum()) / 1000.0);
}

void sizeHistogram(std::string& out, std::string_view name, const std::string& labels,
                   const SizeHistogram& h) {
    histogram(
        out, name, labels, [&h](std::size_t i) { return h.cumulative(i); }, h.count,
        static_cast<double>(h.sum));
}

} // namespace

PrometheusExposition::PrometheusExposition(ReporterIdentity reporter)
    : m_reporter(std::move(reporter)) {}

void PrometheusExposition::appendLabelValue(std::string& out, std::string_view value) {
    out += '"';
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    out += '"';
}

void PrometheusExposition::appendNumber(std::string& out, double value) {
    char buf[64];
    const double whole = std::floor(value);
    std::to_chars_result r{};
    if (whole == value && std::fabs(value) < 9.0e15)
        r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(value));
    else
        r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr);
}

std::string PrometheusExposition::istioLabels(const SeriesKey& k) const {
    const bool hasWorkload = !k.workload.empty();
    const auto [serviceName, serviceNamespace] = serviceNameAndNamespace(k.service);
    std::string out;
    label(out, "reporter", "source");
    if (k.ingress()) { // the gateway's own request
        label(out, "source_workload", m_reporter.workload);
        label(out, "source_canonical_service", m_reporter.workload);
        label(out, "source_canonical_revision", "latest");
        label(out, "source_workload_namespace", m_reporter.ns);
        label(out, "source_principal", kUnknown);
        label(out, "source_app", m_reporter.app);
        label(out, "source_version", kUnknown);
    } else { // a workload's call, as its sidecar reports it
        label(out, "source_workload", k.sourceWorkload);
        label(out, "source_canonical_service",
              !k.sourceApp.empty() ? std::string_view(k.sourceApp) : std::string_view(k.sourceWorkload));
        label(out, "source_canonical_revision",
              !k.sourceVersion.empty() ? std::string_view(k.sourceVersion) : "latest");
        label(out, "source_workload_namespace", orUnknown(k.sourceNamespace));
        label(out, "source_principal", kUnknown);
        label(out, "source_app", orUnknown(k.sourceApp));
        label(out, "source_version", orUnknown(k.sourceVersion));
    }
    label(out, "source_cluster", m_reporter.cluster);
    label(out, "destination_workload", orUnknown(k.workload));
    label(out, "destination_workload_namespace", orUnknown(k.workloadNamespace));
    label(out, "destination_principal", kUnknown);
    label(out, "destination_app", orUnknown(k.app));
    label(out, "destination_version", orUnknown(k.version));
    label(out, "destination_service", orUnknown(k.service));
    // Istio's canonical service falls back to the app label, then the workload name; the
    // canonical revision to the version label, then "latest".
    label(out, "destination_canonical_service",
          !k.app.empty() ? std::string_view(k.app) : orUnknown(k.workload));
    label(out, "destination_canonical_revision",
          !k.version.empty() ? std::string_view(k.version) : (hasWorkload ? "latest" : kUnknown));
    label(out, "destination_service_name", k.service.empty() ? kUnknown : serviceName);
    label(out, "destination_service_namespace", k.service.empty() ? kUnknown : serviceNamespace);
    label(out, "destination_cluster", hasWorkload ? std::string_view(m_reporter.cluster) : kUnknown);
    label(out, "request_protocol", "http");
    label(out, "response_code", std::to_string(k.responseCode));
    label(out, "grpc_response_status", "");
    label(out, "response_flags", k.responseFlags.empty() ? std::string_view("-") : k.responseFlags);
    label(out, "connection_security_policy", kUnknown);
    return out;
}

void PrometheusExposition::write(const MetricsSnapshot& snapshot, std::string& out) const {
    std::map<std::string, Group> groups;
    std::map<std::tuple<std::string, int, std::string>, std::uint64_t> routes;
    for (const SeriesStats& s : snapshot.series) {
        if (s.requests == 0)
            continue;
        Group& g = groups[istioLabels(*s.key)];
        g.requests += s.requests;
        // Both compact (a finer series would convert down exactly; a coarser one cannot occur).
        static_cast<void>(g.duration.merge(*s.duration));
        g.requestBytes.merge(s.requestBytes);
        g.responseBytes.merge(s.responseBytes);
        if (!s.key->virtualService.empty())
            routes[{s.key->virtualService, s.key->ruleIndex, s.key->ruleName}] += s.requests;
    }

    header(out, "istio_requests_total", "counter",
           "Requests handled by the gateway and the workloads' sidecars.");
    for (const auto& [labels, g] : groups) {
        out += "istio_requests_total{";
        out += labels;
        out += "} ";
        appendNumber(out, static_cast<double>(g.requests));
        out += '\n';
    }
    header(out, "istio_request_duration_milliseconds", "histogram", "Duration of requests in milliseconds.");
    for (const auto& [labels, g] : groups)
        durationHistogram(out, "istio_request_duration_milliseconds", labels, g.duration);
    header(out, "istio_request_bytes", "histogram", "HTTP request body sizes in bytes.");
    for (const auto& [labels, g] : groups)
        sizeHistogram(out, "istio_request_bytes", labels, g.requestBytes);
    header(out, "istio_response_bytes", "histogram", "HTTP response body sizes in bytes.");
    for (const auto& [labels, g] : groups)
        sizeHistogram(out, "istio_response_bytes", labels, g.responseBytes);

    header(out, "sluice_route_requests_total", "counter",
           "Requests per VirtualService http rule (ns/name and rule index).");
    for (const auto& [route, requests] : routes) {
        const auto& [virtualService, rule, ruleName] = route;
        std::string labels;
        label(labels, "virtual_service", virtualService);
        label(labels, "rule", std::to_string(rule));
        label(labels, "rule_name", ruleName);
        out += "sluice_route_requests_total{";
        out += labels;
        out += "} ";
        appendNumber(out, static_cast<double>(requests));
        out += '\n';
    }
}

} // namespace sluice::metrics
