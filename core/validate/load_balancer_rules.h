// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/destination_rule.h"
#include "resource_reporter.h"

#include <string>

namespace sluice::validate {

/// Istio's validateLoadBalancer (VALIDATION_NOTES.md D7): consistent hash (cookie name, ring size,
/// maglev table size), locality settings (agent.ValidateLocalityLbSetting, which needs to know
/// whether `outlier` detection is configured) and warmup.
void checkLoadBalancer(ResourceReporter& reporter, const model::LoadBalancerSettings& lb,
                       const model::OutlierDetection* outlier, const std::string& field);

} // namespace sluice::validate
