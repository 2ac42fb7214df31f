// SPDX-License-Identifier: Apache-2.0
#pragma once

// apps/v1 Deployment: replicas and pod template labels.

#include "object_meta.h"
#include "pod.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::model {

struct LabelSelector {
    StringMap matchLabels;
    SourceSpan span;
};

struct PodTemplateSpec {
    ObjectMeta metadata;
    std::optional<PodSpec> spec;
    SourceSpan span;
};

struct DeploymentSpec {
    Located<std::int32_t> replicas;
    std::optional<LabelSelector> selector;
    std::optional<PodTemplateSpec> template_;
    SourceSpan span;
};

struct Deployment {
    static constexpr std::string_view kKind = "Deployment";
    ResourceHeader header;
    DeploymentSpec spec;
};

} // namespace sluice::model
