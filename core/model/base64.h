// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::model {

/// How strictly decodeBase64 reads.
enum class Base64Form {
    /// Standard or URL-safe alphabet, '=' padding optional (protobuf JSON bytes, HAR bodies).
    Lenient,
    /// The standard alphabet with its padding, as Go's base64.StdEncoding reads a Kubernetes
    /// Secret's `data`.
    Padded,
};

/// Decodes base64 (RFC 4648); ASCII whitespace is ignored. nullopt for a character outside the
/// alphabet, a symbol after padding, a dangling single symbol, or (Padded) missing padding.
[[nodiscard]] std::optional<std::string> decodeBase64(std::string_view text,
                                                      Base64Form form = Base64Form::Lenient);

/// Standard base64 with padding.
[[nodiscard]] std::string encodeBase64(std::string_view bytes);

} // namespace sluice::model
