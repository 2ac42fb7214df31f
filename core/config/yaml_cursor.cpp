// SPDX-License-Identifier: Apache-2.0
#include "yaml_cursor.h"

#include "yaml_line.h"

#include <algorithm>
#include <optional>

namespace sluice::config {
namespace {

using Type = YamlLineEntry::Type;

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = text.find('\n', start);
        std::string_view line =
            text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos)
            return lines;
        start = nl + 1;
    }
}

std::uint32_t indentOf(std::string_view line) {
    std::uint32_t n = 0;
    while (n < line.size() && line[n] == ' ')
        ++n;
    return n;
}

YamlStep stepOf(const YamlLineEntry& e) {
    return e.type == Type::Item ? YamlStep{{}, true} : YamlStep{e.text, false};
}

/// The lines of one document, analysed, with block scalar contents blanked out.
class Document {
public:
    /// `column`: the cursor's, on line `cursor`; a blank line there belongs to a block scalar
    /// above only when the cursor is indented into it.
    Document(const std::vector<std::string_view>& lines, std::uint32_t cursor, std::uint32_t column) {
        m_begin = cursor;
        while (m_begin > 0 && !isSeparator(lines[m_begin - 1]))
            --m_begin;
        m_end = cursor + 1;
        while (m_end < lines.size() && !isSeparator(lines[m_end]))
            ++m_end;
        std::optional<std::uint32_t> blockOwner; // column a block scalar's contents must exceed
        for (std::uint32_t l = m_begin; l < m_end; ++l) {
            const std::string_view raw = lines[l];
            const bool blank = indentOf(raw) == raw.size();
            const std::uint32_t indent = l == cursor && blank ? column : indentOf(raw);
            if (blockOwner && ((blank && l != cursor) || indent > *blockOwner)) {
                m_lines.push_back({true, false, {}, true});
                continue;
            }
            blockOwner.reset();
            const YamlLine info = analyseYamlLine(raw);
            if (!info.entries.empty() && info.entries.back().blockScalar) {
                const auto& es = info.entries;
                blockOwner = es.back().type == Type::Key || es.size() == 1 ? es.back().column
                                                                           : es[es.size() - 2].column;
            }
            m_lines.push_back({info.blank, info.marker, info.entries, false});
        }
    }

    [[nodiscard]] std::uint32_t begin() const { return m_begin; }
    [[nodiscard]] bool inBlockScalar(std::uint32_t line) const { return at(line).content; }
    [[nodiscard]] const std::vector<YamlLineEntry>& entries(std::uint32_t line) const {
        return at(line).entries;
    }
    [[nodiscard]] bool skipped(std::uint32_t line) const {
        const Line& l = at(line);
        return l.blank || l.marker || l.content;
    }

    /// The value of the top-level `key:` (quotes dropped), skipping `exceptLine`.
    [[nodiscard]] std::string rootValue(std::string_view key, std::uint32_t exceptLine) const {
        for (std::uint32_t l = m_begin; l < m_begin + m_lines.size(); ++l) {
            const auto& es = entries(l);
            if (l != exceptLine && !skipped(l) && es.size() == 1 && es[0].type == Type::Key &&
                es[0].column == 0 && es[0].text == key)
                return unquoteYaml(es[0].value);
        }
        return {};
    }

    /// Keys at `column` of the block mapping around `line` (the line itself left out); `fromLine`:
    /// the mapping starts on that line (a new `- ` item), so none are above it.
    [[nodiscard]] std::vector<std::string> keysAround(std::uint32_t line, std::uint32_t column,
                                                      bool fromLine) const {
        std::vector<std::string> keys;
        auto collect = [&](std::uint32_t l) {
            for (const auto& e : entries(l))
                if (e.type == Type::Key && e.column == column)
                    keys.push_back(e.text);
        };
        for (std::uint32_t l = line; !fromLine && l-- > m_begin;) {
            if (skipped(l))
                continue;
            collect(l);
            if (entries(l).front().column < column)
                break;
        }
        for (std::uint32_t l = line + 1; l < m_begin + m_lines.size(); ++l) {
            if (skipped(l))
                continue;
            if (entries(l).front().column < column)
                break;
            collect(l);
        }
        return keys;
    }

private:
    struct Line {
        bool blank;
        bool marker;
        std::vector<YamlLineEntry> entries;
        bool content; ///< inside a block scalar
    };
    static bool isSeparator(std::string_view line) {
        return line.starts_with("---") && (line.size() == 3 || line[3] == ' ' || line[3] == '\t');
    }
    [[nodiscard]] const Line& at(std::uint32_t line) const { return m_lines[line - m_begin]; }

    std::uint32_t m_begin = 0;
    std::uint32_t m_end = 0;
    std::vector<Line> m_lines;
};

/// Follows flow collections from `text` (which starts with `[` or `{`) to its end, the cursor.
bool followFlow(std::string_view text, std::uint32_t startColumn, YamlCursor& out) {
    struct Frame {
        bool map;
        std::string key;
        bool inValue = false;
    };
    std::vector<Frame> stack;
    std::string token;
    std::uint32_t tokenColumn = startColumn + static_cast<std::uint32_t>(text.size());
    auto resetToken = [&] {
        token.clear();
        tokenColumn = startColumn + static_cast<std::uint32_t>(text.size());
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '[' || c == '{') {
            if (!stack.empty()) {
                const Frame& top = stack.back();
                if (top.map && !top.inValue)
                    return false; // a collection as a key
                out.path.push_back(top.map ? YamlStep{top.key, false} : YamlStep{{}, true});
            }
            stack.push_back({c == '{', {}, false});
            resetToken();
        } else if (stack.empty()) {
            return false; // text before the first bracket
        } else if (c == ']' || c == '}') {
            if (stack.back().map != (c == '}'))
                return false;
            stack.pop_back();
            if (stack.empty())
                return false; // the collection is closed: the cursor is past it
            out.path.pop_back();
            resetToken();
        } else if (c == ',') {
            stack.back().inValue = false;
            stack.back().key.clear();
            resetToken();
        } else if (c == ':' && stack.back().map && !stack.back().inValue &&
                   (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == ',' || text[i + 1] == '}')) {
            stack.back().key = token;
            stack.back().inValue = true;
            resetToken();
        } else if ((c == '"' || c == '\'') && token.empty()) {
            const std::size_t close = text.find(c, i + 1);
            if (close == std::string_view::npos)
                return false; // typing a quoted string
            token = std::string(text.substr(i + 1, close - i - 1));
            tokenColumn = startColumn + static_cast<std::uint32_t>(i + 1);
            i = close;
        } else if (c != ' ' || !token.empty()) {
            if (token.empty())
                tokenColumn = startColumn + static_cast<std::uint32_t>(i);
            token += c;
        }
    }
    while (!token.empty() && token.back() == ' ')
        token.pop_back();
    if (stack.empty())
        return false;
    const Frame& top = stack.back();
    if (top.map && !top.inValue) {
        out.slot = YamlSlot::Key;
    } else {
        out.slot = YamlSlot::Value;
        out.path.push_back(top.map ? YamlStep{top.key, false} : YamlStep{{}, true});
    }
    out.prefix = token;
    out.prefixColumn = tokenColumn;
    return true;
}

/// Sets slot and prefix for the value after `key:` on the cursor's line (`value` ends at the cursor).
bool valueSlot(const YamlLineEntry& key, std::uint32_t cursorColumn, YamlCursor& out) {
    const std::string& v = key.value;
    if (v.empty()) {
        out.slot = YamlSlot::Value;
        out.prefixColumn = cursorColumn;
        return true;
    }
    if (v[0] == '[' || v[0] == '{')
        return followFlow(v, key.valueColumn, out);
    if (v[0] == '"' || v[0] == '\'') {
        if (v.find(v[0], 1) != std::string::npos)
            return false; // the quoted value is closed
        out.slot = YamlSlot::Value;
        out.prefix = v.substr(1);
        out.prefixColumn = key.valueColumn + 1;
        return true;
    }
    if (key.blockScalar || v[0] == '|' || v[0] == '>' || v[0] == '&' || v[0] == '*' || v[0] == '!')
        return false;
    out.slot = YamlSlot::Value;
    out.prefix = v;
    out.prefixColumn = key.valueColumn;
    return true;
}

/// Reads the cursor's own line: steps it opens, the slot and prefix. Returns false for None.
/// `flow` is set when the cursor is inside a flow collection.
bool readCursorLine(std::string_view prefix, std::uint32_t column, YamlCursor& out, bool& flow) {
    if (yamlCommentStart(prefix) != std::string_view::npos || prefix.ends_with('-'))
        return false;
    const YamlLine line = analyseYamlLine(prefix);
    if (line.marker)
        return false;
    if (line.blank) {
        out.slot = YamlSlot::Key;
        out.prefixColumn = column;
        return true;
    }
    const auto& es = line.entries;
    for (std::size_t i = 0; i + 1 < es.size(); ++i)
        out.path.push_back(stepOf(es[i]));
    const YamlLineEntry& last = es.back();
    switch (last.type) {
    case Type::Item:
        out.path.push_back(stepOf(last));
        out.slot = YamlSlot::Key;
        out.prefixColumn = column;
        return true;
    case Type::Key:
        out.path.push_back(stepOf(last));
        flow = last.value.starts_with('[') || last.value.starts_with('{');
        return valueSlot(last, column, out);
    case Type::Scalar:
        flow = last.text[0] == '[' || last.text[0] == '{';
        if (flow)
            return followFlow(last.text, last.column, out);
        if (last.text[0] == '"' || last.text[0] == '\'' || last.blockScalar)
            return false;
        out.slot = YamlSlot::Key;
        out.prefix = last.text;
        out.prefixColumn = last.column;
        return true;
    }
    return false;
}

} // namespace

std::string formatYamlPath(const YamlPath& path) {
    std::string out;
    for (const YamlStep& step : path) {
        if (step.item) {
            out += "[]";
        } else {
            if (!out.empty())
                out += '.';
            out += step.key;
        }
    }
    return out;
}

YamlCursor yamlCursorAt(std::string_view text, std::uint32_t line, std::uint32_t column) {
    const std::vector<std::string_view> lines = splitLines(text);
    if (line >= lines.size())
        return {};
    const std::string_view cursorLine = lines[line];
    column = std::min<std::uint32_t>(column, static_cast<std::uint32_t>(cursorLine.size()));
    const Document doc(lines, line, column);
    YamlCursor out;
    out.kind = doc.rootValue("kind", line);
    out.apiVersion = doc.rootValue("apiVersion", line);
    const std::string_view prefix = cursorLine.substr(0, column);
    bool flow = false;
    if (doc.inBlockScalar(line) || !readCursorLine(prefix, column, out, flow)) {
        out.slot = YamlSlot::None;
        out.path.clear();
        out.prefix.clear();
        return out;
    }

    // Climb to the root: each line less indented than the node found so far holds its parents.
    const YamlLine own = analyseYamlLine(prefix);
    std::uint32_t indent = own.entries.empty() ? column : own.entries.front().column;
    bool item = !own.entries.empty() && own.entries.front().type == Type::Item;
    YamlPath parents;
    for (std::uint32_t l = line; l-- > doc.begin() && (indent > 0 || item);) {
        if (doc.skipped(l))
            continue;
        const auto& es = doc.entries(l);
        std::size_t n = 0;
        // A sequence may sit at its key's own indentation ("compact" style).
        while (n < es.size() &&
               (es[n].column < indent || (item && es[n].column == indent && es[n].type == Type::Key)))
            ++n;
        if (n == 0)
            continue;
        const YamlLineEntry& parent = es[n - 1];
        if (parent.type == Type::Scalar || (parent.type == Type::Key && !opensBlock(parent.value)))
            return {YamlSlot::None, {}, {}, 0, {}, out.kind, out.apiVersion}; // under a scalar: broken
        YamlPath steps;
        for (std::size_t i = 0; i < n; ++i)
            steps.push_back(stepOf(es[i]));
        parents.insert(parents.begin(), steps.begin(), steps.end());
        indent = es[0].column;
        item = es[0].type == Type::Item;
    }
    out.path.insert(out.path.begin(), parents.begin(), parents.end());
    if (out.slot == YamlSlot::Key && !flow) {
        const bool newItem = std::any_of(own.entries.begin(), own.entries.end(),
                                         [](const YamlLineEntry& e) { return e.type == Type::Item; });
        out.siblings = doc.keysAround(line, out.prefixColumn, newItem);
    }
    return out;
}

} // namespace sluice::config
