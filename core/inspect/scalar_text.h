// SPDX-License-Identifier: Apache-2.0
#pragma once

// Scalars of the model as the Inspector prints them: as a user would write them in YAML
// (enums by name, durations in Go syntax, numbers in their shortest exact form).

#include "model/duration.h"
#include "model/schema.h"

#include <cstdint>
#include <string>
#include <type_traits>

namespace sluice::inspect {

[[nodiscard]] std::string scalarText(const std::string& value);
[[nodiscard]] std::string scalarText(bool value);
[[nodiscard]] std::string scalarText(double value);
[[nodiscard]] std::string scalarText(const model::Duration& value);
[[nodiscard]] std::string scalarText(const model::IntOrString& value);

template <class I>
requires std::is_integral_v<I> &&(!std::is_same_v<I, bool>) [[nodiscard]] std::string scalarText(I value) {
    return std::to_string(value);
}

template <model::schema::EnumType E> [[nodiscard]] std::string scalarText(E value) {
    const std::string_view name = model::schema::enumName(value);
    return name.empty() ? std::to_string(static_cast<int>(value)) : std::string(name);
}

} // namespace sluice::inspect
