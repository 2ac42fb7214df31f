// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::model {

/// A protobuf Duration as Istio reads it from YAML: Go duration syntax ("1.5s", "100ms", "1h2m").
struct Duration {
    std::int64_t nanos = 0;

    [[nodiscard]] std::chrono::nanoseconds value() const { return std::chrono::nanoseconds(nanos); }
    friend auto operator<=>(const Duration&, const Duration&) = default;

    /// Parses Go's time.ParseDuration syntax. nullopt for anything else (including overflow).
    [[nodiscard]] static std::optional<Duration> parse(std::string_view text);
    /// Shortest Go-style spelling that parses back to the same value ("500ms", "1m30s", "0s").
    [[nodiscard]] std::string toString() const;
};

} // namespace sluice::model
