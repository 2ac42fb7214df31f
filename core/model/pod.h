// SPDX-License-Identifier: Apache-2.0
#pragma once

// core/v1 Pod: labels and namespace are what the analyzers need.

#include "object_meta.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::model {

/// Istio's analyzers read pod labels (metadata); the spec is kept opaque.
struct PodSpec {
    Located<std::string> serviceAccountName;
    Located<std::string> nodeName;
    SourceSpan span;
};

struct Pod {
    static constexpr std::string_view kKind = "Pod";
    ResourceHeader header;
    PodSpec spec;
};

} // namespace sluice::model
