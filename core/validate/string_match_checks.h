// SPDX-License-Identifier: Apache-2.0
#pragma once

// StringMatch and regex checks (ports of Istio's validateStringMatch family). Each returns an empty
// string when valid, else Istio's error text.

#include "model/virtual_service.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::validate::vs {

/// validateStringRegexp: at most 1024 characters and compiles as RE2.
[[nodiscard]] std::string checkRegex(std::string_view re, std::string_view where);

/// The oneof case of a StringMatch as protojson would set it (first present of exact, prefix, regex).
enum class MatchKind : std::uint8_t { None, Exact, Prefix, Regex };
[[nodiscard]] MatchKind matchKind(const model::StringMatch& sm);
/// The Located value of the set case (nullptr for MatchKind::None).
[[nodiscard]] const model::Located<std::string>* matchValue(const model::StringMatch& sm);

/// validateStringMatch: empty prefix refused, regex checked (headers, scheme, method, authority, ...).
[[nodiscard]] std::string checkStringMatch(const model::StringMatch& sm, std::string_view where);
/// validateStringMatchRegexp: only the regex case is checked (uri allows an empty prefix).
[[nodiscard]] std::string checkStringMatchRegexp(const model::StringMatch& sm, std::string_view where);

} // namespace sluice::validate::vs
