// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pod.h"

namespace sluice::model::schema {

template <>
struct Message<PodSpec> {
    static constexpr std::string_view name = "PodSpec";
    static constexpr auto fields = std::tuple{
        Field{"serviceAccountName", &PodSpec::serviceAccountName},
        Field{"nodeName", &PodSpec::nodeName},
    };
    static constexpr bool open = true;
};

/// Top-level fields of a Pod besides apiVersion, kind and metadata.
template <>
struct Message<Pod> {
    static constexpr std::string_view name = "Pod";
    static constexpr auto fields = std::tuple{Field{"spec", &Pod::spec}};
    static constexpr std::array<std::string_view, 1> ignored{"status"};
};

} // namespace sluice::model::schema
