// SPDX-License-Identifier: Apache-2.0
#include "document_parser.h"

#include "fast_yaml.h"

#include <string>

#include <yaml-cpp/depthguard.h>

namespace sluice::config {
namespace {

struct Line {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Byte range of the 0-based `line` of `text`; empty when past the end.
Line lineAt(std::string_view text, int line) {
    std::size_t pos = 0;
    for (int i = 0; i < line; ++i) {
        const std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            return {text.size(), text.size()};
        pos = nl + 1;
    }
    const std::size_t nl = text.find('\n', pos);
    return {pos, nl == std::string_view::npos ? text.size() : nl};
}

// Column of a tab inside the leading whitespace of `line`, or -1.
int tabInIndentation(std::string_view text, Line line) {
    for (std::size_t i = line.begin; i < line.end; ++i) {
        if (text[i] == '\t')
            return static_cast<int>(i - line.begin);
        if (text[i] != ' ')
            break;
    }
    return -1;
}

// yaml-cpp reports a tab in the indentation as "illegal map value" or similar, on the tab's line
// or the one after; go-yaml says "found character that cannot start any token". Name the tab.
std::optional<ParseError> tabError(std::string_view text, int errorLine) {
    for (int line = errorLine; line >= 0 && line >= errorLine - 1; --line) {
        const int column = tabInIndentation(text, lineAt(text, line));
        if (column >= 0)
            return ParseError{"found a tab character in the indentation; YAML allows only spaces there", line,
                              column};
    }
    return std::nullopt;
}

// The textually last node of the tree: an unterminated quoted scalar swallows everything after
// it, so if one exists it is this node. Follows last entries only; depth is bounded by yaml-cpp.
// (YAML::Node::operator= writes through to the tree; reset() only rebinds, hence its use here.)
YAML::Node lastNode(const YAML::Node& root) {
    YAML::Node node(root);
    for (;;) {
        if (node.IsSequence() && node.size() > 0) {
            const YAML::Node& seq = node;
            node.reset(seq[seq.size() - 1]);
        } else if (node.IsMap() && node.size() > 0) {
            YAML::Node key, value;
            for (const auto& kv : node) {
                key.reset(kv.first);
                value.reset(kv.second);
            }
            node.reset(value.IsNull() || value.Mark().pos < key.Mark().pos ? key : value);
        } else {
            return node;
        }
    }
}

// Position after the closing quote of the quoted scalar starting at `open`, or npos.
std::size_t closingQuote(std::string_view text, std::size_t open) {
    const char quote = text[open];
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        if (quote == '"' && text[i] == '\\') {
            ++i; // escaped character
        } else if (text[i] == quote) {
            if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                ++i; // '' is an escaped single quote
                continue;
            }
            return i + 1;
        }
    }
    return std::string_view::npos;
}

std::optional<ParseError> unterminatedQuote(std::string_view text, const YAML::Node& root) {
    const YAML::Node last = lastNode(root);
    if (!last.IsScalar() || last.Tag() != "!")
        return std::nullopt;
    const YAML::Mark m = last.Mark();
    if (m.pos < 0 || static_cast<std::size_t>(m.pos) >= text.size())
        return std::nullopt;
    const auto open = static_cast<std::size_t>(m.pos);
    if ((text[open] != '"' && text[open] != '\'') || closingQuote(text, open) != std::string_view::npos)
        return std::nullopt;
    return ParseError{std::string("unterminated quoted string: the closing ") +
                          (text[open] == '"' ? "double" : "single") + " quote is missing",
                      m.line, m.column};
}

} // namespace

ParsedDocument parseDocument(std::string_view text) {
    ParsedDocument out;
    // The common case, several times faster; it declines everything else (invalid YAML included:
    // an unterminated quote, a tab in the indentation...), which yaml-cpp then parses and reports.
    if (auto fast = fastLoad(text)) {
        out.root = std::move(*fast);
        return out;
    }
    try {
        out.root = YAML::Load(std::string(text));
    } catch (const YAML::DeepRecursion& e) {
        out.error =
            ParseError{"YAML syntax error: nesting is too deep; documents nested this deeply are not loaded",
                       e.mark.line, e.mark.column};
        return out;
    } catch (const YAML::Exception& e) {
        if (auto tab = tabError(text, e.mark.line)) {
            tab->message = "YAML syntax error: " + tab->message;
            out.error = std::move(tab);
        } else {
            out.error = ParseError{"YAML syntax error: " + e.msg, e.mark.line, e.mark.column};
        }
        return out;
    } catch (const std::exception& e) {
        out.error = ParseError{std::string("YAML could not be read: ") + e.what(), 0, 0};
        return out;
    }
    try {
        if (auto quote = unterminatedQuote(text, out.root)) {
            quote->message = "YAML syntax error: " + quote->message;
            out.error = std::move(quote);
            out.root.reset();
        }
    } catch (const std::exception&) {
        // The check is a best effort on an already parsed tree; never let it fail the load.
    }
    return out;
}

} // namespace sluice::config
