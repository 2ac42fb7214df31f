// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "load_balancer.h"

#include <string>
#include <vector>

namespace sluice::proxy {

/// Envoy's MAGLEV: a lookup table of `tableSize` entries (65537 by default, a prime) filled by
/// the endpoints in turn, each following its own permutation (offset and skip from two hashes of
/// "address:port"), so every endpoint owns an equal share and removing one moves little else.
/// A request goes to table[hash % size]. Built once per cluster per config version.
///
/// Ejected endpoints: Envoy rebuilds the table over the healthy ones; here the hash is mutated
/// (as Envoy does for a retry) until it lands on a healthy endpoint, then falls back to a
/// candidate chosen by the hash.
class MaglevTable final : public LoadBalancer {
public:
    static constexpr std::uint64_t kDefaultTableSize = 65537;

    MaglevTable(const std::vector<std::string>& keys, std::uint64_t tableSize);

    [[nodiscard]] std::uint32_t choose(PickContext& ctx) const override;
    /// The endpoint owning `hash` when every endpoint is healthy.
    [[nodiscard]] std::uint32_t owner(std::uint64_t hash) const;
    [[nodiscard]] std::size_t size() const { return m_table.size(); }

private:
    static constexpr int kRehashes = 8;
    std::vector<std::uint32_t> m_table;
};

} // namespace sluice::proxy
