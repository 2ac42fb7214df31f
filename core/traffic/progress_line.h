// SPDX-License-Identifier: Apache-2.0
#pragma once

// The live progress `sluice load` and `sluice replay` print on stderr: one line per second, or on
// a terminal one line redrawn in place with a progress bar.

#include "load_engine.h"

#include <optional>
#include <string>

namespace sluice::traffic {

class ProgressLine {
public:
    /// "[   3s]  20012 req/s  p50 0.41 ms  p99 1.20 ms  errors 0" for one completed second.
    [[nodiscard]] static std::string second(const SecondSummary& s);
    /// "[#########...........]  45%  4.5/10.0 s  " + second(s) (no newline; the caller redraws with
    /// "\r"). `fraction` in [0, 1] (clamped); `last`: the latest completed second, if any.
    [[nodiscard]] static std::string bar(double fraction, double elapsedSeconds,
                                         std::optional<double> totalSeconds,
                                         const std::optional<SecondSummary>& last, int width = 24);
};

} // namespace sluice::traffic
