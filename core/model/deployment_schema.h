// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "deployment.h"
#include "pod_schema.h"

namespace sluice::model::schema {

template <>
struct Message<LabelSelector> {
    static constexpr std::string_view name = "LabelSelector";
    static constexpr auto fields = std::tuple{
        Field{"matchLabels", &LabelSelector::matchLabels},
    };
    static constexpr bool open = true;
};

template <>
struct Message<PodTemplateSpec> {
    static constexpr std::string_view name = "PodTemplateSpec";
    static constexpr auto fields = std::tuple{
        Field{"metadata", &PodTemplateSpec::metadata},
        Field{"spec", &PodTemplateSpec::spec},
    };
    static constexpr bool open = true;
};

template <>
struct Message<DeploymentSpec> {
    static constexpr std::string_view name = "DeploymentSpec";
    static constexpr auto fields = std::tuple{
        Field{"replicas", &DeploymentSpec::replicas},
        Field{"selector", &DeploymentSpec::selector},
        Field{"template", &DeploymentSpec::template_},
    };
    static constexpr bool open = true;
};

/// Top-level fields of a Deployment besides apiVersion, kind and metadata.
template <>
struct Message<Deployment> {
    static constexpr std::string_view name = "Deployment";
    static constexpr auto fields = std::tuple{Field{"spec", &Deployment::spec}};
    static constexpr std::array<std::string_view, 1> ignored{"status"};
};

} // namespace sluice::model::schema
