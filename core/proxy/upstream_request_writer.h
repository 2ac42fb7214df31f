// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http1_request_parser.h"
#include "routing/decision.h"

#include <string>
#include <string_view>

namespace sluice::proxy {

/// What the proxy knows about the downstream side of one request, beyond its head.
struct DownstreamFacts {
    std::string_view clientAddress; ///< appended to x-forwarded-for; empty: not appended (sidecar)
    std::string_view scheme;        ///< "http" or "https": x-forwarded-proto
    std::string_view requestId;     ///< x-request-id to send: the client's, or one made for it
    int attempt = 1;                ///< x-envoy-attempt-count
    bool upgrade = false;           ///< keep Connection/Upgrade: this is a WebSocket handshake
};

/// Writes the HTTP/1.1 head the upstream receives, as Envoy's router builds it: the rewritten
/// path and authority, header names lowercased, hop-by-hop headers dropped (Connection,
/// Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade, TE other than "trailers"), the
/// route's header operations (remove first, then set and add), x-forwarded-for appended,
/// x-forwarded-proto, x-request-id, x-envoy-attempt-count and x-envoy-expected-rq-timeout-ms,
/// and the body framing (Content-Length kept, chunked re-declared).
class UpstreamRequestWriter {
public:
    /// Appends the head to `out` (a buffer the caller reuses across requests).
    static void write(const RequestHead& head, const routing::Decision& decision,
                      const DownstreamFacts& facts, std::string& out);
    /// Whether write() passes the downstream header `name: value` on as it came: not hop-by-hop,
    /// not one it writes itself (Host, x-request-id, x-forwarded-proto...), not removed or set by
    /// the route's `ops` (x-forwarded-for is passed on with the client address appended). For the
    /// simulator, which tracks headers without writing heads.
    [[nodiscard]] static bool forwards(std::string_view name, std::string_view value,
                                       const routing::HeaderOperations& ops);
};

} // namespace sluice::proxy
