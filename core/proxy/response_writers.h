// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http1_response_parser.h"
#include "routing/decision.h"

#include <string>
#include <string_view>

namespace sluice::proxy {

/// The head the client gets for an upstream's response, as Envoy sends it: the upstream's
/// headers without its hop-by-hop ones, the route's response header operations, `server:
/// istio-envoy` (Envoy overwrites the server header), x-envoy-upstream-service-time, and the
/// framing this hop uses. A close-delimited upstream body is passed on close-delimited.
struct ResponseHeadWriter {
    static void write(const ResponseHead& head, const routing::HeaderOperations& ops,
                      std::int64_t upstreamMillis, bool keepAlive, std::string_view date, std::string& out);
};

/// Responses the gateway makes itself (no route, no healthy upstream, redirects, direct
/// responses, faults, refused requests): status, Envoy's body text, date and server headers.
struct LocalReplyWriter {
    static void write(int status, std::string_view body, std::string_view contentType,
                      const routing::HeaderOperations* ops, std::string_view location, bool keepAlive,
                      std::string_view date, std::string& out);
    /// The reason phrase for a status ("Not Found"); "Unknown" for codes HTTP does not name.
    [[nodiscard]] static std::string_view reason(int status);
};

/// Inserts header `lines` ("name: value\r\n"...) at the end of the head at the front of `out`
/// (before its blank line; a body after it stays where it is). Nothing when `lines` is empty.
void insertHeaderLines(std::string& out, std::string_view lines);

/// An HTTP date ("Thu, 26 Nov 2026 05:55:11 GMT") for a Unix time.
[[nodiscard]] std::string httpDate(std::int64_t unixSeconds);

} // namespace sluice::proxy
