// SPDX-License-Identifier: Apache-2.0
#include "json_line.h"

namespace sluice::traffic {

JsonLine parseJsonLine(std::string_view line) {
    JsonLine out;
    try {
        out.value = Json::parse(line.begin(), line.end());
    } catch (const Json::parse_error& e) {
        out.error = cleanJsonError(e.what());
        out.column = e.byte == 0 ? 1 : e.byte;
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

std::string cleanJsonError(std::string_view what) {
    if (const std::size_t column = what.find("column "); column != std::string_view::npos) {
        if (const std::size_t colon = what.find(": ", column); colon != std::string_view::npos)
            return std::string(what.substr(colon + 2));
    }
    if (const std::size_t bracket = what.find("] "); bracket != std::string_view::npos)
        return std::string(what.substr(bracket + 2));
    return std::string(what);
}

std::optional<std::string> jsonText(const Json& value) {
    if (value.is_string())
        return value.get_ref<const Json::string_t&>();
    if (value.is_number_unsigned())
        return std::to_string(value.get<std::uint64_t>());
    if (value.is_number_integer())
        return std::to_string(value.get<std::int64_t>());
    if (value.is_number_float())
        return value.dump();
    if (value.is_null())
        return std::string();
    return std::nullopt;
}

} // namespace sluice::traffic
