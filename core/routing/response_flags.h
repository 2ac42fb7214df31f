// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace sluice::routing {

/// Envoy's response flags as `%RESPONSE_FLAGS%` prints them: short names joined by commas, in the
/// order of Envoy's ResponseFlag enum whatever order they were set in (a request delayed by the
/// fault filter that then finds no healthy upstream logs "UH,DI"). One implementation for the
/// gateway, the sidecars' calls and the simulator, so their flags compare equal.
class ResponseFlags {
public:
    /// Adds `flag` (or each of a comma-separated list) to `flags` once, in Envoy's order. An
    /// unknown name goes last.
    static void add(std::string& flags, std::string_view flag);
    /// Whether `flags` holds `flag` as a whole element ("UR" is not in "URX").
    [[nodiscard]] static bool has(std::string_view flags, std::string_view flag);
};

} // namespace sluice::routing
