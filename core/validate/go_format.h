// SPDX-License-Identifier: Apache-2.0
#pragma once

// Istio writes its messages with Go's fmt; these reproduce the pieces our messages quote, so the
// wording users search for matches istioctl's.

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::validate {

/// Go's %q of a string: "a\"b", control characters escaped.
[[nodiscard]] std::string goQuote(std::string_view s);
/// Go's %v of a slice: `[a b c]`.
[[nodiscard]] std::string goList(const std::vector<std::string>& items);
[[nodiscard]] std::string goList(const std::vector<std::uint32_t>& items);
[[nodiscard]] std::string goList(const std::set<std::string>& items);
/// strconv.FormatFloat(v, 'g', -1, 64).
[[nodiscard]] std::string goFloat(double value);
/// Go's %f.
[[nodiscard]] std::string goFixed(double value);
[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view separator);

} // namespace sluice::validate
