// SPDX-License-Identifier: Apache-2.0
#include "delegate_merger.h"

#include <algorithm>

namespace sluice::routing {
namespace {

using model::StringMatch;

// Istio's stringMatchConflict: with both given, only a leaf inside the root is accepted — an equal
// exact, or a prefix/exact under a root prefix. Anything else (regex on either side, a presence
// matcher, a leaf without a value under a root prefix) conflicts.
bool stringMatchConflict(const std::optional<StringMatch>& root, const std::optional<StringMatch>& leaf) {
    if (!root || !leaf)
        return false;
    const std::string& rootRegex = root->regex.value;
    const std::string& leafRegex = leaf->regex.value;
    if (!rootRegex.empty() &&
        (!leafRegex.empty() || !leaf->prefix.value.empty() || !leaf->exact.value.empty()))
        return true;
    if (!leafRegex.empty() &&
        (!rootRegex.empty() || !root->prefix.value.empty() || !root->exact.value.empty()))
        return true;
    if (const std::string& exact = root->exact.value; !exact.empty())
        return !leaf->prefix.value.empty() || leaf->exact.value != exact;
    if (const std::string& prefix = root->prefix.value; !prefix.empty()) {
        if (!leaf->prefix.value.empty())
            return !leaf->prefix.value.starts_with(prefix);
        if (!leaf->exact.value.empty())
            return !leaf->exact.value.starts_with(prefix);
    }
    return true;
}

template <class Map> bool mapConflict(const Map& root, const Map& leaf) {
    for (const auto& [key, value] : leaf) {
        const auto it = root.find(key);
        if (it != root.end() && stringMatchConflict(it->second, value))
            return true;
    }
    return false;
}

template <class T> void fillFrom(std::optional<T>& into, const std::optional<T>& from) {
    if (!into && from)
        into = from;
}

template <class Map> void fillMap(Map& into, const Map& from) {
    for (const auto& [k, v] : from)
        into.try_emplace(k, v);
}

model::HTTPMatchRequest mergeMatch(const model::HTTPMatchRequest& root, const model::HTTPMatchRequest& leaf) {
    model::HTTPMatchRequest out = leaf;
    if (!out.name.value.empty() && !root.name.value.empty())
        out.name.value = root.name.value + "-" + out.name.value;
    else if (out.name.value.empty())
        out.name = root.name;
    fillFrom(out.uri, root.uri);
    fillFrom(out.scheme, root.scheme);
    fillFrom(out.method, root.method);
    fillFrom(out.authority, root.authority);
    fillMap(out.headers, root.headers);
    fillMap(out.queryParams, root.queryParams);
    fillMap(out.withoutHeaders, root.withoutHeaders);
    fillMap(out.sourceLabels, root.sourceLabels);
    if (!out.port.present)
        out.port = root.port;
    if (out.gateways.empty())
        out.gateways = root.gateways;
    if (!out.sourceNamespace.present)
        out.sourceNamespace = root.sourceNamespace;
    return out;
}

} // namespace

bool matchConflicts(const model::HTTPMatchRequest& root, const model::HTTPMatchRequest& leaf) {
    if (stringMatchConflict(root.uri, leaf.uri) || stringMatchConflict(root.scheme, leaf.scheme) ||
        stringMatchConflict(root.method, leaf.method) || stringMatchConflict(root.authority, leaf.authority))
        return true;
    if (mapConflict(root.headers, leaf.headers) || mapConflict(root.withoutHeaders, leaf.withoutHeaders) ||
        mapConflict(root.queryParams, leaf.queryParams))
        return true;
    if (root.ignoreUriCase.valueOr(false) != leaf.ignoreUriCase.valueOr(false))
        return true;
    if (root.port.value > 0 && leaf.port.value > 0 && root.port.value != leaf.port.value)
        return true;
    if (!root.sourceNamespace.value.empty() && leaf.sourceNamespace.value != root.sourceNamespace.value)
        return true;
    for (const auto& [k, v] : leaf.sourceLabels) {
        const auto it = root.sourceLabels.find(k);
        if (it != root.sourceLabels.end() && it->second.value != v.value)
            return true;
    }
    if (!root.gateways.empty() && !leaf.gateways.empty()) {
        if (root.gateways.size() < leaf.gateways.size())
            return true;
        for (const auto& g : leaf.gateways)
            if (std::none_of(root.gateways.begin(), root.gateways.end(),
                             [&](const auto& r) { return r.value == g.value; }))
                return true;
    }
    return false;
}

std::optional<model::HTTPRoute> mergeDelegateRule(const model::HTTPRoute& root,
                                                  const model::HTTPRoute& delegate) {
    model::HTTPRoute out = delegate;
    if (root.match.empty()) {
        // nothing to fit into
    } else if (delegate.match.empty()) {
        out.match = root.match;
    } else {
        out.match.clear();
        for (const auto& leaf : delegate.match) {
            bool found = false;
            for (const auto& r : root.match) {
                if (matchConflicts(r, leaf))
                    continue;
                out.match.push_back(mergeMatch(r, leaf));
                found = true;
            }
            if (!found)
                return std::nullopt;
        }
        if (out.match.empty())
            return std::nullopt;
    }
    if (!out.name.value.empty() && !root.name.value.empty())
        out.name.value = root.name.value + "-" + out.name.value;
    else if (out.name.value.empty())
        out.name = root.name;
    fillFrom(out.rewrite, root.rewrite);
    if (!out.timeout.present)
        out.timeout = root.timeout;
    fillFrom(out.retries, root.retries);
    fillFrom(out.fault, root.fault);
    fillFrom(out.mirror, root.mirror);
    if (out.mirrors.empty())
        out.mirrors = root.mirrors;
    fillFrom(out.mirrorPercentage, root.mirrorPercentage);
    fillFrom(out.corsPolicy, root.corsPolicy);
    fillFrom(out.headers, root.headers);
    return out;
}

} // namespace sluice::routing
