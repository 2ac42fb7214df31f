// SPDX-License-Identifier: Apache-2.0
#include "upstream_request_writer.h"

#include "head_text.h"

#include <algorithm>
#include <array>

namespace sluice::proxy {
namespace {

/// Headers this hop consumes or the writer produces itself.
bool droppedFromDownstream(const HeaderField& f, bool upgrade) {
    switch (f.known) {
    case KnownHeader::Connection:
    case KnownHeader::Upgrade:
        return !upgrade; // a WebSocket handshake needs both
    case KnownHeader::KeepAlive:
    case KnownHeader::ProxyConnection:
    case KnownHeader::TransferEncoding:
    case KnownHeader::Host:
    case KnownHeader::XForwardedProto:
    case KnownHeader::XEnvoyAttemptCount:
    case KnownHeader::XRequestId:
    case KnownHeader::XEnvoyExpectedRqTimeoutMs:
    case KnownHeader::Expect: // answered here: Envoy sends the 100 Continue itself
        return true;
    case KnownHeader::Te:
        return !headerNameIs(f.value, "trailers"); // TE: trailers is the only end-to-end use (gRPC)
    default:
        return false;
    }
}

bool removedByRoute(std::string_view name, const routing::HeaderOperations& ops) {
    if (ops.remove.empty() && ops.set.empty())
        return false;
    const auto named = [name](const std::string& h) {
        return headerNameIs(name, h);
    };
    return std::any_of(ops.remove.begin(), ops.remove.end(), named) ||
           std::any_of(ops.set.begin(), ops.set.end(), [&](const auto& kv) { return named(kv.first); });
}

} // namespace

bool UpstreamRequestWriter::forwards(std::string_view name, std::string_view value,
                                     const routing::HeaderOperations& ops) {
    return !droppedFromDownstream({name, value, classifyHeader(name)}, false) && !removedByRoute(name, ops);
}

void UpstreamRequestWriter::write(const RequestHead& head, const routing::Decision& decision,
                                  const DownstreamFacts& facts, std::string& out) {
    const routing::HeaderOperations& ops = decision.requestHeaders;
    HeadText text(out);
    text.put(head.method)
        .put(' ')
        .put(decision.upstreamPath.empty() ? head.target : std::string_view(decision.upstreamPath))
        .put(" HTTP/1.1\r\nhost: ")
        .put(decision.upstreamAuthority.empty() ? head.host : std::string_view(decision.upstreamAuthority))
        .put("\r\n");

    std::string_view forwardedFor;
    for (const HeaderField& f : head.fields) {
        if (droppedFromDownstream(f, facts.upgrade) || removedByRoute(f.name, ops))
            continue;
        if (f.known == KnownHeader::XForwardedFor) {
            forwardedFor = f.value; // appended to below, once, as Envoy's use_remote_address does
            continue;
        }
        text.line(f.name, f.value);
    }
    // Envoy's HeaderParser removes first, then adds: a route may remove a header and set it anew.
    for (const auto& [name, value] : ops.set)
        text.line(name, value);
    for (const auto& [name, value] : ops.add)
        text.line(name, value);

    // Appended once, as Envoy's use_remote_address does (gateways); a sidecar's outbound side does
    // not append (no client address given) and passes any it received on.
    if (!forwardedFor.empty() || !facts.clientAddress.empty()) {
        text.put("x-forwarded-for: ").put(forwardedFor);
        if (!forwardedFor.empty() && !facts.clientAddress.empty())
            text.put(',');
        text.put(facts.clientAddress).put("\r\n");
    }
    text.line("x-forwarded-proto", facts.scheme).line("x-request-id", facts.requestId);
    text.put("x-envoy-attempt-count: ").decimal(facts.attempt).put("\r\n");
    // What the upstream has before Envoy gives up on this attempt: the tighter of the route and
    // per-try timeouts (0 means none).
    std::int64_t ms = 0;
    for (const auto& t : {decision.timeout, decision.retries.perTryTimeout})
        if (t && t->nanos > 0)
            ms = ms ? std::min(ms, t->nanos / 1'000'000) : t->nanos / 1'000'000;
    if (ms > 0)
        text.put("x-envoy-expected-rq-timeout-ms: ").decimal(ms).put("\r\n");
    if (head.chunked)
        text.put("transfer-encoding: chunked\r\n");
    text.put("\r\n");
}

} // namespace sluice::proxy
