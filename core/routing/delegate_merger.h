// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/virtual_service.h"

#include <optional>

namespace sluice::routing {

/// Merges a delegate VirtualService rule into the root rule that delegates to it, as Istio's
/// mergeHTTPRoute does: every delegate match must fit inside some root match (else the rule is
/// dropped: nullopt); unset policies (rewrite, timeout, retries, fault, mirror, CORS, headers)
/// come from the root; names become "root-delegate".
[[nodiscard]] std::optional<model::HTTPRoute> mergeDelegateRule(const model::HTTPRoute& root,
                                                                const model::HTTPRoute& delegate);

/// Istio's hasConflict: true when `leaf` is not contained in `root`.
[[nodiscard]] bool matchConflicts(const model::HTTPMatchRequest& root, const model::HTTPMatchRequest& leaf);

} // namespace sluice::routing
