// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "decision.h"
#include "model/source_span.h"

#include <string>
#include <string_view>
#include <vector>

namespace sluice::routing {

/// One VirtualService as a route configuration saw it at compile time.
struct VirtualServiceBinding {
    std::string name;               ///< "ns/name"
    std::vector<std::string> hosts; ///< as the gateway compares them: short names expanded, lower-case
    /// Why it gave this route configuration no routes, as a sentence a user can act on ("VirtualService
    /// default/shop has no `gateways` list, ..."); empty when it contributed routes.
    std::string reason;
    model::SourceSpan span;
};

/// Compile-time bookkeeping of one HTTP route configuration: the VirtualServices considered for its
/// servers (every one bound to their Gateways, and every other one listing a host they serve) and
/// why those that contributed nothing were dropped. Read only when a request finds no route.
struct BindingReport {
    std::string routeConfig; ///< "http.80"
    std::uint32_t port = 0;
    std::vector<std::string> gateways;    ///< "ns/name" of the Gateways whose servers make the config
    std::vector<std::string> serverHosts; ///< the servers' hosts as written (ns/ prefixes kept)
    std::vector<VirtualServiceBinding> virtualServices;
};

/// The Host matched no virtual host: say which VirtualServices list it and why they did not produce one.
void explainUnservedHost(const BindingReport& report, std::string_view host, Decision& decision);
/// Only the blackhole virtual host exists: say why each VirtualService was dropped.
void explainBlackhole(const BindingReport& report, std::string_view host, Decision& decision);
/// A virtual host matched but none of its routes did: mention VirtualServices listing the same host
/// that were dropped (bound elsewhere, filtered for this port, ...), since their rules are not there.
void explainDroppedForHost(const BindingReport& report, std::string_view host, Decision& decision);

} // namespace sluice::routing
