// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "load_balancer.h"

namespace sluice::proxy {

/// Envoy's ROUND_ROBIN with equal weights: each worker walks the candidates in order from its own
/// cursor (Envoy starts each worker's cursor at a random position).
class RoundRobinBalancer final : public LoadBalancer {
public:
    [[nodiscard]] std::uint32_t choose(PickContext& ctx) const override;
};

} // namespace sluice::proxy
