// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "secret.h"

namespace sluice::model::schema {

/// Top-level fields of a Secret besides apiVersion/kind/metadata.
template <>
struct Message<Secret> {
    static constexpr std::string_view name = "Secret";
    static constexpr auto fields = std::tuple{
        Field{"type", &Secret::type},
        Field{"data", &Secret::data},
        Field{"stringData", &Secret::stringData},
        Field{"immutable", &Secret::immutable},
    };
};

} // namespace sluice::model::schema
