// SPDX-License-Identifier: Apache-2.0
// What is wrong and what is grey: the validator's diagnostics attached to the nodes whose YAML they
// point at, and the nodes the gateway never sends traffic to, with the reason in words.

#include "flow_graph_builder.h"

#include <algorithm>
#include <set>

namespace sluice::flow {
namespace {

/// True when `field` is `prefix` or below it ("spec.http[0]" covers "spec.http[0].route[1]",
/// not "spec.http[01]").
bool covers(const std::string& prefix, const std::string& field) {
    if (prefix.empty() || field == prefix)
        return true;
    return field.size() > prefix.size() && field.compare(0, prefix.size(), prefix) == 0 &&
           (field[prefix.size()] == '.' || field[prefix.size()] == '[');
}

bool startsWith(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

/// A finding that says why a rule never becomes a gateway route: binding (gateways, hosts, exportTo),
/// reachability (IST0130/IST0131) or a match the engine drops (a regex RE2 rejects).
bool explainsRule(const model::Diagnostic& d) {
    return d.code == "IST0130" || d.code == "IST0131" || startsWith(d.field, "spec.gateways") ||
           startsWith(d.field, "spec.hosts") || startsWith(d.field, "spec.exportTo") ||
           d.field.find(".match[") != std::string::npos;
}

/// A finding about the destination itself (unknown host, subset, port).
bool explainsDestination(const model::Diagnostic& d) {
    return d.field.find(".destination") != std::string::npos;
}

std::string withFindings(const FlowNode& node, bool (*explains)(const model::Diagnostic&),
                         std::string reason) {
    std::string out;
    for (const auto& d : node.diagnostics)
        if (explains(d))
            out += d.code + ": " + d.message + "\n";
    return out + reason;
}

} // namespace

void FlowGraphBuilder::attachDiagnostics() {
    std::map<std::string_view, std::vector<std::pair<std::size_t, const std::string*>>> byResource;
    for (std::size_t i = 0; i < m_owners.size(); ++i)
        for (const Owner& o : m_owners[i])
            byResource[o.resource].emplace_back(i, &o.field);
    for (const model::Diagnostic& d : m_diagnostics) {
        if (d.level == model::Level::Info || d.resource.empty())
            continue;
        const auto it = byResource.find(d.resource);
        if (it == byResource.end())
            continue;
        std::size_t best = 0;
        bool found = false;
        for (const auto& [node, field] : it->second)
            if (covers(*field, d.field) && (!found || field->size() > best)) {
                best = field->size();
                found = true;
            }
        std::set<std::size_t> attached;
        for (const auto& [node, field] : it->second)
            if (found && field->size() == best && covers(*field, d.field) && attached.insert(node).second)
                m_nodes[node].diagnostics.push_back(d);
    }
    for (FlowNode& node : m_nodes)
        std::stable_sort(
            node.diagnostics.begin(), node.diagnostics.end(),
            [](const model::Diagnostic& a, const model::Diagnostic& b) { return a.level > b.level; });
}

std::string FlowGraphBuilder::ruleReason(const RuleState& rule, const FlowNode& node) const {
    const model::VirtualService& vs = *rule.vs;
    const std::string name = vs.header.ns() + "/" + vs.header.name();
    std::string why;
    if (vs.spec.hosts.empty()) {
        why = "VirtualService " + name +
              " is a delegate: its rules apply only through a bound root VirtualService that delegates to it";
    } else if (vs.spec.gateways.empty()) {
        why = "VirtualService " + name +
              " has no `gateways` list, so it applies only to sidecars (mesh), never to an ingress gateway";
    } else {
        const auto reportReason = [&](const routing::RouteConfig* config) {
            const routing::BindingReport* report = config ? config->report() : nullptr;
            if (report && why.empty())
                for (const auto& b : report->virtualServices)
                    if (b.name == name && !b.reason.empty())
                        why = b.reason;
        };
        for (const auto& [port, listener] : m_table.listeners()) {
            reportReason(listener.http.get());
            for (const auto& chain : listener.chains)
                reportReason(chain.http.get());
        }
        if (why.empty())
            why = "no gateway route was built from this rule (its matches do not apply to the gateway, "
                  "or an earlier rule already takes every request)";
    }
    return withFindings(node, explainsRule, why);
}

void FlowGraphBuilder::markGrey() {
    const auto grey = [&](std::size_t node, std::string reason) {
        m_nodes[node].greyed = true;
        m_nodes[node].reason = std::move(reason);
    };
    for (const auto& [server, why] : m_serverDropped)
        grey(server, why);
    for (const auto& [rule, state] : m_rules)
        if (!state.compiled)
            grey(rule, ruleReason(state, m_nodes[rule]));

    // Traffic flows from compiled rules to existing clusters, on to their subsets, Services and endpoints.
    std::vector<char> live(m_nodes.size(), 0);
    for (const FlowEdge& e : m_edges)
        if (const auto rule = m_rules.find(e.from); rule != m_rules.end() && rule->second.compiled)
            if (const auto dest = m_destinations.find(e.to); dest != m_destinations.end())
                dest->second.reached = true;
    for (const auto& [dest, state] : m_destinations) {
        if (!state.clusterExists) {
            grey(dest, withFindings(m_nodes[dest], explainsDestination, state.why));
            continue;
        }
        if (!state.reached) {
            grey(dest, "receives no traffic through the gateway: only grey rules route here");
            continue;
        }
        live[dest] = 1;
        for (std::size_t w : m_nodes[dest].endpoints)
            live[w] = 1;
    }
    for (int pass = 0; pass < 2; ++pass) // destination -> subset -> service
        for (const FlowEdge& e : m_edges)
            if (live[e.from] && e.kind == EdgeKind::Route &&
                m_nodes[e.from].kind != NodeKind::VirtualServiceRule &&
                (m_nodes[e.to].kind == NodeKind::Subset || columnOf(m_nodes[e.to].kind) == 4))
                live[e.to] = 1;
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        FlowNode& node = m_nodes[i];
        if (live[i] || node.greyed)
            continue;
        switch (node.kind) {
        case NodeKind::Subset:
            if (m_undefinedSubsets.count(i))
                grey(i, withFindings(node, explainsDestination,
                                     "no DestinationRule defines subset " + node.label + " for this host"));
            else
                grey(i, "no route bound to the gateway sends traffic to subset " + node.label);
            break;
        case NodeKind::Service:
        case NodeKind::ServiceEntry:
            grey(i, "no route bound to the gateway sends traffic to " + node.label);
            break;
        case NodeKind::Workload:
            grey(i, "receives no traffic through the gateway");
            break;
        default:
            break;
        }
    }
    // A mesh edge is grey only when its caller is: a call reaches the Service whatever the gateway
    // sends there.
    for (FlowEdge& e : m_edges)
        e.greyed = m_nodes[e.from].greyed || (e.kind == EdgeKind::Route && m_nodes[e.to].greyed);
}

} // namespace sluice::flow
