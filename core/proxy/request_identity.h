// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http1_request_parser.h"
#include "http2_request.h"
#include "routing/request.h"
#include "routing/rng.h"

#include <string>

namespace sluice::proxy {

/// The routing engine's view of a parsed request on Gateway port `gatewayPort`: an absolute-form
/// target ("GET http://h/p") becomes path "/p" with authority "h", as Envoy's HTTP/1 codec does.
[[nodiscard]] routing::Request toRoutingRequest(const RequestHead& head, std::uint32_t gatewayPort,
                                                bool tls = false);
/// The same into `into`, reusing its strings' storage (a keep-alive session routes every request
/// through one Request). Every field is rewritten; sni is cleared.
void fillRoutingRequest(const RequestHead& head, std::uint32_t gatewayPort, bool tls, routing::Request& into);

/// The routing engine's view of an HTTP/2 request: :method, :path as the target and :authority
/// (else the host header) as the authority, regular headers as sent (cookies joined); `tls` is the
/// connection's. Routed exactly like the HTTP/1.1 request with the same head would be.
[[nodiscard]] routing::Request toRoutingRequest(const Http2Request& request, std::uint32_t gatewayPort,
                                                bool tls);

/// The x-request-id to send upstream: the client's when it sent one, else a random UUID v4.
void requestIdFor(const RequestHead& head, routing::Rng& rng, std::string& out);

} // namespace sluice::proxy
