// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http1_response_parser.h"
#include "routing/decision.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::proxy {

/// One HTTP/2 header list the gateway sends (a response's HEADERS or trailers), names lowercase
/// as HTTP/2 requires, built as Envoy's HTTP/2 codec would send what the HTTP/1.1 writers
/// (ResponseHeadWriter, LocalReplyWriter) send on HTTP/1.1: connection-specific headers are
/// dropped, framing is HTTP/2's own.
class Http2HeaderBlock {
public:
    /// The response to an upstream's answer: :status, the upstream's headers without hop-by-hop
    /// ones (and without those the route removes or sets), the route's response header
    /// operations, date when missing, `server: istio-envoy`, x-envoy-upstream-service-time.
    [[nodiscard]] static Http2HeaderBlock upstreamResponse(const ResponseHead& head,
                                                           const routing::HeaderOperations& ops,
                                                           std::int64_t upstreamMillis,
                                                           std::string_view date);
    /// The same for an HTTP/2 upstream's response HEADERS (pseudo-headers other than :status dropped).
    [[nodiscard]] static Http2HeaderBlock upstreamResponse(const Http2HeaderBlock& upstream,
                                                           const routing::HeaderOperations& ops,
                                                           std::int64_t upstreamMillis,
                                                           std::string_view date);
    /// The HTTP/2 request for an upstream, from the HTTP/1.1 head UpstreamRequestWriter made for it
    /// (so both protocols carry the same headers): the request line and host become :method,
    /// :scheme, :authority and :path; transfer-encoding is HTTP/1.1 framing and is dropped.
    [[nodiscard]] static Http2HeaderBlock fromHttp1Request(std::string_view head, std::string_view scheme);
    /// A reply the gateway makes itself (LocalReplyWriter's fields): status, location, a
    /// content-type for a body, the route's response headers, content-length, date, server.
    [[nodiscard]] static Http2HeaderBlock localReply(int status, std::size_t bodySize,
                                                     const routing::HeaderOperations* ops,
                                                     std::string_view location, std::string_view date);
    /// Envoy's local reply to a gRPC request: a trailers-only response (HTTP 200, content-type
    /// application/grpc, grpc-status, grpc-message percent-encoded when there is a message).
    [[nodiscard]] static Http2HeaderBlock grpcLocalReply(int grpcStatus, std::string_view message,
                                                         const routing::HeaderOperations* ops,
                                                         std::string_view location, std::string_view date);
    /// An upstream's trailers (a chunked body's), hop-by-hop ones dropped.
    [[nodiscard]] static Http2HeaderBlock trailers(const std::vector<HeaderField>& fields);

    /// Appends a field; the name is lowercased.
    void add(std::string_view name, std::string_view value);
    /// Appends the fields of HTTP/1.1 header lines ("name: value\r\n"..., as the CORS filter
    /// makes them).
    void addLines(std::string_view lines);

    [[nodiscard]] std::size_t size() const { return m_fields.size(); }
    [[nodiscard]] bool empty() const { return m_fields.empty(); }
    [[nodiscard]] std::string_view name(std::size_t i) const { return view(m_fields[i].first); }
    [[nodiscard]] std::string_view value(std::size_t i) const { return view(m_fields[i].second); }
    /// The first value of `name` (lowercase); empty when absent.
    [[nodiscard]] std::string_view find(std::string_view name) const;

private:
    struct Span {
        std::uint32_t at = 0;
        std::uint32_t size = 0;
    };
    /// A response's header list seldom passes these; reserving them takes the text and the field
    /// list in one allocation each, where growing took six per response (callgrind, h2 proxying).
    static constexpr std::size_t kTypicalBytes = 512;
    static constexpr std::size_t kTypicalFields = 16;
    /// An empty block with the typical capacity.
    [[nodiscard]] static Http2HeaderBlock sized();
    [[nodiscard]] std::string_view view(Span s) const { return {m_text.data() + s.at, s.size}; }
    void addRouteHeaders(const routing::HeaderOperations& ops);
    void addEnvoyResponseHeaders(bool hasDate, std::int64_t upstreamMillis, std::string_view date);

    std::string m_text;
    std::vector<std::pair<Span, Span>> m_fields;
};

} // namespace sluice::proxy
