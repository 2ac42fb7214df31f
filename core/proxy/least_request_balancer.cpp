// SPDX-License-Identifier: Apache-2.0
#include "least_request_balancer.h"

namespace sluice::proxy {

std::uint32_t LeastRequestBalancer::choose(PickContext& ctx) const {
    const std::size_t n = ctx.hosts.size();
    std::uint32_t candidate = ctx.hosts.at(static_cast<std::size_t>(ctx.rng.below(n)));
    if (n == 1 || !ctx.activeRequests)
        return candidate;
    for (int i = 1; i < kChoices; ++i) {
        const std::uint32_t sampled = ctx.hosts.at(static_cast<std::size_t>(ctx.rng.below(n)));
        if (ctx.activeRequests[sampled].load(std::memory_order_relaxed) <
            ctx.activeRequests[candidate].load(std::memory_order_relaxed))
            candidate = sampled;
    }
    return candidate;
}

} // namespace sluice::proxy
