// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "load_balancer.h"

namespace sluice::proxy {

/// Envoy's RANDOM: a uniformly random candidate.
class RandomBalancer final : public LoadBalancer {
public:
    [[nodiscard]] std::uint32_t choose(PickContext& ctx) const override;
};

} // namespace sluice::proxy
