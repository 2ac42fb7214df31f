// SPDX-License-Identifier: Apache-2.0
#include "live_config.h"

namespace sluice::proxy {
LiveConfig::LiveConfig(ServingConfigPtr config)
    : m_config(config ? std::move(config) : std::make_shared<const ServingConfig>())
    , m_clusters(*m_config)
    , m_gateway(std::make_unique<UpstreamState>(m_clusters)) {}

} // namespace sluice::proxy
