// SPDX-License-Identifier: Apache-2.0
#pragma once

// One HAR log.entries[] object into a RecordedRequest. Internal to core/traffic (HarReader).

#include "recorded_request.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace sluice::traffic {

struct HarEntry {
    std::optional<RecordedRequest> request;         ///< set when the entry was usable
    std::optional<std::chrono::microseconds> stamp; ///< startedDateTime since the epoch
    std::string reason;                             ///< else why not: "log.entries[3].request.url ..."
};

/// Reads entry `index`: request.method, request.url, request.httpVersion, request.headers
/// (pseudo-headers and Host fill method/authority/path/scheme instead of headers; authority
/// from :authority, else Host, else the URL), request.postData (text, base64-decoded when its
/// encoding says "base64"; form params url-encoded when there is no text), startedDateTime,
/// time (ms), response.status. A missing or wrongly typed required field, an unparsable time or
/// a non-http(s) URL gives a reason instead of a request.
/// Precondition: `entry` is an object.
[[nodiscard]] HarEntry readHarEntry(const nlohmann::json& entry, std::size_t index);

} // namespace sluice::traffic
