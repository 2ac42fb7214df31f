// SPDX-License-Identifier: Apache-2.0
#include "call_headers.h"

#include "proxy/header_names.h"
#include "proxy/upstream_request_writer.h"
#include "routing/request.h"

#include <algorithm>
#include <charconv>
#include <type_traits>

namespace sluice::traffic {
namespace {

static_assert(std::is_same_v<HeaderList, decltype(routing::Request::headers)>,
              "a request's headers travel as they are routed");

/// Writes header `n` of `out` (growing it when needed), keeping the strings' storage.
void put(HeaderList& out, std::size_t& n, std::string_view name, std::string_view value) {
    if (n == out.size())
        out.emplace_back();
    out[n].first.assign(name);
    out[n].second.assign(value);
    ++n;
}

int parseDepth(std::string_view value) {
    int depth = 0;
    std::from_chars(value.data(), value.data() + value.size(), depth);
    return depth;
}

} // namespace

HeaderNameSet HeaderNameSet::copiedBy(const proxy::MeshCall& call) {
    HeaderNameSet s;
    for (const std::string& name : call.propagate)
        s.add(name);
    for (const std::string_view name : proxy::kTracingHeaders)
        s.add(name);
    return s;
}

void HeaderNameSet::add(std::string_view name) {
    if (contains(name))
        return;
    std::string lower;
    proxy::appendLower(lower, name);
    m_names.push_back(std::move(lower));
    m_lengths |= std::uint64_t{1} << (name.size() % 64);
}

void HeaderNameSet::add(const HeaderNameSet& other) {
    for (const std::string& name : other.m_names)
        add(name);
}

bool HeaderNameSet::contains(std::string_view name) const {
    if (!(m_lengths & (std::uint64_t{1} << (name.size() % 64))))
        return false;
    return std::any_of(m_names.begin(), m_names.end(),
                       [&](const std::string& n) { return proxy::headerNameIs(name, n); });
}

int CallHeaders::received(const HeaderList& downstream, const routing::HeaderOperations& ops,
                          std::string_view scheme, const HeaderNameSet& wanted, HeaderList& out) {
    std::size_t n = 0;
    int depth = 0;
    const auto take = [&](std::string_view name, std::string_view value) {
        if (proxy::headerNameIs(name, proxy::kCallDepthHeader))
            depth = parseDepth(value);
        else if (wanted.contains(name) && !proxy::headerNameIs(name, "x-request-id"))
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
    if (wanted.contains("x-forwarded-proto"))
        put(out, n, "x-forwarded-proto", scheme);
    out.resize(n);
    return depth;
}

void CallHeaders::forCall(const HeaderNameSet& copied, const HeaderList& inbound, int depth,
                          std::string_view requestId, HeaderList& out) {
    std::size_t n = 0;
    for (const auto& [name, value] : inbound)
        if (copied.contains(name))
            put(out, n, name, value);
    char digits[16];
    const auto end = std::to_chars(digits, digits + sizeof digits, depth + 1).ptr;
    put(out, n, proxy::kCallDepthHeader, std::string_view(digits, static_cast<std::size_t>(end - digits)));
    put(out, n, "x-request-id", requestId);
    out.resize(n);
}

} // namespace sluice::traffic
