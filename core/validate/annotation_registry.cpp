// SPDX-License-Identifier: Apache-2.0
#include "annotation_registry.h"

#include "names.h"

#include <algorithm>
#include <exception>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace sluice::validate {
namespace {

using enum FeatureStatus;

// istio/api annotation/annotations.gen.go (AllResourceAnnotations), sorted by name.
constexpr AnnotationInfo kAnnotations[] = {
    {"alpha.istio.io/canonical-serviceaccounts", Alpha, true, {"Service"}},
    {"alpha.istio.io/kubernetes-serviceaccounts", Alpha, true, {"Service"}},
    {"ambient.istio.io/bypass-inbound-capture", Alpha, false, {"Pod"}},
    {"ambient.istio.io/redirection", Beta, false, {"Pod"}},
    {"ambient.istio.io/waypoint-inbound-binding", Alpha, false, {"GatewayClass", "Gateway"}},
    {"galley.istio.io/analyze-suppress", Alpha, false, {"Any"}},
    {"gateway.istio.io/controller-version", Alpha, false, {"Any"}},
    {"gateway.istio.io/name-override", Alpha, false, {"Gateway"}},
    {"gateway.istio.io/service-account", Alpha, false, {"Gateway"}},
    {"inject.istio.io/templates", Alpha, false, {"Pod"}},
    {"istio.io/autoRegistrationGroup", Alpha, false, {"WorkloadEntry"}},
    {"istio.io/connectedAt", Alpha, false, {"WorkloadEntry"}},
    {"istio.io/disconnectedAt", Alpha, false, {"WorkloadEntry"}},
    {"istio.io/dry-run", Alpha, false, {"AuthorizationPolicy"}},
    {"istio.io/rev", Alpha, false, {"Pod"}},
    {"istio.io/workloadController", Alpha, false, {"WorkloadEntry"}},
    {"kubernetes.io/ingress.class", Stable, false, {"Ingress"}},
    {"networking.istio.io/exportTo", Alpha, false, {"Service"}},
    {"networking.istio.io/service-type", Alpha, false, {"Gateway"}},
    {"networking.istio.io/traffic-distribution", Alpha, false, {"Service", "ServiceEntry"}},
    {"prometheus.istio.io/merge-metrics", Alpha, false, {"Pod"}},
    {"proxy.istio.io/config", Beta, false, {"Pod"}},
    {"proxy.istio.io/overrides", Alpha, false, {"Pod"}},
    {"readiness.status.sidecar.istio.io/applicationPorts", Alpha, false, {"Pod"}},
    {"readiness.status.sidecar.istio.io/failureThreshold", Alpha, false, {"Pod"}},
    {"readiness.status.sidecar.istio.io/initialDelaySeconds", Alpha, false, {"Pod"}},
    {"readiness.status.sidecar.istio.io/periodSeconds", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/agentLogLevel", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/bootstrapOverride", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/componentLogLevel", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/discoveryAddress", Alpha, true, {"Pod"}},
    {"sidecar.istio.io/enableCoreDump", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/extraStatTags", Alpha, true, {"Pod"}},
    {"sidecar.istio.io/inject", Beta, true, {"Pod"}},
    {"sidecar.istio.io/interceptionMode", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/logLevel", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/nativeSidecar", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/proxyCPU", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/proxyCPULimit", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/proxyImage", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/proxyImageType", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/proxyMemory", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/proxyMemoryLimit", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/rewriteAppHTTPProbers", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/statsHistogramBuckets", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/statsInclusionPrefixes", Alpha, true, {"Pod"}},
    {"sidecar.istio.io/statsInclusionRegexps", Alpha, true, {"Pod"}},
    {"sidecar.istio.io/statsInclusionSuffixes", Alpha, true, {"Pod"}},
    {"sidecar.istio.io/status", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/userVolume", Alpha, false, {"Pod"}},
    {"sidecar.istio.io/userVolumeMount", Alpha, false, {"Pod"}},
    {"status.sidecar.istio.io/port", Alpha, false, {"Pod"}},
    {"topology.istio.io/controlPlaneClusters", Alpha, false, {"Namespace"}},
    {"traffic.istio.io/nodeSelector", Stable, false, {"Service"}},
    {"traffic.sidecar.istio.io/excludeInboundPorts", Alpha, false, {"Pod"}},
    {"traffic.sidecar.istio.io/excludeInterfaces", Alpha, false, {"Pod"}},
    {"traffic.sidecar.istio.io/excludeOutboundIPRanges", Alpha, false, {"Pod"}},
    {"traffic.sidecar.istio.io/excludeOutboundPorts", Alpha, false, {"Pod"}},
    {"traffic.sidecar.istio.io/includeInboundPorts", Alpha, false, {"Pod"}},
    {"traffic.sidecar.istio.io/includeOutboundIPRanges", Alpha, false, {"Pod"}},
    {"traffic.sidecar.istio.io/includeOutboundPorts", Alpha, false, {"Pod"}},
    {"traffic.sidecar.istio.io/kubevirtInterfaces", Alpha, false, {"Pod"}},
};

static_assert(std::is_sorted(std::begin(kAnnotations), std::end(kAnnotations),
                             [](const AnnotationInfo& a, const AnnotationInfo& b) {
                                 return a.name < b.name;
                             }),
              "findAnnotation binary-searches the registry");

std::string_view trimSpace(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n\v\f");
    if (first == std::string_view::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n\v\f") - first + 1);
}

/// strconv.ParseUint(s, 10, bits): nullopt on success, else Go's error text.
std::optional<std::string> parseUint(std::string_view s, unsigned bits) {
    const std::string prefix = "strconv.ParseUint: parsing \"" + std::string(s) + "\": ";
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return prefix + "invalid syntax";
    const std::uint64_t max = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    std::uint64_t v = 0;
    for (char c : s) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (v > (max - digit) / 10)
            return prefix + "value out of range";
        v = v * 10 + digit;
    }
    return std::nullopt;
}

/// parsePort: a TCP port number (whitespace around it is ignored).
std::optional<std::string> parsePort(std::string_view port) {
    if (auto e = parseUint(trimSpace(port), 16))
        return "failed parsing port '" + std::string(port) + "': " + *e;
    return std::nullopt;
}

/// parsePorts: a comma separated list of ports; empty means none.
std::optional<std::string> parsePorts(std::string_view ports) {
    ports = trimSpace(ports);
    if (ports.empty())
        return std::nullopt;
    std::size_t start = 0;
    while (true) {
        const auto comma = ports.find(',', start);
        const std::string_view port =
            ports.substr(start, comma == std::string_view::npos ? comma : comma - start);
        if (auto e = parsePort(port))
            return "failed parsing port '" + std::string(port) + "': " + *e;
        if (comma == std::string_view::npos)
            return std::nullopt;
        start = comma + 1;
    }
}

/// validateCIDRList: a comma separated list of CIDR blocks (netip.ParsePrefix, no spaces).
std::optional<std::string> checkCidrList(std::string_view cidrs) {
    if (cidrs.empty())
        return std::nullopt;
    std::size_t start = 0;
    while (true) {
        const auto comma = cidrs.find(',', start);
        const std::string_view cidr =
            cidrs.substr(start, comma == std::string_view::npos ? comma : comma - start);
        if (!isCidr(cidr)) {
            const std::string reason = cidr.find('/') == std::string_view::npos ? "no '/'" : "invalid prefix";
            return "failed parsing cidr '" + std::string(cidr) + "': netip.ParsePrefix(\"" +
                   std::string(cidr) + "\"): " + reason;
        }
        if (comma == std::string_view::npos)
            return std::nullopt;
        start = comma + 1;
    }
}

std::optional<std::string> portList(std::string_view parameter, std::string_view ports) {
    if (auto e = parsePorts(ports))
        return std::string(parameter) + " invalid: " + *e;
    return std::nullopt;
}

/// validateProxyConfig, as far as it goes offline: the value must be a YAML (or JSON) mapping.
std::optional<std::string> checkProxyConfig(std::string_view value) {
    try {
        const YAML::Node node = YAML::Load(std::string(value));
        if (node.IsNull() || node.IsMap())
            return std::nullopt;
        return std::string("failed to convert to apply proxy config: expected a ProxyConfig object (a map)");
    } catch (const std::exception& e) {
        return "failed to convert to apply proxy config: " + std::string(e.what());
    }
}

} // namespace

std::string AnnotationInfo::resourceList() const {
    std::string out(resources[0]);
    if (!resources[1].empty())
        out += ", " + std::string(resources[1]);
    return out;
}

const AnnotationInfo* findAnnotation(std::string_view name) {
    const auto it = std::lower_bound(std::begin(kAnnotations), std::end(kAnnotations), name,
                                     [](const AnnotationInfo& a, std::string_view n) { return a.name < n; });
    return it != std::end(kAnnotations) && it->name == name ? it : nullptr;
}

bool isIstioAnnotation(std::string_view name) {
    if (name == "kubernetes.io/ingress.class")
        return true;
    return name.substr(0, name.find('/')).ends_with("istio.io");
}

std::optional<std::string> checkAnnotationValue(std::string_view name, std::string_view value) {
    if (name == "sidecar.istio.io/interceptionMode") {
        if (value == "REDIRECT" || value == "TPROXY" || value == "NONE")
            return std::nullopt;
        return "interceptionMode invalid, use REDIRECT,TPROXY,NONE: " + std::string(value);
    }
    if (name == "status.sidecar.istio.io/port") {
        if (auto e = parsePort(value))
            return "excludeInboundPorts invalid: " + *e; // sic: Istio's wording
        return std::nullopt;
    }
    if (name == "readiness.status.sidecar.istio.io/initialDelaySeconds" ||
        name == "readiness.status.sidecar.istio.io/periodSeconds" ||
        name == "readiness.status.sidecar.istio.io/failureThreshold")
        return parseUint(value, 32);
    if (name == "traffic.sidecar.istio.io/includeOutboundIPRanges") {
        if (value == "*")
            return std::nullopt;
        if (auto e = checkCidrList(value))
            return "includeIPRanges invalid: " + *e;
        return std::nullopt;
    }
    if (name == "traffic.sidecar.istio.io/excludeOutboundIPRanges") {
        if (auto e = checkCidrList(value))
            return "excludeIPRanges invalid: " + *e;
        return std::nullopt;
    }
    if (name == "traffic.sidecar.istio.io/includeInboundPorts")
        return value == "*" ? std::nullopt : portList("includeInboundPorts", value);
    if (name == "traffic.sidecar.istio.io/excludeInboundPorts")
        return portList("excludeInboundPorts", value);
    if (name == "traffic.sidecar.istio.io/excludeOutboundPorts")
        return portList("excludeOutboundPorts", value);
    if (name == "prometheus.istio.io/merge-metrics") {
        static constexpr std::string_view kBools[] = {"1", "t", "T", "TRUE",  "true",  "True",
                                                      "0", "f", "F", "FALSE", "false", "False"};
        if (std::find(std::begin(kBools), std::end(kBools), value) != std::end(kBools))
            return std::nullopt;
        return "strconv.ParseBool: parsing \"" + std::string(value) + "\": invalid syntax";
    }
    if (name == "proxy.istio.io/config")
        return checkProxyConfig(value);
    return std::nullopt;
}

} // namespace sluice::validate
