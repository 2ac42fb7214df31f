// SPDX-License-Identifier: Apache-2.0
#pragma once

// The timestamps recordings carry, parsed to UTC with microsecond precision.

#include <chrono>
#include <optional>
#include <string_view>

namespace sluice::traffic {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// ISO 8601 / RFC 3339 as HAR's startedDateTime and Envoy's %START_TIME% write it:
/// "2023-03-29T17:37:42.482-07:00", "2016-01-24T14:53:29.954Z", "2023-12-12T16:23:16.067544+00:00".
/// 'T' or ' ' between date and time; any number of fraction digits (kept to the µs); offsets
/// "Z", "+HH:MM", "+HHMM" or "+HH"; none means UTC. nullopt for anything else or an impossible date.
[[nodiscard]] std::optional<Timestamp> parseIso8601(std::string_view text);

/// nginx $time_local / Apache %t without brackets: "20/Jul/2009:22:59:26 +0000".
[[nodiscard]] std::optional<Timestamp> parseCommonLogTime(std::string_view text);

/// Microseconds since the Unix epoch (for offsets).
[[nodiscard]] inline std::chrono::microseconds sinceEpoch(Timestamp t) {
    return t.time_since_epoch();
}

} // namespace sluice::traffic
