// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the routing engine tests: build model objects from inline YAML, so a test states its
// input the way a user writes it.

#include "config/loader.h"
#include "model/resource_set.h"
#include "routing/request.h"
#include "routing/route_action.h"

#include <string>
#include <utility>

#include <QTest>

namespace sluice::test {

/// Loads one in-memory file (diagnostics are ignored: the engine must cope with what loads).
inline model::ResourceSet load(const std::string& yaml) {
    config::LoadResult result;
    config::loadText("test.yaml", yaml, result);
    return std::move(result.resources);
}

/// The first HTTP rule of a VirtualService whose `http:` list is `rules` (YAML, items at column 0).
inline model::HTTPRoute httpRule(const std::string& rules) {
    std::string indented;
    std::size_t start = 0;
    while (start < rules.size()) {
        const auto end = rules.find('\n', start);
        indented +=
            "  " + rules.substr(start, end == std::string::npos ? std::string::npos : end - start) + "\n";
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    const auto set = load("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: t}\n"
                          "spec:\n  hosts: [a.example.com]\n  http:\n" +
                          indented);
    if (set.virtualServices.empty() || set.virtualServices.front().spec.http.empty())
        return {};
    return set.virtualServices.front().spec.http.front();
}

/// One HTTPMatchRequest written in flow style, e.g. `{uri: {prefix: /a}, headers: {x: {}}}`.
inline model::HTTPMatchRequest httpMatch(const std::string& flow) {
    const auto rule = httpRule("- match: [" + flow + "]\n  directResponse: {status: 200}");
    return rule.match.empty() ? model::HTTPMatchRequest{} : rule.match.front();
}

/// A request to the ingress gateway; `target` is path with query.
inline routing::Request request(std::string authority, std::string target, std::uint32_t port = 80) {
    routing::Request r;
    r.authority = std::move(authority);
    r.target = std::move(target);
    r.port = port;
    return r;
}

/// A destination whose cluster exists and has one endpoint, on port 8080.
inline routing::WeightedDestination healthy(const std::string& host, std::uint32_t weight = 100,
                                            const std::string& subset = "") {
    routing::WeightedDestination d;
    d.destination = {host, 8080, subset, "outbound|8080|" + subset + "|" + host};
    d.weight = weight;
    d.clusterExists = true;
    d.endpoints = 1;
    return d;
}

} // namespace sluice::test
