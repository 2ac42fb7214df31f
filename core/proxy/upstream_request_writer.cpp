// SPDX-License-Identifier: Apache-2.0
#include "upstream_request_writer.h"

#include <algorithm>
#include <array>

namespace sluice::proxy {
namespace {

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

/// Headers this hop consumes or the writer produces itself.
bool droppedFromDownstream(std::string_view name, std::string_view value, bool upgrade) {
    static constexpr std::array<std::string_view, 7> always{
        "connection", "keep-alive",        "proxy-connection",     "transfer-encoding",
        "host",       "x-forwarded-proto", "x-envoy-attempt-count"};
    for (std::string_view h : always)
        if (headerNameIs(name, h))
            return !(upgrade && h == "connection");
    if (headerNameIs(name, "upgrade"))
        return !upgrade;
    if (headerNameIs(name, "te"))
        return !headerNameIs(value, "trailers"); // TE: trailers is the only end-to-end use (gRPC)
    return headerNameIs(name, "x-request-id") || headerNameIs(name, "x-envoy-expected-rq-timeout-ms") ||
           headerNameIs(name, "expect"); // answered here: Envoy sends the 100 Continue itself
}

bool removedByRoute(std::string_view name, const routing::HeaderOperations& ops) {
    const auto named = [name](const std::string& h) {
        return headerNameIs(name, h);
    };
    return std::any_of(ops.remove.begin(), ops.remove.end(), named) ||
           std::any_of(ops.set.begin(), ops.set.end(), [&](const auto& kv) { return named(kv.first); });
}

void field(std::string& out, std::string_view name, std::string_view value) {
    appendLower(out, name);
    out += ": ";
    out += value;
    out += "\r\n";
}

} // namespace

void appendLower(std::string& out, std::string_view name) {
    const std::size_t at = out.size();
    out += name;
    std::transform(out.begin() + static_cast<std::ptrdiff_t>(at), out.end(),
                   out.begin() + static_cast<std::ptrdiff_t>(at), lower);
}

bool headerNameIs(std::string_view name, std::string_view lowerName) {
    if (name.size() != lowerName.size())
        return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (lower(name[i]) != lowerName[i])
            return false;
    return true;
}

void UpstreamRequestWriter::write(const RequestHead& head, const routing::Decision& decision,
                                  const DownstreamFacts& facts, std::string& out) {
    const routing::HeaderOperations& ops = decision.requestHeaders;
    out += head.method;
    out += ' ';
    out += decision.upstreamPath.empty() ? head.target : std::string_view(decision.upstreamPath);
    out += " HTTP/1.1\r\nhost: ";
    out += decision.upstreamAuthority.empty() ? head.host : std::string_view(decision.upstreamAuthority);
    out += "\r\n";

    std::string_view forwardedFor;
    for (const HeaderField& f : head.fields) {
        if (droppedFromDownstream(f.name, f.value, facts.upgrade) || removedByRoute(f.name, ops))
            continue;
        if (headerNameIs(f.name, "x-forwarded-for")) {
            forwardedFor = f.value; // appended to below, once, as Envoy's use_remote_address does
            continue;
        }
        field(out, f.name, f.value);
    }
    // Envoy's HeaderParser removes first, then adds: a route may remove a header and set it anew.
    for (const auto& [name, value] : ops.set)
        field(out, name, value);
    for (const auto& [name, value] : ops.add)
        field(out, name, value);

    // Appended once, as Envoy's use_remote_address does (gateways); a sidecar's outbound side does
    // not append (no client address given) and passes any it received on.
    if (!forwardedFor.empty() || !facts.clientAddress.empty()) {
        out += "x-forwarded-for: ";
        out += forwardedFor;
        if (!forwardedFor.empty() && !facts.clientAddress.empty())
            out += ",";
        out += facts.clientAddress;
        out += "\r\n";
    }
    field(out, "x-forwarded-proto", facts.scheme);
    field(out, "x-request-id", facts.requestId);
    out += "x-envoy-attempt-count: ";
    out += std::to_string(facts.attempt);
    out += "\r\n";
    // What the upstream has before Envoy gives up on this attempt: the tighter of the route and
    // per-try timeouts (0 means none).
    std::int64_t ms = 0;
    for (const auto& t : {decision.timeout, decision.retries.perTryTimeout})
        if (t && t->nanos > 0)
            ms = ms ? std::min(ms, t->nanos / 1'000'000) : t->nanos / 1'000'000;
    if (ms > 0) {
        out += "x-envoy-expected-rq-timeout-ms: ";
        out += std::to_string(ms);
        out += "\r\n";
    }
    if (head.chunked)
        out += "transfer-encoding: chunked\r\n";
    out += "\r\n";
}

} // namespace sluice::proxy
