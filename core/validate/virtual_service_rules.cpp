// SPDX-License-Identifier: Apache-2.0
// VirtualService schema validation: Istio's ValidateVirtualService (pkg/config/validation/
// validation.go) — delegate rules, gateway binding, hosts, TLS and TCP routes, exportTo — plus the
// HTTP rules (http_route_rules.cpp) and rule reachability (vs_reachability.cpp).

#include "names.h"
#include "resource_reporter.h"
#include "rules.h"
#include "vs_checks.h"
#include "vs_rules.h"

#include <set>

namespace sluice::validate {
namespace {

using namespace vs;

constexpr std::string_view kMeshGateway = "mesh";

// isGateway: true unless `mesh` is listed (also true when no gateway is listed at all).
bool isGateway(const model::VirtualServiceSpec& spec) {
    for (const auto& g : spec.gateways)
        if (g.value == kMeshGateway)
            return false;
    return true;
}

bool hasSniHosts(const model::VirtualServiceSpec& spec) {
    for (const auto& tls : spec.tls)
        for (const auto& m : tls.match)
            if (!m.sniHosts.empty())
                return true;
    return false;
}

// host.Name.Matches / SubsetOf (pkg/config/host/name.go).
bool hostMatches(std::string_view a, std::string_view b) {
    const bool aw = a.starts_with('*'), bw = b.starts_with('*');
    if (aw && bw)
        return a.size() < b.size() ? b.substr(1).ends_with(a.substr(1)) : a.substr(1).ends_with(b.substr(1));
    if (aw)
        return b.ends_with(a.substr(1));
    if (bw)
        return a.ends_with(b.substr(1));
    return a == b;
}

bool hostSubsetOf(std::string_view a, std::string_view b) {
    const bool aw = a.starts_with('*'), bw = b.starts_with('*');
    if (aw)
        return bw && a.size() >= b.size() && a.substr(1).ends_with(b.substr(1));
    if (bw)
        return a.ends_with(b.substr(1));
    return a == b;
}

std::string goStringList(const std::vector<model::Located<std::string>>& list, std::string_view sep) {
    std::string out;
    for (const auto& v : list)
        out += (out.empty() ? "" : std::string(sep)) + v.value;
    return out;
}

model::SourceSpan listSpan(const std::vector<model::Located<std::string>>& list, model::SourceSpan fallback) {
    return list.empty() ? fallback : spanOr(list.front(), fallback);
}

void checkDelegate(const model::VirtualServiceSpec& spec, model::SourceSpan specAt, ResourceReporter& r) {
    if (!spec.hosts.empty())
        return;
    if (!spec.gateways.empty())
        r.error("spec.gateways", listSpan(spec.gateways, specAt),
                "delegate virtual service must have no gateways specified");
    if (!spec.tls.empty())
        r.error("spec.tls", spec.tls.front().span,
                "delegate virtual service must have no tls route specified");
    if (!spec.tcp.empty())
        r.error("spec.tcp", spec.tcp.front().span,
                "delegate virtual service must have no tcp route specified");
}

// JWT claim routing (`@request.auth.claims.*` header matches) works on gateways only.
void checkJwtClaimRoutes(const model::VirtualServiceSpec& spec, ResourceReporter& r) {
    const std::string gateways = std::string("[").append(goStringList(spec.gateways, " ")).append("]");
    for (std::size_t i = 0; i < spec.http.size(); ++i) {
        for (std::size_t j = 0; j < spec.http[i].match.size(); ++j) {
            const auto& m = spec.http[i].match[j];
            const std::string mp = indexed(indexed("spec.http", i) + ".match", j);
            for (const auto* map : {&m.headers, &m.withoutHeaders})
                for (const auto& [key, sm] : *map)
                    if (isJwtClaimRoute(key))
                        r.error(mp + (map == &m.headers ? ".headers." : ".withoutHeaders.") + key, sm.span,
                                "JWT claim based routing (key: " + key +
                                    ") is only supported for gateway, found no gateways: " + gateways);
        }
    }
}

void checkHosts(const model::VirtualServiceSpec& spec, bool appliesToGateway, bool appliesToMesh,
                ResourceReporter& r) {
    bool allValid = true;
    const bool sni = hasSniHosts(spec);
    for (std::size_t i = 0; i < spec.hosts.size(); ++i) {
        const auto& h = spec.hosts[i];
        const std::string field = indexed("spec.hosts", i);
        const std::string e =
            appliesToGateway ? checkGatewayBoundDomain(sni, h.value) : checkIstioWildcardDomain(h.value);
        if (!e.empty()) {
            if (!isIpAddress(h.value)) {
                r.error(field, spanOr(h, spec.span), e);
                allValid = false;
            }
        } else if (appliesToMesh && h.value == "*") {
            r.error(field, spanOr(h, spec.span),
                    "wildcard host * is not allowed for virtual services bound to the mesh gateway");
            allValid = false;
        }
    }
    if (!allValid)
        return;
    // Literal and wildcard duplicates: `*.foo.com` and `a.foo.com` overlap.
    for (std::size_t i = 0; i < spec.hosts.size(); ++i)
        for (std::size_t j = i + 1; j < spec.hosts.size(); ++j)
            if (hostMatches(spec.hosts[i].value, spec.hosts[j].value))
                r.error(indexed("spec.hosts", j), spanOr(spec.hosts[j], spec.span),
                        "duplicate hosts in virtual service: " + spec.hosts[i].value + " & " +
                            spec.hosts[j].value);
}

void checkSniHost(const model::VirtualServiceSpec& spec, const model::Located<std::string>& sni,
                  const std::string& field, model::SourceSpan fallback, ResourceReporter& r) {
    const model::SourceSpan at = spanOr(sni, fallback);
    const std::string e =
        isGateway(spec) ? checkGatewayBoundDomain(true, sni.value) : checkIstioWildcardDomain(sni.value);
    if (!e.empty()) {
        if (isIpAddress(sni.value))
            r.warning(field, at,
                      "using an IP address (" + goQuote(sni.value) +
                          ") goes against SNI spec and most clients do not support this");
        else
            r.error(field, at, e);
        return;
    }
    for (const auto& h : spec.hosts)
        if (hostSubsetOf(sni.value, h.value))
            return;
    r.error(field, at,
            "SNI host " + goQuote(sni.value) +
                " is not a compatible subset of any of the virtual service hosts: [" +
                goStringList(spec.hosts, ", ") + "]");
}

// Port, destination subnets, source labels and gateways are common to TCP and TLS matches.
template <class Match> void checkL4Match(const Match& m, const std::string& mp, ResourceReporter& r) {
    for (std::size_t k = 0; k < m.destinationSubnets.size(); ++k)
        if (auto e = checkIpSubnet(m.destinationSubnets[k].value); !e.empty())
            r.error(indexed(mp + ".destinationSubnets", k), spanOr(m.destinationSubnets[k], m.span), e);
    if (m.port.value != 0)
        if (auto e = checkPort(m.port.value); !e.empty())
            r.error(mp + ".port", spanOr(m.port, m.span), e);
    checkSourceLabels(m.sourceLabels, mp + ".sourceLabels", m.span, r);
    checkGatewayNames(m.gateways, mp + ".gateways", m.span, r);
}

void checkTlsRoutes(const model::VirtualServiceSpec& spec, ResourceReporter& r) {
    for (std::size_t i = 0; i < spec.tls.size(); ++i) {
        const auto& tls = spec.tls[i];
        const std::string path = indexed("spec.tls", i);
        if (tls.match.empty())
            r.error(path + ".match", tls.span, "TLS route must have at least one match condition");
        for (std::size_t j = 0; j < tls.match.size(); ++j) {
            const auto& m = tls.match[j];
            const std::string mp = indexed(path + ".match", j);
            if (m.sniHosts.empty())
                r.error(mp + ".sniHosts", m.span, "TLS match must have at least one SNI host");
            for (std::size_t k = 0; k < m.sniHosts.size(); ++k)
                checkSniHost(spec, m.sniHosts[k], indexed(mp + ".sniHosts", k), m.span, r);
            checkL4Match(m, mp, r);
        }
        if (tls.route.empty())
            r.error(path + ".route", tls.span, "TLS route is required");
        checkRouteDestinations(tls.route, path + ".route", tls.span, r);
    }
}

void checkTcpRoutes(const model::VirtualServiceSpec& spec, ResourceReporter& r) {
    for (std::size_t i = 0; i < spec.tcp.size(); ++i) {
        const auto& tcp = spec.tcp[i];
        const std::string path = indexed("spec.tcp", i);
        for (std::size_t j = 0; j < tcp.match.size(); ++j)
            checkL4Match(tcp.match[j], indexed(path + ".match", j), r);
        if (tcp.route.empty())
            r.error(path + ".route", tcp.span, "TCP route is required");
        checkRouteDestinations(tcp.route, path + ".route", tcp.span, r);
    }
}

// validateExportTo for a VirtualService (no `~`, no duplicates, `*` alone).
void checkExportTo(const model::VirtualService& vs, ResourceReporter& r) {
    const auto& list = vs.spec.exportTo;
    const std::string& ns = vs.header.ns();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string& e = list[i].value;
        const std::string key = e == "." ? ns : e;
        const std::string field = indexed("spec.exportTo", i);
        const model::SourceSpan at = spanOr(list[i], vs.spec.span);
        if (seen.contains(key)) {
            r.error(field, at,
                    key != e ? "duplicate entries in exportTo: . and current namespace " + ns
                             : "duplicate entries in exportTo for entry " + e);
        } else if (key == "~") {
            r.error(field, at, "exportTo ~ (none) is not allowed for Istio configuration objects");
        } else if (key != "*" && key != "." && !isDns1123Label(key)) {
            r.error(field, at, "only .,*,~, or a valid DNS 1123 label is allowed as exportTo entry");
        } else {
            seen.insert(key);
        }
    }
    if (seen.contains("*") && list.size() > 1)
        r.error("spec.exportTo", listSpan(list, vs.spec.span),
                "cannot have both public (*) and non-public exportTo values for a resource");
}

} // namespace

void checkVirtualServiceSchema(const model::VirtualService& vs, model::Diagnostics& out) {
    ResourceReporter r(out, vs);
    const model::VirtualServiceSpec& spec = vs.spec;
    const model::SourceSpan specAt = spec.span.known() ? spec.span : r.documentSpan();

    checkDelegate(spec, specAt, r);

    bool appliesToMesh = spec.gateways.empty();
    bool appliesToGateway = false;
    if (!spec.gateways.empty()) {
        checkGatewayNames(spec.gateways, "spec.gateways", specAt, r);
        appliesToGateway = isGateway(spec);
        appliesToMesh = !appliesToGateway;
    }
    if (!appliesToGateway)
        checkJwtClaimRoutes(spec, r);
    checkHosts(spec, appliesToGateway, appliesToMesh, r);

    if (spec.http.empty() && spec.tcp.empty() && spec.tls.empty())
        r.error("spec", specAt, "http, tcp or tls must be provided in virtual service");
    for (std::size_t i = 0; i < spec.http.size(); ++i)
        checkHttpRoute(spec.http[i], indexed("spec.http", i), spec.hosts.empty(), r);
    checkTlsRoutes(spec, r);
    checkTcpRoutes(spec, r);
    checkExportTo(vs, r);

    analyzeReachability(spec, r);
}

} // namespace sluice::validate
