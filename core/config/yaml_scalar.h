// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice::config {

enum class ScalarType : std::uint8_t { Null, Bool, Int, Float, String };

struct ResolvedScalar {
    ScalarType type = ScalarType::String;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0;
    bool intOverflow = false;
};

/// Resolves an untagged plain scalar the way Kubernetes reads YAML (sigs.k8s.io/yaml, YAML 1.1
/// rules): `on`, `yes`, `y` are booleans, `0x1F` and `0o17` are integers, `~` is null. This is
/// why `exact: on` is not the string "on" once applied to a cluster.
[[nodiscard]] ResolvedScalar resolvePlainScalar(std::string_view text);

[[nodiscard]] std::string_view scalarTypeName(ScalarType type);

} // namespace sluice::config
