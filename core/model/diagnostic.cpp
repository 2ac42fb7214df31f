// SPDX-License-Identifier: Apache-2.0
#include "diagnostic.h"

namespace sluice::model {

std::string_view levelName(Level level) {
    switch (level) {
    case Level::Info:
        return "Info";
    case Level::Warning:
        return "Warning";
    case Level::Error:
        return "Error";
    }
    return "Error";
}

} // namespace sluice::model
