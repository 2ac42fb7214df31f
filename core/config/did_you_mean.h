// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace sluice::config {

/// Edit distance (insert, delete, substitute, adjacent swap), case-insensitive.
[[nodiscard]] std::size_t editDistance(std::string_view a, std::string_view b);

/// The candidate closest to `word` if it is close enough to be a plausible typo, else "".
[[nodiscard]] std::string closestMatch(std::string_view word, std::span<const std::string_view> candidates);

} // namespace sluice::config
