// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "source_span.h"

#include <string>
#include <string_view>
#include <vector>

namespace sluice::model {

enum class Level : std::uint8_t { Info, Warning, Error };

[[nodiscard]] std::string_view levelName(Level level); // "Info", "Warning", "Error"

/// One finding, as istioctl analyze reports it, plus the exact field it is about.
struct Diagnostic {
    std::string code;      ///< "IST0101", "SLU0001", ...
    Level level = Level::Error;
    std::string message;
    SourceSpan span;       ///< the offending field's position (the document's when no field applies)
    std::string resource;  ///< "Kind namespace/name"; empty for file-level errors
    std::string field;     ///< path such as "spec.http[0].route[1].destination.host"; may be empty
};

using Diagnostics = std::vector<Diagnostic>;

} // namespace sluice::model
