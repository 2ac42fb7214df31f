// SPDX-License-Identifier: Apache-2.0
#pragma once

// Selectors shared by several Istio kinds.

#include "object_meta.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::model {

/// A port on a destination service: the number written in the Service or ServiceEntry.
struct PortSelector {
    Located<std::uint32_t> number;
    SourceSpan span;
};

/// Pods or workload entries selected by labels.
struct WorkloadSelector {
    StringMap matchLabels;
    SourceSpan span;
};

} // namespace sluice::model
