// SPDX-License-Identifier: Apache-2.0
#pragma once

// Hexadecimal digits, for every parser that reads them: chunk sizes (HTTP/1.1 chunked bodies),
// percent-escapes (paths), "\xHH" escapes (access logs).

#include <optional>
#include <string_view>

namespace sluice::model {

/// The value of hex digit `c` (0-9, a-f, A-F), or -1 when it is none.
[[nodiscard]] constexpr int hexDigitValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// The byte two hex digits make ("2F" -> 0x2F); nullopt unless both are hex digits.
[[nodiscard]] constexpr std::optional<unsigned char> hexByte(char high, char low) {
    const int h = hexDigitValue(high);
    const int l = hexDigitValue(low);
    if (h < 0 || l < 0)
        return std::nullopt;
    return static_cast<unsigned char>(h * 16 + l);
}

} // namespace sluice::model
