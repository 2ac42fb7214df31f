// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/duration.h"

#include <chrono>
#include <optional>

namespace sluice::proxy {

/// A route's timeout or per-try timeout as the router runs it: zero where it is unset or not
/// positive, which Envoy reads as no timeout at all.
[[nodiscard]] inline std::chrono::nanoseconds timeoutOf(const std::optional<model::Duration>& d) {
    return d && d->nanos > 0 ? std::chrono::nanoseconds(d->nanos) : std::chrono::nanoseconds::zero();
}

} // namespace sluice::proxy
