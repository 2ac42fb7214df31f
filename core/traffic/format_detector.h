// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which recording format a file holds, from its first bytes.

#include "recording.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::traffic {

struct Detection {
    std::optional<RecordingFormat> format;
    std::string why;    ///< when no format: what the first line looks like instead
    bool blank = false; ///< nothing but blanks (and a BOM) in what was looked at
};

/// How many leading bytes detectFormat() looks at.
inline constexpr std::size_t kDetectionBytes = 64 * 1024;

/// Looks at the first non-blank line of `head` (a UTF-8 BOM skipped; JSONL '#' comment lines
/// passed over):
///   '{' ... "log" first, or a document that is not one JSON object per line  -> har
///   a JSON object with "t_ms" or "headers" (Sluice JSONL's own keys)          -> jsonl
///   another JSON object with an Envoy key (start_time, response_code, ...)    -> envoy-json
///   another JSON object                                                       -> jsonl
///   "[" + ISO 8601 time + "]"                                                 -> envoy
///   "addr ident user [" or an RFC 3164 syslog header                          -> nginx
/// Anything else: no format, and why.
[[nodiscard]] Detection detectFormat(std::string_view head);

} // namespace sluice::traffic
