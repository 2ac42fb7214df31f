// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Istio resource annotations istioctl knows (istio/api annotation/annotations.yaml, as generated
// into annotation/annotations.gen.go), with the resource kinds each applies to, and the value
// checks the sidecar injector applies (istio/istio pkg/kube/inject/validate.go).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::validate {

enum class FeatureStatus : std::uint8_t { Alpha, Beta, Stable };

struct AnnotationInfo {
    std::string_view name;
    FeatureStatus status = FeatureStatus::Alpha;
    bool deprecated = false;
    /// Resource kinds it applies to, in the registry's order ("Any" = every kind); unused slots are empty.
    std::array<std::string_view, 2> resources{};

    [[nodiscard]] bool appliesToAnyKind() const { return resources[0] == "Any"; }
    [[nodiscard]] bool appliesTo(std::string_view kind) const {
        return resources[0] == kind || resources[1] == kind;
    }
    /// "GatewayClass, Gateway": the kinds joined as Istio prints them.
    [[nodiscard]] std::string resourceList() const;
};

/// The registry entry for `name`, or nullptr for an annotation Istio does not know.
[[nodiscard]] const AnnotationInfo* findAnnotation(std::string_view name);

/// True for annotations in Istio's namespace (`*istio.io/...`), plus `kubernetes.io/ingress.class`.
[[nodiscard]] bool isIstioAnnotation(std::string_view name);

/// The injector's check of an annotation value (AnnotationValidation): nullopt when the annotation has
/// no check or the value passes, else the reason in Istio's wording.
[[nodiscard]] std::optional<std::string> checkAnnotationValue(std::string_view name, std::string_view value);

} // namespace sluice::validate
