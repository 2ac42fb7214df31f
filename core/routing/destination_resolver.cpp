// SPDX-License-Identifier: Apache-2.0
#include "destination_resolver.h"

#include "host_name.h"
#include "model/destination_rule_schema.h"

#include <algorithm>

namespace sluice::routing {
namespace {

constexpr std::string_view kRootNamespace = "istio-system";

bool isIpLike(std::string_view h) {
    return !h.empty() &&
           (std::all_of(h.begin(), h.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) ||
            h.find(':') != std::string_view::npos);
}

std::map<std::string, std::string> plain(const model::StringMap& m) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : m)
        out.emplace(k, v.value);
    return out;
}

bool selects(const std::map<std::string, std::string>& selector,
             const std::map<std::string, std::string>& labels) {
    for (const auto& [k, v] : selector) {
        const auto it = labels.find(k);
        if (it == labels.end() || it->second != v)
            return false;
    }
    return true;
}

bool visibleTo(const std::vector<model::Located<std::string>>& exportTo, const std::string& own,
               const std::string& ns) {
    if (exportTo.empty())
        return true;
    for (const auto& e : exportTo)
        if (e.value == "*" || e.value == ns || (e.value == "." && own == ns))
            return true;
    return false;
}

using PolicyBlocks = DestinationResolver::PolicyBlocks;

// The blocks of a policy that apply to `port`: a matching portLevelSettings entry replaces them.
PolicyBlocks blocksFor(const model::TrafficPolicy& p, std::uint32_t port) {
    for (const auto& pl : p.portLevelSettings)
        if (pl.port && pl.port->number.value == port)
            return {pl.loadBalancer ? &*pl.loadBalancer : nullptr,
                    pl.connectionPool ? &*pl.connectionPool : nullptr,
                    pl.outlierDetection ? &*pl.outlierDetection : nullptr, pl.tls ? &*pl.tls : nullptr};
    return {p.loadBalancer ? &*p.loadBalancer : nullptr, p.connectionPool ? &*p.connectionPool : nullptr,
            p.outlierDetection ? &*p.outlierDetection : nullptr, p.tls ? &*p.tls : nullptr};
}

std::string describe(const PolicyBlocks& b) {
    std::string out;
    if (!b.lb || (!b.lb->simple.present && !b.lb->consistentHash))
        out = "load balancer LEAST_REQUEST (Istio default)";
    else if (b.lb->consistentHash) {
        const auto& h = *b.lb->consistentHash;
        out = std::string("consistent hash (") + (b.lb->consistentHash->maglev ? "MAGLEV" : "RING_HASH") +
              ") on ";
        if (h.httpHeaderName.present)
            out += "header " + h.httpHeaderName.value;
        else if (h.httpCookie)
            out += "cookie " + h.httpCookie->name.value;
        else if (h.httpQueryParameterName.present)
            out += "query parameter " + h.httpQueryParameterName.value;
        else
            out += "source IP";
    } else {
        std::string name(model::schema::enumName(b.lb->simple.value));
        if (name == "LEAST_CONN")
            name = "LEAST_REQUEST (LEAST_CONN is its deprecated alias)";
        out = "load balancer " + name;
    }
    if (b.pool) {
        if (b.pool->tcp && b.pool->tcp->maxConnections.present)
            out += "; max connections " + std::to_string(b.pool->tcp->maxConnections.value);
        if (b.pool->http && b.pool->http->http1MaxPendingRequests.present)
            out += "; max pending requests " + std::to_string(b.pool->http->http1MaxPendingRequests.value);
        if (b.pool->http && b.pool->http->http2MaxRequests.present)
            out += "; max requests " + std::to_string(b.pool->http->http2MaxRequests.value);
    }
    if (b.outlier) {
        const auto n = b.outlier->consecutive5xxErrors.present ? b.outlier->consecutive5xxErrors.value
                       : b.outlier->consecutiveErrors.present
                           ? static_cast<std::uint32_t>(b.outlier->consecutiveErrors.value)
                           : 5u;
        out += "; outlier detection after " + std::to_string(n) + " consecutive 5xx";
    }
    if (b.tls && b.tls->mode.present)
        out += "; upstream TLS " + std::string(model::schema::enumName(b.tls->mode.value));
    return out;
}

} // namespace

std::string expandShortName(std::string_view host, std::string_view ns) {
    if (host.empty() || host.find('.') != std::string_view::npos || host == "*" || isIpLike(host))
        return std::string(host);
    return std::string(host) + "." + std::string(ns) + ".svc.cluster.local";
}

DestinationResolver::DestinationResolver(const model::ResourceSet& resources, std::string clientNamespace)
    : m_resources(resources)
    , m_clientNamespace(std::move(clientNamespace)) {
    for (const model::Service& s : resources.services) {
        Service svc;
        svc.ns = s.header.ns();
        for (const auto& p : s.spec.ports)
            if (p.port.present)
                svc.ports.push_back(static_cast<std::uint32_t>(p.port.value));
        svc.selector = plain(s.spec.selector);
        svc.hasSelector = !s.spec.selector.empty();
        m_services.emplace(s.header.name() + "." + svc.ns + ".svc.cluster.local", std::move(svc));
    }
    for (const auto& se : resources.serviceEntries) {
        for (const auto& h : se.spec.hosts) {
            Service svc;
            svc.ns = se.header.ns();
            svc.external = true;
            for (const auto& p : se.spec.ports)
                svc.ports.push_back(p.number.value);
            const bool none = se.spec.resolution.value == model::ServiceEntryResolution::None;
            svc.externalEndpoints = !se.spec.endpoints.empty() ? se.spec.endpoints.size() : (none ? 1 : 1);
            if (se.spec.workloadSelector) {
                svc.external = false;
                svc.hasSelector = true;
                svc.selector = plain(se.spec.workloadSelector->labels);
            }
            m_services.emplace(expandShortName(h.value, svc.ns), std::move(svc)); // first ServiceEntry wins
        }
    }
    for (const auto& p : resources.pods)
        m_workloads.push_back(
            {p.header.ns(), plain(p.header.metadata.labels), 1, "Pod", p.header.name(), p.header.span});
    for (const auto& d : resources.deployments) {
        Workload w{d.header.ns(),
                   {},
                   d.spec.replicas.present ? static_cast<std::size_t>(std::max(0, d.spec.replicas.value)) : 1,
                   "Deployment",
                   d.header.name(),
                   d.header.span};
        if (d.spec.template_)
            w.labels = plain(d.spec.template_->metadata.labels);
        m_workloads.push_back(std::move(w));
    }
    for (const auto& w : resources.workloads) {
        if (w.spec.deployment.present)
            continue; // behaviour for a Deployment's pods, not a workload of its own
        m_workloads.push_back(
            {w.header.ns(), plain(w.spec.labels),
             w.spec.replicas.present ? static_cast<std::size_t>(std::max(0, w.spec.replicas.value)) : 1,
             "Workload", w.header.name(), w.header.span});
    }
    m_haveWorkloads = !m_workloads.empty();
}

DestinationResolver::Rule DestinationResolver::ruleFor(const std::string& fqdn,
                                                       const std::string& serviceNamespace,
                                                       std::uint32_t port) const {
    // Visible rules for the host, best namespace first (client, service, root), exact host before wildcards.
    struct Candidate {
        const model::DestinationRule* dr;
        int nsRank;
        bool exact;
        std::size_t order;
    };
    std::vector<Candidate> candidates;
    std::size_t order = 0;
    for (const model::DestinationRule& dr : m_resources.destinationRules) {
        ++order;
        const std::string host = expandShortName(dr.spec.host.value, dr.header.ns());
        if (host.empty() || !hostsMatch(host, fqdn) || !hostSubsetOf(fqdn, host))
            continue;
        if (!visibleTo(dr.spec.exportTo, dr.header.ns(), m_clientNamespace))
            continue;
        const int rank = dr.header.ns() == m_clientNamespace  ? 0
                         : dr.header.ns() == serviceNamespace ? 1
                         : dr.header.ns() == kRootNamespace   ? 2
                                                              : 3;
        candidates.push_back({&dr, rank, host == fqdn, order});
    }
    Rule rule;
    if (candidates.empty())
        return rule;
    // Within a namespace Istio merges rules in creation order (creationTimestamp, name, namespace).
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        const auto& am = a.dr->header.metadata;
        const auto& bm = b.dr->header.metadata;
        return std::tie(a.nsRank, b.exact, am.creationTimestamp.value, am.name.value, am.namespace_.value,
                        a.order) < std::tie(b.nsRank, a.exact, bm.creationTimestamp.value, bm.name.value,
                                            bm.namespace_.value, b.order);
    });
    const int bestRank = candidates.front().nsRank;
    const bool bestExact = candidates.front().exact;
    rule.found = true;
    for (const auto& c : candidates) {
        if (c.nsRank != bestRank || c.exact != bestExact)
            break;
        if (rule.policy.empty() && c.dr->spec.trafficPolicy) {
            rule.policy = describe(blocksFor(*c.dr->spec.trafficPolicy, port));
            rule.topPolicy = &*c.dr->spec.trafficPolicy;
        }
        for (std::size_t i = 0; i < c.dr->spec.subsets.size(); ++i) {
            const auto& s = c.dr->spec.subsets[i];
            const bool known = std::any_of(rule.subsets.begin(), rule.subsets.end(),
                                           [&](const Subset& x) { return x.name == s.name.value; });
            if (known)
                continue; // the first definition of a subset name wins
            rule.subsets.push_back({s.name.value, plain(s.labels),
                                    s.trafficPolicy ? describe(blocksFor(*s.trafficPolicy, port)) : "", c.dr,
                                    i});
        }
    }
    return rule;
}

std::size_t DestinationResolver::endpointsFor(const Service& service,
                                              const std::map<std::string, std::string>& subset) const {
    if (service.external)
        return service.externalEndpoints;
    // With no workloads in the input every Service has one endpoint carrying every subset's labels.
    if (!m_haveWorkloads || !service.hasSelector)
        return 1;
    std::size_t count = 0;
    for (const auto& w : m_workloads)
        if (w.ns == service.ns && selects(service.selector, w.labels) && selects(subset, w.labels))
            count += w.replicas;
    return count;
}

WeightedDestination DestinationResolver::resolve(const model::Destination& destination,
                                                 const std::string& vsNamespace,
                                                 std::uint32_t defaultPort) const {
    WeightedDestination out;
    out.span = destination.span;
    UpstreamDestination& d = out.destination;
    d.host = expandShortName(destination.host.value, vsNamespace);
    d.subset = destination.subset.value;
    const auto it = m_services.find(d.host);
    if (destination.port && destination.port->number.present)
        d.port = destination.port->number.value;
    else if (it != m_services.end() && it->second.ports.size() == 1)
        d.port = it->second.ports.front();
    else
        d.port = defaultPort;
    d.cluster = "outbound|" + std::to_string(d.port) + "|" + d.subset + "|" + d.host;
    if (it == m_services.end()) {
        out.policy = "no Service or ServiceEntry has host " + d.host;
        return out;
    }
    const Service& svc = it->second;
    if (std::find(svc.ports.begin(), svc.ports.end(), d.port) == svc.ports.end()) {
        out.policy = "the Service does not expose port " + std::to_string(d.port);
        return out;
    }
    const Rule rule = ruleFor(d.host, svc.ns, d.port);
    std::map<std::string, std::string> subsetLabels;
    out.policy = rule.policy.empty() ? describe({}) : rule.policy;
    if (!d.subset.empty()) {
        const auto s = std::find_if(rule.subsets.begin(), rule.subsets.end(),
                                    [&](const Subset& x) { return x.name == d.subset; });
        if (s == rule.subsets.end()) {
            out.policy = "no DestinationRule defines subset " + d.subset + " for " + d.host;
            return out;
        }
        subsetLabels = s->labels;
        if (!s->policy.empty())
            out.policy = s->policy + " (subset policy)";
    }
    out.clusterExists = true;
    out.endpoints = endpointsFor(svc, subsetLabels);
    return out;
}

DestinationResolver::PolicyBlocks DestinationResolver::effectivePolicy(const std::string& fqdn,
                                                                       std::uint32_t port,
                                                                       const std::string& subset) const {
    const auto it = m_services.find(fqdn);
    if (it == m_services.end())
        return {};
    const Rule rule = ruleFor(fqdn, it->second.ns, port);
    PolicyBlocks merged = rule.topPolicy ? blocksFor(*rule.topPolicy, port) : PolicyBlocks{};
    if (subset.empty())
        return merged;
    const auto s = std::find_if(rule.subsets.begin(), rule.subsets.end(),
                                [&](const Subset& x) { return x.name == subset; });
    if (s == rule.subsets.end() || !s->rule->spec.subsets[s->index].trafficPolicy)
        return merged;
    const model::TrafficPolicy& p = *s->rule->spec.subsets[s->index].trafficPolicy;
    for (const auto& pl : p.portLevelSettings)
        if (pl.port && pl.port->number.value == port)
            return blocksFor(p, port); // port-level settings do not inherit
    if (p.loadBalancer)
        merged.lb = &*p.loadBalancer;
    if (p.connectionPool)
        merged.pool = &*p.connectionPool;
    if (p.outlierDetection)
        merged.outlier = &*p.outlierDetection;
    if (p.tls)
        merged.tls = &*p.tls;
    return merged;
}

std::vector<std::string> DestinationResolver::subsetNames(const std::string& fqdn) const {
    std::vector<std::string> out;
    const auto it = m_services.find(fqdn);
    if (it == m_services.end())
        return out;
    for (const auto& s : ruleFor(fqdn, it->second.ns, 0).subsets)
        out.push_back(s.name);
    return out;
}

std::vector<DestinationResolver::SubsetInfo> DestinationResolver::subsets(const std::string& fqdn) const {
    std::vector<SubsetInfo> out;
    const auto it = m_services.find(fqdn);
    if (it == m_services.end())
        return out;
    for (const auto& s : ruleFor(fqdn, it->second.ns, 0).subsets)
        out.push_back({s.name, s.labels, s.rule->header.ns() + "/" + s.rule->header.name(), s.index,
                       s.rule->spec.subsets[s.index].span});
    return out;
}

DestinationResolver::HostBackends
DestinationResolver::backends(const std::string& fqdn,
                              const std::map<std::string, std::string>& subsetLabels) const {
    HostBackends out;
    const auto it = m_services.find(fqdn);
    if (it == m_services.end())
        return out;
    const Service& service = it->second;
    out.known = true;
    out.external = service.external;
    if (service.external)
        return out;
    // As endpointsFor: without workloads in the input (or a selector) one endpoint stands in.
    out.defaultReplica = !m_haveWorkloads || !service.hasSelector;
    if (out.defaultReplica)
        return out;
    for (const auto& w : m_workloads)
        if (w.ns == service.ns && selects(service.selector, w.labels) && selects(subsetLabels, w.labels))
            out.workloads.push_back({w.kind, w.ns, w.name, w.replicas, w.span});
    return out;
}

std::vector<DestinationResolver::ServicePortInfo> DestinationResolver::meshPorts() const {
    std::vector<ServicePortInfo> out;
    for (const auto& [host, svc] : m_services)
        for (std::uint32_t p : svc.ports)
            out.push_back({host, p, svc.external});
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.port, a.host) < std::tie(b.port, b.host);
    });
    return out;
}

} // namespace sluice::routing
