// SPDX-License-Identifier: Apache-2.0
#include "round_robin_balancer.h"

namespace sluice::proxy {

std::uint32_t RoundRobinBalancer::choose(PickContext& ctx) const {
    return ctx.hosts.at(static_cast<std::size_t>(ctx.cursor++ % ctx.hosts.size()));
}

} // namespace sluice::proxy
