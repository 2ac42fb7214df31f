// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/schema.h"
#include "resource_reporter.h"

#include <string_view>
#include <vector>

namespace sluice::validate {

/// Istio's validateExportTo for `spec.exportTo`: no duplicates (`.` counts as the resource's own
/// namespace), each entry `.`, `*` or a DNS label (`~` too for a ServiceEntry), `*` and `~` alone,
/// and a DestinationRule with a workloadSelector exported to its own namespace only.
void checkExportTo(ResourceReporter& reporter, std::string_view ns,
                   const std::vector<model::Located<std::string>>& exportTo, bool isServiceEntry,
                   bool isDestinationRuleWithSelector);

} // namespace sluice::validate
