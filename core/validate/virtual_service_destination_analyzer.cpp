// SPDX-License-Identifier: Apache-2.0
// virtualservice.DestinationHostAnalyzer (destinationhosts.go) and virtualservice.DestinationRuleAnalyzer
// (destinationrules.go): every destination names a known host, port and subset.

#include "analyzer_families.h"
#include "resource_reporter.h"

#include <algorithm>
#include <map>

namespace sluice::validate {
namespace {

/// util.go AnnotatedDestination, with the field path of its host (the line Istio reports).
struct AnnotatedDestination {
    const model::Destination* destination;
    bool mirror;
    std::string field; ///< ...destination.host or ...mirror.host
};

/// getRouteDestinations (tcp, tls, http) then getHTTPMirrorDestinations (mirror, mirrors).
std::vector<AnnotatedDestination> destinationsOf(const model::VirtualService& vs) {
    std::vector<AnnotatedDestination> out;
    auto add = [&](const std::optional<model::Destination>& d, bool mirror, std::string field) {
        if (d) // an absent destination is a schema error, reported there
            out.push_back({&*d, mirror, std::move(field)});
    };
    auto routes = [&](const auto& rules, const char* kind) {
        for (std::size_t i = 0; i < rules.size(); ++i)
            for (std::size_t j = 0; j < rules[i].route.size(); ++j)
                add(rules[i].route[j].destination, false,
                    "spec." + std::string(kind) + "[" + std::to_string(i) + "].route[" + std::to_string(j) +
                        "].destination.host");
    };
    routes(vs.spec.tcp, "tcp");
    routes(vs.spec.tls, "tls");
    routes(vs.spec.http, "http");
    for (std::size_t i = 0; i < vs.spec.http.size(); ++i) {
        const auto& http = vs.spec.http[i];
        add(http.mirror, true, "spec.http[" + std::to_string(i) + "].mirror.host");
        for (std::size_t j = 0; j < http.mirrors.size(); ++j)
            add(http.mirrors[j].destination, true,
                "spec.http[" + std::to_string(i) + "].mirrors[" + std::to_string(j) + "].destination.host");
    }
    return out;
}

/// checkServiceEntryPorts: IST0112 when the port is ambiguous, IST0101 host:port when unknown.
void checkPorts(ResourceReporter& report, const AnnotatedDestination& d, const DestinationHost& host) {
    const auto& dest = *d.destination;
    if (!dest.port) {
        if (host.ports.size() > 1)
            report.report("IST0112", model::Level::Error, d.field, dest.host.span,
                          "This VirtualService routes to a service " + goQuote(dest.host.value) +
                              " that exposes multiple ports " + goList(host.ports) +
                              ". Specifying a port in the destination is required to disambiguate.");
        return;
    }
    const std::uint32_t number = dest.port->number.value;
    if (std::find(host.ports.begin(), host.ports.end(), number) == host.ports.end())
        report.report("IST0101", model::Level::Error, d.field, dest.host.span,
                      "Referenced host:port not found: " +
                          goQuote(dest.host.value + ":" + std::to_string(number)));
}

void checkHostsAndSubsets(const AnalyzerIndex& index, const model::VirtualService& vs,
                          model::Diagnostics& out) {
    ResourceReporter report(out, vs);
    const std::string& ns = vs.header.ns();
    for (const auto& d : destinationsOf(vs)) {
        const auto& dest = *d.destination;
        if (const auto* host = index.destinationHost(ns, vs.spec.exportTo, dest.host.value))
            checkPorts(report, d, *host);
        else
            report.report("IST0101", model::Level::Error, d.field, dest.host.span,
                          std::string("Referenced ") + (d.mirror ? "mirror host" : "host") +
                              " not found: " + goQuote(dest.host.value));

        if (!dest.subset.value.empty() &&
            !index.destinationRuleDefinesSubset(resourceNameFromHost(ns, dest.host.value), dest.subset.value))
            report.report("IST0101", model::Level::Error, d.field, dest.host.span,
                          std::string("Referenced ") + (d.mirror ? "mirror" : "host") +
                              "+subset in destinationrule not found: " +
                              goQuote(dest.host.value + "+" + dest.subset.value));
    }
}

/// analyzeSubset: a gateway-bound route without subset to a host that a VirtualService for that
/// same host splits by subset. The mesh rules do not apply to traffic from the ingress gateway.
void checkIngressSubsets(const model::VirtualService& vs,
                         const std::map<std::string, std::vector<const model::VirtualService*>>& subsetRouted,
                         model::Diagnostics& out) {
    if (vs.spec.gateways.empty())
        return;
    ResourceReporter report(out, vs);
    for (std::size_t i = 0; i < vs.spec.http.size(); ++i) {
        const auto& routes = vs.spec.http[i].route;
        for (std::size_t j = 0; j < routes.size(); ++j) {
            const auto& dest = routes[j].destination;
            if (!dest || !dest->subset.value.empty())
                continue;
            const auto it = subsetRouted.find(dest->host.value);
            if (it == subsetRouted.end())
                continue;
            for (const auto* other : it->second)
                report.report("IST0140", model::Level::Warning,
                              "spec.http[" + std::to_string(i) + "].route[" + std::to_string(j) +
                                  "].destination.host",
                              dest->host.span,
                              "Subset in virtual service " + other->header.ns() + "/" + other->header.name() +
                                  " has no effect on ingress gateway " + vs.header.ns() + "/" +
                                  vs.header.name() + " requests");
        }
    }
}

} // namespace

void analyzeVirtualServiceDestinations(const AnalyzerIndex& index, model::Diagnostics& out) {
    const auto& services = index.resources().virtualServices;
    // initVirtualServiceDestinations: host -> one entry per HTTP destination with a subset whose
    // host is (as written) one of the VirtualService's own hosts.
    std::map<std::string, std::vector<const model::VirtualService*>> subsetRouted;
    for (const auto& vs : services)
        for (const auto& http : vs.spec.http)
            for (const auto& route : http.route) {
                const auto& dest = route.destination;
                if (!dest || dest->subset.value.empty())
                    continue;
                for (const auto& host : vs.spec.hosts)
                    if (host.value == dest->host.value)
                        subsetRouted[dest->host.value].push_back(&vs);
            }
    for (const auto& vs : services) {
        checkHostsAndSubsets(index, vs, out);
        checkIngressSubsets(vs, subsetRouted, out);
    }
}

} // namespace sluice::validate
