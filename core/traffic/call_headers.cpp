// SPDX-License-Identifier: Apache-2.0
#include "call_headers.h"

#include "proxy/header_names.h"
#include "proxy/upstream_request_writer.h"

#include <algorithm>
#include <charconv>

namespace sluice::traffic {
namespace {

/// Writes header `n` of `out` (growing it when needed), keeping the strings' storage.
void put(HeaderList& out, std::size_t& n, std::string_view name, std::string_view value) {
    if (n == out.size())
        out.emplace_back();
    out[n].first.assign(name);
    out[n].second.assign(value);
    ++n;
}

bool tracing(std::string_view name) {
    return std::any_of(proxy::kTracingHeaders.begin(), proxy::kTracingHeaders.end(),
                       [&](std::string_view h) { return proxy::headerNameIs(name, h); });
}

bool propagated(std::string_view name, const proxy::MeshCall& call) {
    // `propagate` names are lowercase (the fleet plan lowercases them).
    return std::any_of(call.propagate.begin(), call.propagate.end(),
                       [&](const std::string& h) { return proxy::headerNameIs(name, h); }) ||
           tracing(name);
}

int parseDepth(std::string_view value) {
    int depth = 0;
    std::from_chars(value.data(), value.data() + value.size(), depth);
    return depth;
}

} // namespace

bool CallHeaders::wanted(std::string_view name, const std::vector<proxy::MeshCall>& calls) {
    return std::any_of(calls.begin(), calls.end(),
                       [&](const proxy::MeshCall& c) { return propagated(name, c); });
}

int CallHeaders::received(const HeaderList& downstream, const routing::HeaderOperations& ops,
                          std::string_view scheme, const std::vector<proxy::MeshCall>& calls,
                          HeaderList& out) {
    std::size_t n = 0;
    int depth = 0;
    const auto take = [&](std::string_view name, std::string_view value) {
        if (proxy::headerNameIs(name, proxy::kCallDepthHeader))
            depth = parseDepth(value);
        else if (!proxy::headerNameIs(name, "x-request-id") && wanted(name, calls))
            put(out, n, name, value);
    };
    for (const auto& [name, value] : downstream)
        if (proxy::UpstreamRequestWriter::forwards(name, value, ops))
            take(name, value);
    // Envoy's header parser removes first, then sets and adds.
    for (const auto& [name, value] : ops.set)
        take(name, value);
    for (const auto& [name, value] : ops.add)
        take(name, value);
    if (wanted("x-forwarded-proto", calls))
        put(out, n, "x-forwarded-proto", scheme);
    out.resize(n);
    return depth;
}

void CallHeaders::forCall(const proxy::MeshCall& call, const HeaderList& inbound, int depth,
                          std::string_view requestId, HeaderList& out) {
    std::size_t n = 0;
    for (const auto& [name, value] : inbound)
        if (propagated(name, call))
            put(out, n, name, value);
    char digits[16];
    const auto end = std::to_chars(digits, digits + sizeof digits, depth + 1).ptr;
    put(out, n, proxy::kCallDepthHeader, std::string_view(digits, static_cast<std::size_t>(end - digits)));
    put(out, n, "x-request-id", requestId);
    out.resize(n);
}

} // namespace sluice::traffic
