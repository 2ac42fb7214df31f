// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::traffic {

/// Decodes standard base64 (RFC 4648 section 4; the URL-safe alphabet is accepted too), with or
/// without '=' padding; ASCII whitespace is ignored. nullopt for any other character or a
/// dangling single symbol.
[[nodiscard]] std::optional<std::string> decodeBase64(std::string_view text);

/// Standard base64 with padding.
[[nodiscard]] std::string encodeBase64(std::string_view bytes);

} // namespace sluice::traffic
