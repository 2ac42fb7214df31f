// SPDX-License-Identifier: Apache-2.0
#include "yaml_line.h"

#include <algorithm>

namespace sluice::config {
namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trimRight(std::string_view s) {
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

/// Index of the quote closing the one at `open`, or npos.
std::size_t closingQuote(std::string_view s, std::size_t open) {
    const char q = s[open];
    for (std::size_t i = open + 1; i < s.size(); ++i) {
        if (q == '"' && s[i] == '\\') {
            ++i;
        } else if (s[i] == q) {
            if (q == '\'' && i + 1 < s.size() && s[i + 1] == '\'')
                ++i; // '' is an escaped quote
            else
                return i;
        }
    }
    return std::string_view::npos;
}

/// True when a scalar may start at `i`: after nothing, a space or a flow/block indicator.
bool atScalarStart(std::string_view s, std::size_t i) {
    std::size_t p = i;
    while (p > 0 && isSpace(s[p - 1]))
        --p;
    if (p == 0)
        return true;
    const char c = s[p - 1];
    return c == ':' || c == '-' || c == ',' || c == '[' || c == '{' || c == '?';
}

bool isBlockIndicator(std::string_view v) {
    if (v.empty() || (v[0] != '|' && v[0] != '>'))
        return false;
    for (char c : v.substr(1))
        if (!(c >= '0' && c <= '9') && c != '+' && c != '-')
            return false;
    return true;
}

/// `key:` at `pos`: the key's text and the index of its colon, or npos.
std::size_t keyColon(std::string_view line, std::size_t pos, std::string& key) {
    const char first = line[pos];
    auto colonAt = [&](std::size_t i) {
        return i < line.size() && line[i] == ':' && (i + 1 == line.size() || isSpace(line[i + 1]));
    };
    if (first == '"' || first == '\'') {
        const std::size_t close = closingQuote(line, pos);
        if (close == std::string_view::npos)
            return std::string_view::npos;
        std::size_t after = close + 1;
        while (after < line.size() && isSpace(line[after]))
            ++after;
        if (!colonAt(after))
            return std::string_view::npos;
        key = unquoteYaml(line.substr(pos, close + 1 - pos));
        return after;
    }
    if (first == '[' || first == '{' || first == '|' || first == '>' || first == '*' || first == '&' ||
        first == '!')
        return std::string_view::npos;
    for (std::size_t i = pos; i < line.size(); ++i)
        if (colonAt(i)) {
            key = std::string(trimRight(line.substr(pos, i - pos)));
            return i;
        }
    return std::string_view::npos;
}

} // namespace

std::size_t yamlCommentStart(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if ((c == '"' || c == '\'') && atScalarStart(line, i)) {
            const std::size_t close = closingQuote(line, i);
            if (close == std::string_view::npos)
                return std::string_view::npos;
            i = close;
        } else if (c == '#' && (i == 0 || isSpace(line[i - 1]))) {
            return i;
        }
    }
    return std::string_view::npos;
}

std::size_t yamlTokenEnd(std::string_view line, std::size_t start) {
    if (start >= line.size())
        return line.size();
    const char first = line[start];
    std::size_t end = line.size();
    if (first == '"' || first == '\'') {
        const std::size_t close = closingQuote(line, start);
        end = close == std::string_view::npos ? line.size() : close + 1;
    } else if (first == '[' || first == '{') {
        int depth = 0;
        for (std::size_t i = start; i < line.size(); ++i) {
            if ((line[i] == '"' || line[i] == '\'') && atScalarStart(line, i)) {
                const std::size_t close = closingQuote(line, i);
                if (close == std::string_view::npos)
                    break;
                i = close;
            } else if (line[i] == '[' || line[i] == '{') {
                ++depth;
            } else if ((line[i] == ']' || line[i] == '}') && --depth == 0) {
                end = i + 1;
                break;
            }
        }
    } else {
        int depth = 0; // of the flow collections the token sits in
        for (std::size_t i = 0; i < start; ++i)
            depth += line[i] == '[' || line[i] == '{' ? 1 : line[i] == ']' || line[i] == '}' ? -1 : 0;
        const bool inFlow = depth > 0;
        auto flowEnd = [&](char c) {
            return inFlow && (c == ',' || c == ']' || c == '}');
        };
        for (std::size_t i = start; i < line.size(); ++i) {
            const bool colon =
                line[i] == ':' && (i + 1 == line.size() || isSpace(line[i + 1]) || flowEnd(line[i + 1]));
            if (colon || flowEnd(line[i]) || (line[i] == '#' && i > start && isSpace(line[i - 1]))) {
                end = i;
                break;
            }
        }
    }
    while (end > start + 1 && isSpace(line[end - 1]))
        --end;
    return std::max(end, start + 1);
}

bool opensBlock(std::string_view value) {
    if (value.empty())
        return true;
    if (value[0] != '&' && value[0] != '!')
        return false;
    return value.find(' ') == std::string_view::npos;
}

std::string unquoteYaml(std::string_view text) {
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
        return std::string(text.substr(1, text.size() - 2));
    return std::string(text);
}

YamlLine analyseYamlLine(std::string_view raw) {
    YamlLine out;
    const std::string_view line = trimRight(raw.substr(0, std::min(raw.size(), yamlCommentStart(raw))));
    std::size_t pos = 0;
    while (pos < line.size() && line[pos] == ' ')
        ++pos;
    if (pos == line.size())
        return out;
    out.blank = false;
    if (pos == 0 &&
        ((line.starts_with("---") || line.starts_with("...")) && (line.size() == 3 || line[3] == ' ')))
        out.marker = true;
    if (pos == 0 && line[0] == '%')
        out.marker = true;
    if (out.marker)
        return out;
    using Type = YamlLineEntry::Type;
    while (pos < line.size()) {
        if (line[pos] == '-' && (pos + 1 == line.size() || isSpace(line[pos + 1]))) {
            out.entries.push_back({Type::Item, static_cast<std::uint32_t>(pos), {}, {}, 0, false});
            ++pos;
            while (pos < line.size() && isSpace(line[pos]))
                ++pos;
            continue;
        }
        YamlLineEntry entry;
        entry.column = static_cast<std::uint32_t>(pos);
        if (const std::size_t colon = keyColon(line, pos, entry.text); colon != std::string_view::npos) {
            std::size_t v = colon + 1;
            while (v < line.size() && isSpace(line[v]))
                ++v;
            entry.type = Type::Key;
            entry.value = std::string(line.substr(v));
            entry.valueColumn = static_cast<std::uint32_t>(v);
            entry.blockScalar = isBlockIndicator(entry.value);
        } else {
            entry.type = Type::Scalar;
            entry.text = std::string(line.substr(pos));
            entry.blockScalar = isBlockIndicator(entry.text);
        }
        out.entries.push_back(std::move(entry));
        break;
    }
    return out;
}

} // namespace sluice::config
