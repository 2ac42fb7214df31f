// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "decision.h"
#include "listener.h"
#include "match_input.h"
#include "rng.h"

namespace sluice::routing {

/// Carries out a matched route the way Envoy's fault filter and router do: fault abort/delay,
/// redirect, direct response, or a weighted pick of the upstream cluster with rewrites, header
/// operations, timeout, retries and mirrors. Fills `decision` in place.
void executeRoute(const CompiledRoute& route, const MatchInput& input, Rng& rng, Decision& decision);

/// Picks one of a TCP route's weighted destinations and records the outcome.
void executeTcpRoute(const TcpRoute& route, Rng& rng, Decision& decision);

/// Envoy's processRequestHost for a redirect: the Host as sent, minus its port when the redirect sets
/// a port (`newPort`), or when the scheme changes and the port is the request scheme's default.
[[nodiscard]] std::string redirectHost(std::string_view host, std::string_view newScheme, bool newPort,
                                       std::string_view requestScheme);

/// Builds the Location of a redirect as Envoy's RedirectAction does.
[[nodiscard]] std::string redirectLocation(const RedirectSpec& spec, const CompiledRoute& route,
                                           const MatchInput& input, std::uint32_t serverPort);

} // namespace sluice::routing
