// SPDX-License-Identifier: Apache-2.0
#include "random_balancer.h"

namespace sluice::proxy {

std::uint32_t RandomBalancer::choose(PickContext& ctx) const {
    return ctx.hosts.at(static_cast<std::size_t>(ctx.rng.below(ctx.hosts.size())));
}

} // namespace sluice::proxy
