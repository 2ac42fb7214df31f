// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace sluice::routing {

/// Small, fast, seedable generator (SplitMix64) for weighted picks and fault percentages.
/// One per thread; never shared.
class Rng {
public:
    explicit Rng(std::uint64_t seed = 0x9E3779B97F4A7C15ull)
        : m_state(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, bound).
    std::uint64_t below(std::uint64_t bound) { return bound ? next() % bound : 0; }
    /// Uniform in [0, 100).
    double percent() { return static_cast<double>(next() >> 11) * (100.0 / 9007199254740992.0); }

private:
    std::uint64_t m_state;
};

} // namespace sluice::routing
