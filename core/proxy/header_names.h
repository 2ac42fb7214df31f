// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::proxy {

/// The header names the proxy itself acts on, recognised once when a head is parsed so that the
/// writers decide what to drop or replace with a switch instead of string comparisons per field.
enum class KnownHeader : std::uint8_t {
    Other,
    Host,
    Connection,
    KeepAlive,
    ProxyConnection,
    TransferEncoding,
    Upgrade,
    Te,
    Expect,
    ContentLength,
    Date,
    Server,
    UserAgent,
    XForwardedFor,
    XForwardedProto,
    XRequestId,
    XEnvoyAttemptCount,
    XEnvoyExpectedRqTimeoutMs,
};

/// Which KnownHeader `name` is, compared case-insensitively; Other when none.
[[nodiscard]] KnownHeader classifyHeader(std::string_view name);
/// Case-insensitive ASCII comparison of header names (`lowerName` is already lowercase).
[[nodiscard]] bool headerNameIs(std::string_view name, std::string_view lowerName);
/// Lowercases the ASCII letters of `words` whole 8-byte words at `p`, eight bytes per step
/// (header names are written for every field of every request and response).
void lowerAsciiWords(char* p, std::size_t words);
/// Appends `name` to `out` with ASCII letters lowercased (Envoy sends header names lowercase).
void appendLower(std::string& out, std::string_view name);
/// Appends "name: value\r\n" with the name lowercased.
void appendHeaderLine(std::string& out, std::string_view name, std::string_view value);
/// `value` without the optional whitespace (spaces, tabs) HTTP allows around field values and
/// list elements.
[[nodiscard]] std::string_view trimOws(std::string_view value);
/// Appends `value` in decimal (no locale, no allocation).
void appendDecimal(std::string& out, std::int64_t value);

} // namespace sluice::proxy
