// SPDX-License-Identifier: Apache-2.0
#include "traffic_dots.h"

#include <algorithm>
#include <cmath>

namespace sluice::live {

double TrafficDots::dotsPerSecond(double rps) {
    if (!(rps > 0))
        return 0;
    // 1 rps -> 1 dot/s, 10 rps -> ~3, 1,000 -> ~7, 50,000 -> ~11: busier reads busier, never a blur.
    return std::clamp(0.7 * std::log2(1 + rps) + 0.3, 0.5, 12.0);
}

std::vector<TrafficDot> TrafficDots::at(double rps, double errorShare, double length, double seconds) {
    std::vector<TrafficDot> dots;
    const double rate = dotsPerSecond(rps);
    if (rate <= 0 || !(length > 0) || !(seconds >= 0))
        return dots;
    const double spacing = kSpeed / rate; // pixels between two dots
    const double travelled = kSpeed * seconds;
    // Dot n left the source at travelled = n * spacing; the newest has number floor(travelled / spacing).
    const auto newest = static_cast<std::int64_t>(std::floor(travelled / spacing));
    const double share = std::clamp(errorShare, 0.0, 1.0);
    for (std::int64_t n = newest; n >= 0; --n) {
        const double position = travelled - static_cast<double>(n) * spacing;
        if (position > length)
            break;
        // The golden-ratio sequence spreads the failing dots evenly whatever the share.
        const double draw = std::fmod(static_cast<double>(n) * 0.6180339887498949, 1.0);
        dots.push_back({position / length, draw < share});
    }
    return dots;
}

} // namespace sluice::live
