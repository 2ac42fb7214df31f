// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/resource_set.h"
#include "routing/route_table.h"

#include <cstddef>
#include <memory>

namespace sluice::ui {

/// A version of the config as the proxy sees it: the resources, their compiled table, and whether
/// they may be served (a config with blocking errors is not: Istio's webhook would refuse it).
/// Immutable, shared with the thread that serves it.
struct ServableConfig {
    std::shared_ptr<const model::ResourceSet> resources;
    routing::RouteTablePtr table;
    std::size_t errors = 0;  ///< blocking errors (GatewaySession::blockingErrors)
    bool unreadable = false; ///< some file could not be read

    [[nodiscard]] bool servable() const { return resources && table && errors == 0 && !unreadable; }
};

} // namespace sluice::ui
