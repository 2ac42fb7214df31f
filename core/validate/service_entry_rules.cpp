// SPDX-License-Identifier: Apache-2.0
// Istio's ValidateServiceEntry (pkg/config/validation/validation.go), VALIDATION_NOTES.md §2.4.
// The ServiceEntryAddressesRequired analyzer (IST0134) lives with the analyzers; the schema warning
// that Istio's validation itself raises for the same condition is reported here as IST0133.

#include "export_to.h"
#include "field_checks.h"
#include "model/service_entry_schema.h"
#include "names.h"
#include "resource_reporter.h"
#include "rules.h"

#include <algorithm>
#include <set>
#include <string>

namespace sluice::validate {
namespace {

using model::ServiceEntryResolution;

constexpr std::string_view kUnixPrefix = "unix://";
constexpr std::string_view kAutoAllocateLabel = "networking.istio.io/enable-autoallocate-ip";

using PortNames = std::set<std::string, std::less<>>;

std::string resolutionName(ServiceEntryResolution r) {
    return std::string(model::schema::enumName(r));
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        return lower(x) == lower(y);
    });
}

/// serviceentry.ShouldV2AutoAllocateIPFromConfig with PILOT_ENABLE_IP_AUTOALLOCATE at its default (on).
bool autoAllocatesAddresses(const model::ServiceEntry& se) {
    if (se.spec.resolution.value == ServiceEntryResolution::None)
        return false;
    const auto& labels = se.header.metadata.labels;
    if (const auto it = labels.find(kAutoAllocateLabel);
        it != labels.end() && equalsIgnoreCase(it->second.value, "false"))
        return false;
    return se.spec.addresses.empty();
}

void reportLabels(ResourceReporter& r, const model::StringMap& labels,
                  const std::vector<LabelProblem>& problems, const std::string& field,
                  model::SourceSpan fallback) {
    for (const auto& p : problems) {
        const auto it = labels.find(p.key);
        r.error(field + "." + p.key,
                it != labels.end() && it->second.span.known() ? it->second.span : fallback, p.message);
    }
}

/// The endpoint ports of a WorkloadEntry: declared by the ServiceEntry, valid names and numbers.
void checkEndpointPorts(ResourceReporter& r, const model::WorkloadEntrySpec& ep,
                        const PortNames& servicePorts, const std::string& field) {
    for (const auto& [name, port] : ep.ports) {
        const model::SourceSpan at = port.span.known() ? port.span : ep.span;
        if (!servicePorts.contains(name))
            r.error(field + ".ports." + name, at,
                    "endpoint port " + std::to_string(port.value) + " is not defined by the service entry");
        if (!isDns1123Label(name))
            r.error(field + ".ports." + name, at, "invalid port name: " + name);
        if (auto e = checkPort(port.value); !e.empty())
            r.error(field + ".ports." + name, at, std::move(e));
    }
}

/// validateWorkloadEntry for a STATIC endpoint (addresses must be IPs or unix sockets).
void checkStaticEndpoint(ResourceReporter& r, const model::WorkloadEntrySpec& ep,
                         const PortNames& servicePorts, const std::string& field) {
    const std::string_view addr = ep.address.value;
    if (addr.empty()) {
        if (ep.network.value.empty()) {
            r.error(field + ".address", ep.span, "address is required");
            return;
        }
        r.warning(field + ".address", ep.span, "address is unset with network " + goQuote(ep.network.value));
    }
    const bool unixEndpoint = addr.starts_with(kUnixPrefix);
    if (unixEndpoint) {
        if (auto e = checkUnixAddress(addr.substr(kUnixPrefix.size())); !e.empty())
            r.error(field + ".address", ep.address.span, std::move(e));
        if (!ep.ports.empty())
            r.error(field + ".ports", ep.span,
                    "unix endpoint " + std::string(addr) + " must not include ports");
    } else if (!addr.empty() && !isIpAddress(addr)) {
        r.error(field + ".address", ep.address.span,
                "endpoint address " + goQuote(addr) + " is not a valid IP address");
    }
    checkEndpointPorts(r, ep, servicePorts, field);
    reportLabels(r, ep.labels, checkLabels(ep.labels), field + ".labels", ep.span);
    if (unixEndpoint && servicePorts.size() != 1)
        r.error(field, ep.span, "exactly 1 service port required for unix endpoints");
}

/// DNS and DNS_ROUND_ROBIN: endpoints are IPs or FQDNs; without endpoints the hosts are resolved.
void checkDnsResolution(ResourceReporter& r, const model::ServiceEntrySpec& spec,
                        const PortNames& servicePorts) {
    const ServiceEntryResolution resolution = spec.resolution.value;
    if (spec.endpoints.empty()) {
        for (std::size_t i = 0; i < spec.hosts.size(); ++i)
            if (!checkFqdn(spec.hosts[i].value).empty())
                r.error("spec.hosts[" + std::to_string(i) + "]", spec.hosts[i].span,
                        "hosts must be FQDN if no endpoints are provided for resolution mode " +
                            resolutionName(resolution));
    }
    if (resolution == ServiceEntryResolution::DnsRoundRobin && spec.endpoints.size() > 1)
        r.error("spec.endpoints", spec.endpoints[1].span,
                "there must only be 0 or 1 endpoint for resolution mode " + resolutionName(resolution));
    for (std::size_t i = 0; i < spec.endpoints.size(); ++i) {
        const auto& ep = spec.endpoints[i];
        const std::string field = "spec.endpoints[" + std::to_string(i) + "]";
        if (!isIpAddress(ep.address.value) && !checkFqdn(ep.address.value).empty())
            r.error(field + ".address", ep.address.span.known() ? ep.address.span : ep.span,
                    "endpoint address " + goQuote(ep.address.value) +
                        " is not a valid FQDN or an IP address");
        reportLabels(r, ep.labels, checkLabels(ep.labels), field + ".labels", ep.span);
        checkEndpointPorts(r, ep, servicePorts, field);
    }
    if (!spec.addresses.empty() && spec.hosts.size() > 1) {
        const auto tcp = std::find_if(spec.ports.begin(), spec.ports.end(),
                                      [](const auto& p) { return isTcp(parseProtocol(p.protocol.value)); });
        if (tcp != spec.ports.end())
            r.warning(
                "spec.hosts", spec.hosts[1].span,
                "service entry can not have more than one host specified simultaneously with address and tcp "
                "port");
    }
}

/// Ports: unique names and numbers, valid target port, name and protocol. Returns the port names.
PortNames checkPorts(ResourceReporter& r, const model::ServiceEntry& se) {
    const auto& spec = se.spec;
    const bool autoAllocation = autoAllocatesAddresses(se);
    PortNames names;
    std::set<std::uint32_t> numbers;
    for (std::size_t i = 0; i < spec.ports.size(); ++i) {
        const auto& port = spec.ports[i];
        const std::string field = "spec.ports[" + std::to_string(i) + "]";
        const auto spanOr = [&](const auto& f) {
            return f.span.known() ? f.span : port.span;
        };
        if (!names.insert(port.name.value).second)
            r.error(field + ".name", spanOr(port.name),
                    "service entry port name " + goQuote(port.name.value) + " already defined");
        if (!numbers.insert(port.number.value).second)
            r.error(field + ".number", spanOr(port.number),
                    "service entry port " + std::to_string(port.number.value) + " already defined");
        if (port.targetPort.value != 0)
            if (auto e = checkPort(port.targetPort.value); !e.empty())
                r.error(field + ".targetPort", spanOr(port.targetPort), std::move(e));
        if (spec.addresses.empty() && !autoAllocation &&
            (port.protocol.value.empty() || port.protocol.value == "TCP"))
            r.warning(
                field, port.span,
                "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is "
                "not enabled");
        if (!isDns1123Label(port.name.value))
            r.error(field + ".name", spanOr(port.name), "invalid port name: " + port.name.value);
        if (!port.protocol.value.empty() && parseProtocol(port.protocol.value) == Protocol::Unsupported)
            r.error(field + ".protocol", spanOr(port.protocol),
                    "unsupported protocol: " + port.protocol.value);
        if (auto e = checkPort(port.number.value); !e.empty())
            r.error(field + ".number", spanOr(port.number), std::move(e));
    }
    return names;
}

void checkHosts(ResourceReporter& r, const model::ServiceEntrySpec& spec) {
    if (spec.hosts.empty())
        r.error("spec.hosts", spec.span, "service entry must have at least one host");
    for (std::size_t i = 0; i < spec.hosts.size(); ++i) {
        const auto& host = spec.hosts[i];
        const std::string field = "spec.hosts[" + std::to_string(i) + "]";
        if (!host.present)
            continue;
        if (host.value == "*") {
            r.error(field, host.span, "invalid host *");
            continue;
        }
        if (auto e = checkIstioWildcardDomain(host.value); !e.empty())
            r.error(field, host.span, std::move(e));
        if (auto w = checkPartialWildcard(host.value); !w.empty())
            r.warning(field, host.span, std::move(w));
    }
}

void checkAddresses(ResourceReporter& r, const model::ServiceEntrySpec& spec) {
    bool cidr = false;
    for (std::size_t i = 0; i < spec.addresses.size(); ++i) {
        const auto& address = spec.addresses[i];
        if (!address.present)
            continue; // the loader already rejected it
        cidr = cidr || address.value.find('/') != std::string::npos;
        if (auto e = checkIpSubnet(address.value); !e.empty())
            r.error("spec.addresses[" + std::to_string(i) + "]", address.span, std::move(e));
    }
    const auto resolution = spec.resolution.value;
    if (cidr && resolution != ServiceEntryResolution::None && resolution != ServiceEntryResolution::Static)
        r.error("spec.resolution", spec.resolution.span,
                "CIDR addresses are allowed only for NONE/STATIC resolution types");
}

} // namespace

void checkServiceEntrySchema(const model::ServiceEntry& se, model::Diagnostics& out) {
    ResourceReporter r(out, se);
    const auto& spec = se.spec;
    if (!spec.span.known() && spec.hosts.empty()) {
        r.error("spec", {}, "spec is required: a service entry must have at least one host");
        return;
    }

    if (const auto& selector = spec.workloadSelector) {
        // ValidateAlphaWorkloadSelector: a bad selector rejects the resource before anything else.
        if (const auto problems = checkSelectorLabels(selector->labels); !problems.empty()) {
            reportLabels(r, selector->labels, problems, "spec.workloadSelector.labels", selector->span);
            return;
        }
        if (selector->labels.empty())
            r.warning("spec.workloadSelector", {},
                      "service entry: workload selector specified without labels, will be applied to all "
                      "services in "
                      "namespace");
        if (!spec.endpoints.empty())
            r.error("spec.endpoints", spec.endpoints.front().span,
                    "only one of WorkloadSelector or Endpoints is allowed in Service Entry");
    }

    checkHosts(r, spec);
    checkAddresses(r, spec);
    const PortNames servicePorts = checkPorts(r, se);

    switch (spec.resolution.value) {
    case ServiceEntryResolution::None:
        if (!spec.endpoints.empty())
            r.error("spec.endpoints", spec.endpoints.front().span,
                    "no endpoints should be provided for resolution type none");
        if (spec.workloadSelector)
            r.warning("spec.workloadSelector", {},
                      "workloadSelector should not be set when resolution mode is NONE");
        break;
    case ServiceEntryResolution::Static:
        for (std::size_t i = 0; i < spec.endpoints.size(); ++i)
            checkStaticEndpoint(r, spec.endpoints[i], servicePorts,
                                "spec.endpoints[" + std::to_string(i) + "]");
        break;
    case ServiceEntryResolution::Dns:
    case ServiceEntryResolution::DnsRoundRobin:
        checkDnsResolution(r, spec, servicePorts);
        break;
    case ServiceEntryResolution::DynamicDns:
        break; // newer than the validation rules this port follows; accepted as is
    }

    // Plain TCP cannot tell hosts apart, so several hosts need HTTP or TLS ports (unless NONE ignores them).
    if (spec.resolution.value != ServiceEntryResolution::None && spec.hosts.size() > 1) {
        const auto opaque = std::find_if(spec.ports.begin(), spec.ports.end(), [](const auto& p) {
            const Protocol proto = parseProtocol(p.protocol.value);
            return !isHttp(proto) && !isTls(proto);
        });
        if (opaque != spec.ports.end())
            r.error("spec.ports", opaque->span, "multiple hosts provided with non-HTTP, non-TLS ports");
    }

    checkExportTo(r, se.header.ns(), spec.exportTo, true, false);
}

} // namespace sluice::validate
