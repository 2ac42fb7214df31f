// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "object_meta.h"

#include <string>

namespace sluice::model {

/// core/v1 Secret. `data` values are base64 as written; `stringData` is kept apart because
/// Istio's offline analysis reads only `data`.
struct Secret {
    static constexpr std::string_view kKind = "Secret";
    ResourceHeader header;
    Located<std::string> type;
    StringMap data;
    StringMap stringData;
    Located<bool> immutable;
};

} // namespace sluice::model
