// SPDX-License-Identifier: Apache-2.0
#include "flow_path.h"

#include <algorithm>

namespace sluice::flow {
namespace {

/// The listener port in an Envoy route config name: "http.80", "https.443.https.gw.ns" -> "80", "443".
std::string portOf(const std::string& routeConfig) {
    const auto dot = routeConfig.find('.');
    if (dot == std::string::npos)
        return {};
    return routeConfig.substr(dot + 1, routeConfig.find('.', dot + 1) - dot - 1);
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

FlowPath pathOf(const FlowGraph& graph, const routing::Decision& decision) {
    FlowPath path;
    const routing::RouteOrigin& o = decision.origin;
    if (o.virtualService.empty() || o.ruleIndex < 0)
        return path;
    const auto& nodes = graph.nodes();
    const auto& edges = graph.edges();
    const std::string serverPrefix = "server:" + o.gateway + "#";
    const std::string port = portOf(o.routeConfig);

    // The rule: the section (http, tls, tcp) whose rule a server of the decision's gateway feeds,
    // preferring the server on the decision's port.
    std::optional<std::size_t> rule, server;
    for (const char* section : {"http", "tls", "tcp"}) {
        const auto candidate =
            graph.find("rule:" + o.virtualService + "/" + section + "/" + std::to_string(o.ruleIndex));
        if (!candidate)
            continue;
        std::optional<std::size_t> feeding;
        for (const FlowEdge& e : edges) {
            const FlowNode& from = nodes[e.from];
            if (e.to != *candidate || from.id.rfind(serverPrefix, 0) != 0)
                continue;
            if (!feeding || (!port.empty() && endsWith(from.label, " :" + port)))
                feeding = e.from;
        }
        if (feeding || !rule) {
            rule = candidate;
            server = feeding;
        }
        if (feeding)
            break;
    }
    if (!rule)
        return path;
    const auto step = [&](std::size_t from, std::size_t to) {
        if (const auto edge = graph.edgeBetween(from, to)) {
            path.edges.push_back(*edge);
            path.nodes.push_back(to);
            return true;
        }
        return false;
    };
    if (server)
        path.nodes.push_back(*server);
    if (server)
        step(*server, *rule);
    else
        path.nodes.push_back(*rule);
    if (!decision.destination)
        return path;

    const auto& d = *decision.destination;
    const auto dest = graph.find("dest:" + d.cluster);
    if (!dest || !step(*rule, *dest))
        return path;
    const auto service = graph.find("service:" + d.host);
    std::size_t last = *dest;
    if (!d.subset.empty()) {
        const auto subset = graph.find("subset:" + d.host + "/" + d.subset);
        if (!subset || !step(*dest, *subset))
            return path;
        last = *subset;
    }
    if (!service || !step(last, *service))
        return path;
    for (std::size_t w : nodes[*dest].endpoints)
        step(*service, w);
    return path;
}

} // namespace sluice::flow
