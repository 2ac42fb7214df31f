// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "routing/rng.h"

#include <cmath>
#include <cstdint>

namespace sluice::traffic {

/// How open-loop requests arrive, for `sluice load` and `sluice simulate` alike.
enum class ArrivalProcess : std::uint8_t {
    Constant, ///< evenly spaced, 1/rate apart
    Poisson,  ///< exponential gaps of mean 1/rate (independent arrivals, as from many users)
};

/// One gap of a Poisson process whose gaps average `mean` (in any unit): exponential, drawn from
/// a uniform in (0, 1] so its logarithm is finite.
inline double exponentialGap(routing::Rng& rng, double mean) {
    const double unit = (static_cast<double>(rng.next() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
    return -std::log(unit) * mean;
}

} // namespace sluice::traffic
