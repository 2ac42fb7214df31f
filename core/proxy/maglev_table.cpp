// SPDX-License-Identifier: Apache-2.0
#include "maglev_table.h"

#include <algorithm>
#include <limits>

namespace sluice::proxy {
namespace {

constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();

/// Envoy's retry mutation: many bits flipped, so successive attempts land far apart.
std::uint64_t mutated(std::uint64_t hash, std::uint32_t attempt) {
    return attempt == 0 ? hash : hash ^ (~0ull - attempt + 1);
}

bool isPrime(std::uint64_t n) {
    if (n < 2)
        return false;
    for (std::uint64_t d = 2; d * d <= n; ++d)
        if (n % d == 0)
            return false;
    return true;
}

} // namespace

MaglevTable::MaglevTable(const std::vector<std::string>& keys, std::uint64_t tableSize) {
    if (keys.empty())
        return;
    // A table smaller than the endpoints cannot give each a slot; Envoy refuses such a config.
    // Envoy refuses a size that is not prime (the permutations would not cover the table); here the
    // next prime up is used.
    std::uint64_t size = std::max<std::uint64_t>(tableSize ? tableSize : kDefaultTableSize, keys.size());
    while (!isPrime(size))
        ++size;
    m_table.assign(static_cast<std::size_t>(size), kEmpty);
    std::vector<std::uint64_t> offset(keys.size()), skip(keys.size()), next(keys.size(), 0);
    for (std::size_t e = 0; e < keys.size(); ++e) {
        offset[e] = stableHash64(keys[e], 0) % size;
        skip[e] = size > 1 ? stableHash64(keys[e], 1) % (size - 1) + 1 : 1;
    }
    std::uint64_t filled = 0;
    while (filled < size) {
        for (std::size_t e = 0; e < keys.size() && filled < size; ++e) {
            // The endpoint's next preferred slot that is still free.
            std::uint64_t slot = (offset[e] + next[e] * skip[e]) % size;
            while (m_table[static_cast<std::size_t>(slot)] != kEmpty) {
                ++next[e];
                slot = (offset[e] + next[e] * skip[e]) % size;
            }
            m_table[static_cast<std::size_t>(slot)] = static_cast<std::uint32_t>(e);
            ++next[e];
            ++filled;
        }
    }
}

std::uint32_t MaglevTable::owner(std::uint64_t hash) const {
    return m_table.empty() ? 0 : m_table[static_cast<std::size_t>(hash % m_table.size())];
}

std::uint32_t MaglevTable::choose(PickContext& ctx) const {
    if (m_table.empty())
        return ctx.hosts.at(0);
    const std::uint64_t hash = ctx.hash ? *ctx.hash : ctx.rng.next();
    for (std::uint32_t n = 0; n <= (ctx.hosts.all ? 0u : static_cast<std::uint32_t>(kRehashes)); ++n) {
        const std::uint32_t endpoint = owner(mutated(hash, ctx.attempt + n));
        if (ctx.hosts.contains(endpoint))
            return endpoint;
    }
    return ctx.hosts.at(static_cast<std::size_t>(hash % ctx.hosts.size()));
}

} // namespace sluice::proxy
