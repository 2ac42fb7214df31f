// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/diagnostic.h"
#include "model/gateway_workload.h"
#include "model/resource_set.h"
#include "suppression.h"

#include <vector>

namespace sluice::validate {

struct ValidateOptions {
    /// The offline stand-in for the ingress gateway pod and Service (used when the files hold none).
    model::GatewayWorkload gateway = model::GatewayWorkload::defaultIngress();
    std::vector<Suppression> suppressions;
};

/// Runs Istio's schema validation (as the admission webhook does) and the istioctl analyzers
/// over everything loaded. Returns every finding, sorted by file, line and code; suppressed
/// findings are removed. Pure function of its inputs; safe to call from any thread.
[[nodiscard]] model::Diagnostics validate(const model::ResourceSet& resources, const ValidateOptions& options = {});

} // namespace sluice::validate
