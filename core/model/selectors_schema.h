// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "selectors.h"

namespace sluice::model::schema {

template <>
struct Message<PortSelector> {
    static constexpr std::string_view name = "PortSelector";
    static constexpr auto fields = std::tuple{
        Field{"number", &PortSelector::number},
    };
};

template <>
struct Message<WorkloadSelector> {
    static constexpr std::string_view name = "WorkloadSelector";
    static constexpr auto fields = std::tuple{
        Field{"matchLabels", &WorkloadSelector::matchLabels},
    };
};

} // namespace sluice::model::schema
