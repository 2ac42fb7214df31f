// SPDX-License-Identifier: Apache-2.0
#include "flow_overlay.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace sluice::live {
namespace {

bool atLeastTenPercent(std::uint64_t part, std::uint64_t whole) {
    return whole > 0 && part * 10 >= whole;
}

/// The node of workload ns/name, whatever its kind (Deployment, Workload, Pod).
std::optional<std::size_t> namedWorkload(const flow::FlowGraph& graph, const std::string& ns,
                                         const std::string& name) {
    const std::string suffix = ":" + ns + "/" + name;
    for (std::size_t i = 0; i < graph.nodes().size(); ++i) {
        const flow::FlowNode& node = graph.nodes()[i];
        if (node.kind == flow::NodeKind::Workload && node.id.starts_with("workload:") &&
            node.id.ends_with(suffix) && !node.id.starts_with("workload:default:"))
            return i;
    }
    return std::nullopt;
}

/// The workload node a series' replica belongs to, else the Service's default replica.
std::optional<std::size_t> workloadNode(const flow::FlowGraph& graph, const metrics::SeriesKey& key) {
    if (!key.workload.empty())
        if (const auto node = namedWorkload(graph, key.workloadNamespace, key.workload))
            return node;
    return graph.find("workload:default:" + key.service);
}

} // namespace

EdgeHealth edgeHealth(std::uint64_t requests, std::uint64_t clientErrors, std::uint64_t serverErrors) {
    if (requests == 0)
        return EdgeHealth::Idle;
    if (atLeastTenPercent(serverErrors, requests))
        return EdgeHealth::Failure;
    if (atLeastTenPercent(clientErrors, requests))
        return EdgeHealth::Degraded;
    return EdgeHealth::Healthy;
}

std::string EdgeTraffic::label() const {
    if (requests == 0)
        return {};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f rps · %.0f%%", rps < 10 ? 1 : 0, rps, share);
    return buffer;
}

double FlowOverlay::widthFor(double rps) const {
    if (rps <= 0 || maxRps <= 0)
        return 1.0;
    return 1.5 + 6.5 * std::log1p(rps) / std::log1p(maxRps);
}

FlowOverlay flowOverlay(const flow::FlowGraph& graph, std::span<const SeriesCount> counts, double seconds) {
    FlowOverlay overlay;
    overlay.seconds = seconds;
    overlay.edges.resize(graph.edges().size());
    const auto add = [&](std::optional<std::size_t> from, std::optional<std::size_t> to,
                         const SeriesCount& c) {
        if (!from || !to)
            return;
        const auto edge = graph.edgeBetween(*from, *to);
        if (!edge || (graph.edges()[*edge].kind == flow::EdgeKind::Mesh && c.key->ingress()))
            return; // the gateway's requests never cross a mesh edge
        EdgeTraffic& t = overlay.edges[*edge];
        t.requests += c.requests;
        const int code = c.key->responseCode;
        if (code < 100 || code >= 500)
            t.serverErrors += c.requests;
        else if (code >= 400)
            t.clientErrors += c.requests;
    };
    for (const SeriesCount& c : counts) {
        const metrics::SeriesKey& k = *c.key;
        if (!k.ingress() && !k.service.empty()) // a call: from its workload to the Service it reached
            add(namedWorkload(graph, k.sourceNamespace, k.sourceWorkload), graph.find("service:" + k.service),
                c);
        if (k.virtualService.empty() && k.ingress())
            continue; // no rule matched: nothing in the graph took it (a call may have no rule)
        const auto rule = graph.find("rule:" + k.virtualService + "/http/" + std::to_string(k.ruleIndex));
        if (rule && k.ingress()) // only the gateway's requests come from its servers
            for (const flow::FlowEdge& e : graph.edges())
                if (e.to == *rule && graph.nodes()[e.from].kind == flow::NodeKind::GatewayServer)
                    add(e.from, rule, c);
        if (k.cluster.empty())
            continue;
        const auto dest = graph.find("dest:" + k.cluster);
        add(rule, dest, c);
        const auto service = graph.find("service:" + k.service);
        if (k.subset.empty()) {
            add(dest, service, c);
        } else {
            const auto subset = graph.find("subset:" + k.service + "/" + k.subset);
            add(dest, subset, c);
            add(subset, service, c);
        }
        if (!k.replica.empty() || !k.workload.empty())
            add(service, workloadNode(graph, k), c);
    }
    std::vector<std::uint64_t> leaving(graph.nodes().size());
    for (std::size_t e = 0; e < overlay.edges.size(); ++e)
        leaving[graph.edges()[e].from] += overlay.edges[e].requests;
    for (std::size_t e = 0; e < overlay.edges.size(); ++e) {
        EdgeTraffic& t = overlay.edges[e];
        t.rps = seconds > 0 ? static_cast<double>(t.requests) / seconds : 0.0;
        const std::uint64_t total = leaving[graph.edges()[e].from];
        t.share = total ? 100.0 * static_cast<double>(t.requests) / static_cast<double>(total) : 0.0;
        t.health = edgeHealth(t.requests, t.clientErrors, t.serverErrors);
        overlay.maxRps = std::max(overlay.maxRps, t.rps);
    }
    return overlay;
}

} // namespace sluice::live
