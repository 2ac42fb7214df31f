// SPDX-License-Identifier: Apache-2.0
#pragma once

// The request mix a simulation sends when the user gives no profile. Stands in until profiles
// (weighted request templates from a YAML file) exist; swap it for the profile reader then.

#include "model/resource_set.h"
#include "request_mix.h"
#include "routing/route_table.h"

namespace sluice::traffic {

/// One request per HTTP rule the gateway serves, equally weighted: for every route of every HTTP
/// listener (and TLS-terminating filter chain) of `table`, a request built from the rule's first
/// match that the routing engine sends back to that rule (exact or prefix uri, method, authority,
/// header and query values; regex conditions are not guessed, so a rule reachable only through a
/// regex gets no request). With no such rule, a single `GET /` to the first host of the first
/// Gateway server. Empty only when the gateway has no HTTP listener at all.
class DefaultMix {
public:
    [[nodiscard]] static RequestMix build(const model::ResourceSet& resources,
                                          const routing::RouteTable& table);
};

} // namespace sluice::traffic
