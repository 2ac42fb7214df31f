// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers the JSON-lines readers (Envoy JSON, Sluice JSONL) share. Internal to core/traffic.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sluice::traffic {

using Json = nlohmann::ordered_json;

/// One line parsed, or why not (nlohmann's wording without its prefix) and the 1-based column.
struct JsonLine {
    std::optional<Json> value;
    std::string error;
    std::size_t column = 0;
};

/// Parses `line` as one JSON value. Never throws.
[[nodiscard]] JsonLine parseJsonLine(std::string_view line);

/// nlohmann's exception text without "[json.exception.parse_error.101] parse error at line 1, column 5: ".
[[nodiscard]] std::string cleanJsonError(std::string_view what);

/// A string as is; a number as JSON writes it; null as "". nullopt for other types (a wrong type).
[[nodiscard]] std::optional<std::string> jsonText(const Json& value);

/// What kind of JSON value this is, for reasons: "a string", "an array"...
template <class AnyJson> [[nodiscard]] std::string_view jsonKind(const AnyJson& value) {
    if (value.is_null())
        return "null";
    if (value.is_object())
        return "an object";
    if (value.is_array())
        return "an array";
    if (value.is_string())
        return "a string";
    if (value.is_boolean())
        return "a boolean";
    if (value.is_number())
        return "a number";
    return "not JSON";
}

} // namespace sluice::traffic
