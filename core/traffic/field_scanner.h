// SPDX-License-Identifier: Apache-2.0
#pragma once

// Splits one access-log line into its space-separated fields: bare tokens, "quoted" and
// [bracketed] ones. Internal to core/traffic.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::traffic {

class FieldScanner {
public:
    /// How a quoted field ends.
    enum class Quotes {
        Backslash,      ///< nginx/Apache: \" and \\ are escapes; the first other '"' closes
        QuoteThenSpace, ///< Envoy (no escaping): the first '"' followed by a space or the end
    };

    explicit FieldScanner(std::string_view line, std::size_t columnBase = 0)
        : m_line(line)
        , m_base(columnBase) {}

    void skipSpaces();
    /// After skipSpaces(): nothing left.
    [[nodiscard]] bool atEnd() const { return m_pos >= m_line.size(); }
    [[nodiscard]] char peek() const { return atEnd() ? '\0' : m_line[m_pos]; }
    /// 1-based column of the next character in the whole line.
    [[nodiscard]] std::size_t column() const { return m_base + m_pos + 1; }
    [[nodiscard]] std::string_view rest() const { return m_line.substr(std::min(m_pos, m_line.size())); }

    /// Skips spaces, then the token up to the next space; nullopt at the end.
    std::optional<std::string_view> bare();
    /// Skips spaces, then "[...]" (inside returned); nullopt when not there or not closed.
    std::optional<std::string_view> bracketed();
    /// Skips spaces, then "..." (inside returned raw, escapes kept); nullopt when not there or
    /// not closed.
    std::optional<std::string_view> quoted(Quotes style);

private:
    std::string_view m_line;
    std::size_t m_base;
    std::size_t m_pos = 0;
};

/// nginx/Apache escapes decoded: \xHH, \", \\ (nginx writes '"', '\' and bytes outside
/// printable ASCII as \xHH). Anything else is kept as written.
[[nodiscard]] std::string unescapeLogValue(std::string_view raw);

/// The value, or "" for the "-" logs write for an absent value.
[[nodiscard]] inline std::string_view dashIsEmpty(std::string_view value) {
    return value == "-" ? std::string_view() : value;
}

/// `text` quoted for a reason: at most `max` bytes ("..." after), bytes outside printable ASCII
/// as \xHH.
[[nodiscard]] std::string excerpt(std::string_view text, std::size_t max = 60);

/// True when `text` is 1+ ASCII digits.
[[nodiscard]] bool isDigits(std::string_view text);

/// "12", "12.5" (milliseconds, as a duration field holds) -> µs; nullopt for anything else,
/// negative or over 10^10 ms.
[[nodiscard]] std::optional<std::chrono::microseconds> parseMilliseconds(std::string_view text);

/// True for an HTTP token (RFC 9110 tchar), as a method is.
[[nodiscard]] bool isHttpToken(std::string_view text);

/// Normalises a recorded protocol: "http/2.0", "HTTP/2.0", "h2" -> "HTTP/2"; "1.1" -> "HTTP/1.1";
/// "HTTP/1.1" unchanged; "-", "" or anything else -> "" (unknown).
[[nodiscard]] std::string normaliseProtocol(std::string_view text);

} // namespace sluice::traffic
