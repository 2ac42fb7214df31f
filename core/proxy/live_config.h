// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster_set.h"
#include "serving_config.h"
#include "upstream_state.h"

#include <memory>

namespace sluice::proxy {

/// A published config version as the proxy serves it: the ServingConfig, its clusters with their
/// balancers, and the gateway's upstream state (circuit breakers, outlier detection). Built once
/// when the version is published; the ServingConfigPtr handed to readers shares its ownership, so
/// whoever holds the config (a request in flight) keeps all of it alive.
class LiveConfig {
public:
    explicit LiveConfig(ServingConfigPtr config);

    [[nodiscard]] const ServingConfig& config() const { return *m_config; }
    [[nodiscard]] const ClusterSet& clusters() const { return m_clusters; }
    /// The gateway's own upstream state (mutable, thread-safe).
    [[nodiscard]] UpstreamState& gateway() const { return *m_gateway; }

private:
    ServingConfigPtr m_config;
    ClusterSet m_clusters;
    std::unique_ptr<UpstreamState> m_gateway;
};

using LiveConfigPtr = std::shared_ptr<const LiveConfig>;

/// A ServingConfigPtr to `live`'s config that keeps all of `live` alive.
[[nodiscard]] inline ServingConfigPtr servingConfigOf(const LiveConfigPtr& live) {
    return live ? ServingConfigPtr(live, &live->config()) : nullptr;
}

} // namespace sluice::proxy
