// SPDX-License-Identifier: Apache-2.0
#pragma once

// Istio's translation of the per-rule policies of an HTTPRoute into what Envoy enforces
// (route.go TranslateHeadersOperations, TranslateFault; retry.go ConvertPolicy).

#include "decision.h"
#include "model/virtual_service.h"

#include <optional>
#include <string>
#include <string_view>

namespace sluice::routing {

/// Header operations without pseudo-headers and `host`; a `host`/`:authority` in `set` (or, failing
/// that, in `add`) becomes `*authority` when given (request side only).
void convertHeaders(const std::optional<model::HeaderOperations>& in, HeaderOperations& out,
                    std::string* authority);

/// Istio's default policy when `in` is unset; attempts 0 disables retries; numeric retryOn
/// entries become retriable status codes (adding retriable-status-codes).
[[nodiscard]] RetryPolicy convertRetries(const std::optional<model::HTTPRetry>& in,
                                         const std::optional<model::Duration>& timeout);

/// Delay and abort with their percentages (unset means 0%; the integer `percent` only for delay).
[[nodiscard]] FaultPolicy convertFault(const std::optional<model::HTTPFaultInjection>& in);

} // namespace sluice::routing
