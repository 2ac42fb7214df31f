// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

namespace sluice::live {

/// One dot on an edge: where it is (0 at the source, 1 at the target, by length) and whether it
/// stands for a failed request.
struct TrafficDot {
    double at = 0;
    bool error = false;
};

/// Kiali's traffic animation for one edge of the flow graph: requests travel as dots from the
/// source to the target, more of them the busier the edge, red in the share that fails. Dots are
/// a picture of the rate, not one per request: their number grows with the logarithm of the rate
/// (so 10 and 10,000 rps both read), they move at one steady speed, and each dot keeps its colour
/// as it travels (the colour is drawn from the dot's own sequence number, not re-rolled per frame).
class TrafficDots {
public:
    /// Speed of a dot, in scene pixels per second.
    static constexpr double kSpeed = 120;

    /// The dots on an edge `length` pixels long carrying `rps` requests per second, of which
    /// `errorShare` (0..1) fail, `seconds` after the animation began. None when idle.
    [[nodiscard]] static std::vector<TrafficDot> at(double rps, double errorShare, double length,
                                                    double seconds);
    /// Dots leaving the source per second for `rps` (0 when idle).
    [[nodiscard]] static double dotsPerSecond(double rps);
};

} // namespace sluice::live
