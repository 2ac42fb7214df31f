// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "load_balancer.h"

namespace sluice::proxy {

/// Envoy's LEAST_REQUEST with equal weights (Istio's default balancer): the power of two choices.
/// Two candidates are drawn at random (with replacement) and the one with fewer requests in flight
/// wins; the first drawn wins a tie. The counts are the endpoints' (shared by the workers, as
/// Envoy's host rq_active gauges are).
class LeastRequestBalancer final : public LoadBalancer {
public:
    static constexpr int kChoices = 2; ///< Envoy's default choice_count

    [[nodiscard]] std::uint32_t choose(PickContext& ctx) const override;
};

} // namespace sluice::proxy
