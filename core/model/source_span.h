// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <utility>

namespace sluice::model {

/// Where a node came from: a file of the ResourceSet and a 1-based line and column.
/// A default-constructed span (line 0) means "no source" (synthesised defaults).
struct SourceSpan {
    std::uint32_t file = 0;
    std::uint32_t line = 0;
    std::uint32_t column = 0;

    [[nodiscard]] bool known() const { return line != 0; }
    friend bool operator==(const SourceSpan&, const SourceSpan&) = default;
};

/// A scalar from the YAML, with its position. `present` is false when the field was absent
/// (or explicitly null), in which case `value` holds the protobuf default.
template <class T>
struct Located {
    T value{};
    SourceSpan span{};
    bool present = false;

    Located() = default;
    Located(T v) : value(std::move(v)), present(true) {} // NOLINT: implicit by design, eases tests
    Located(T v, SourceSpan s) : value(std::move(v)), span(s), present(true) {}

    [[nodiscard]] explicit operator bool() const { return present; }
    [[nodiscard]] const T& operator*() const { return value; }
    [[nodiscard]] const T* operator->() const { return &value; }
    [[nodiscard]] const T& valueOr(const T& fallback) const { return present ? value : fallback; }

    /// Equality compares what the user wrote, not where: `load(export(x)) == x` must hold.
    friend bool operator==(const Located& a, const Located& b) {
        return a.present == b.present && (!a.present || a.value == b.value);
    }
};

} // namespace sluice::model
