// SPDX-License-Identifier: Apache-2.0
#include "field_scanner.h"

#include "model/hex_digits.h"
#include "recorded_request.h"

#include <charconv>
#include <cmath>

namespace sluice::traffic {

void FieldScanner::skipSpaces() {
    while (m_pos < m_line.size() && (m_line[m_pos] == ' ' || m_line[m_pos] == '\t'))
        ++m_pos;
}

std::optional<std::string_view> FieldScanner::bare() {
    skipSpaces();
    if (atEnd())
        return std::nullopt;
    const std::size_t start = m_pos;
    while (m_pos < m_line.size() && m_line[m_pos] != ' ' && m_line[m_pos] != '\t')
        ++m_pos;
    return m_line.substr(start, m_pos - start);
}

std::optional<std::string_view> FieldScanner::bracketed() {
    skipSpaces();
    if (peek() != '[')
        return std::nullopt;
    const std::size_t close = m_line.find(']', m_pos + 1);
    if (close == std::string_view::npos)
        return std::nullopt;
    const std::string_view inside = m_line.substr(m_pos + 1, close - m_pos - 1);
    m_pos = close + 1;
    return inside;
}

std::optional<std::string_view> FieldScanner::quoted(Quotes style) {
    skipSpaces();
    if (peek() != '"')
        return std::nullopt;
    for (std::size_t i = m_pos + 1; i < m_line.size(); ++i) {
        const char c = m_line[i];
        if (style == Quotes::Backslash && c == '\\') {
            ++i;
            continue;
        }
        if (c != '"')
            continue;
        if (style == Quotes::QuoteThenSpace && i + 1 < m_line.size() && m_line[i + 1] != ' ' &&
            m_line[i + 1] != '\t')
            continue;
        const std::string_view inside = m_line.substr(m_pos + 1, i - m_pos - 1);
        m_pos = i + 1;
        return inside;
    }
    return std::nullopt;
}

std::string unescapeLogValue(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\\' && i + 1 < raw.size()) {
            const char n = raw[i + 1];
            if (n == '"' || n == '\\') {
                out += n;
                ++i;
                continue;
            }
            if (n == 'x' && i + 3 < raw.size())
                if (const auto byte = model::hexByte(raw[i + 2], raw[i + 3])) {
                    out += static_cast<char>(*byte);
                    i += 3;
                    continue;
                }
        }
        out += c;
    }
    return out;
}

std::string excerpt(std::string_view text, std::size_t max) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < max; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        } else {
            out += static_cast<char>(c);
        }
    }
    out += text.size() > max ? "\"..." : "\"";
    return out;
}

bool isDigits(std::string_view text) {
    if (text.empty())
        return false;
    for (const char c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

std::optional<std::chrono::microseconds> parseMilliseconds(std::string_view text) {
    double millis = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), millis);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !(millis >= 0) ||
        millis > 1e10)
        return std::nullopt;
    return std::chrono::microseconds(std::llround(millis * 1000));
}

bool isHttpToken(std::string_view text) {
    static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
    if (text.empty())
        return false;
    for (const char c : text) {
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && kSpecials.find(c) == std::string_view::npos)
            return false;
    }
    return true;
}

std::string normaliseProtocol(std::string_view text) {
    const std::string lower = toLowerAscii(text);
    if (lower.empty() || lower == "-")
        return {};
    if (lower == "h2" || lower == "http/2" || lower == "http/2.0")
        return "HTTP/2";
    if (lower == "h3" || lower == "http/3" || lower == "http/3.0")
        return "HTTP/3";
    if (lower == "1.1" || lower == "http/1.1")
        return "HTTP/1.1";
    if (lower == "1.0" || lower == "http/1.0")
        return "HTTP/1.0";
    if (lower == "http/0.9")
        return "HTTP/0.9";
    return {}; // "me:", "2 2": recorders write odd things here
}

} // namespace sluice::traffic
