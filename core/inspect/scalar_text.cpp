// SPDX-License-Identifier: Apache-2.0
#include "scalar_text.h"

#include <charconv>
#include <cmath>

namespace sluice::inspect {

std::string scalarText(const std::string& value) {
    return value;
}

std::string scalarText(bool value) {
    return value ? "true" : "false";
}

std::string scalarText(double value) {
    if (!std::isfinite(value))
        return std::isnan(value) ? ".nan" : value < 0 ? "-.inf" : ".inf";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::string("0");
}

std::string scalarText(const model::Duration& value) {
    return value.toString();
}

std::string scalarText(const model::IntOrString& value) {
    return value.isInt ? std::to_string(value.number) : value.name;
}

} // namespace sluice::inspect
