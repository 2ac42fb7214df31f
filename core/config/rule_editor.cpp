// SPDX-License-Identifier: Apache-2.0
#include "rule_editor.h"

#include "loader.h"
#include "yaml_line.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

namespace sluice::config {
namespace {

/// The text as lines without their endings, and how to put it back together.
struct Lines {
    std::vector<std::string> lines;
    std::string eol = "\n";
    bool finalNewline = false;

    explicit Lines(std::string_view text) {
        if (text.find("\r\n") != std::string_view::npos)
            eol = "\r\n";
        finalNewline = !text.empty() && text.back() == '\n';
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find('\n', start);
            const bool last = end == std::string_view::npos;
            std::string_view line = text.substr(start, last ? std::string_view::npos : end - start);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            lines.emplace_back(line);
            start = last ? text.size() : end + 1;
        }
    }
    [[nodiscard]] std::string join() const {
        std::string out;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            out += lines[i];
            if (i + 1 < lines.size() || finalNewline)
                out += eol;
        }
        return out;
    }
};

std::size_t indentOf(std::string_view line) {
    std::size_t n = 0;
    while (n < line.size() && line[n] == ' ')
        ++n;
    return n;
}

/// The last line (0-based) of the block that starts on `start` and holds the lines indented at
/// least `minIndent`; trailing comments and blank lines are not part of it.
std::size_t blockEnd(const Lines& text, std::size_t start, std::size_t minIndent) {
    std::size_t last = start;
    for (std::size_t i = start + 1; i < text.lines.size(); ++i) {
        const YamlLine line = analyseYamlLine(text.lines[i]);
        if (line.marker)
            break;
        if (line.blank)
            continue;
        if (indentOf(text.lines[i]) < minIndent)
            break;
        last = i;
    }
    return last;
}

std::string number(double value) {
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        return std::to_string(static_cast<long long>(value));
    char buffer[64];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, r.ptr);
}

/// One change: a scalar token replaced, or lines [first, last] replaced by `lines` (last + 1 ==
/// first: an insertion before `first`).
struct Change {
    enum class Kind : std::uint8_t { Scalar, Lines };
    Kind kind = Kind::Scalar;
    std::size_t first = 0; ///< 0-based line
    std::size_t last = 0;
    std::size_t column = 0; ///< Scalar: 0-based byte column of the token
    std::size_t length = 0; ///< Scalar: the token's length
    std::size_t indent = 0; ///< Lines: indentation of what is inserted (orders insertions)
    std::string scalar;
    std::vector<std::string> lines;
};

class Editor {
public:
    Editor(std::string_view text, const model::HTTPRoute& rule)
        : m_text(text)
        , m_rule(rule) {}

    RuleEdit run(const RuleSettings& wanted);

private:
    bool located(const model::SourceSpan& span) const {
        return span.known() && span.line - 1 < m_text.lines.size();
    }
    void scalar(const model::SourceSpan& span, std::string value);
    void insertAfter(std::size_t line, std::size_t indent, std::vector<std::string> lines);
    [[nodiscard]] std::optional<std::size_t> keyLine(std::string_view key, std::size_t column) const;
    [[nodiscard]] std::vector<std::string> faultBlock(std::string_view prefix, std::size_t indent,
                                                      const FaultSettings& f) const;
    void weights(const std::vector<int>& wanted, const RuleSettings& current);
    void timeout(const std::string& wanted, const RuleSettings& current);
    void fault(const std::optional<FaultSettings>& wanted, const RuleSettings& current);

    Lines m_text;
    const model::HTTPRoute& m_rule;
    std::size_t m_ruleLine = 0;   ///< 0-based
    std::size_t m_ruleIndent = 0; ///< the column of the rule's keys
    std::size_t m_ruleEnd = 0;
    std::size_t m_step = 2; ///< indentation of one nesting level, as the rule writes it
    std::vector<Change> m_changes;
    std::string m_error;
};

void Editor::scalar(const model::SourceSpan& span, std::string value) {
    const std::string& line = m_text.lines[span.line - 1];
    const std::size_t column = std::min<std::size_t>(span.column - 1, line.size());
    Change c;
    c.kind = Change::Kind::Scalar;
    c.first = c.last = span.line - 1;
    c.column = column;
    c.length = yamlTokenEnd(line, column) - column;
    c.scalar = std::move(value);
    m_changes.push_back(std::move(c));
}

void Editor::insertAfter(std::size_t line, std::size_t indent, std::vector<std::string> lines) {
    Change c;
    c.kind = Change::Kind::Lines;
    c.first = line + 1;
    c.last = line;
    c.indent = indent;
    c.lines = std::move(lines);
    m_changes.push_back(std::move(c));
}

std::optional<std::size_t> Editor::keyLine(std::string_view key, std::size_t column) const {
    for (std::size_t i = m_ruleLine; i <= m_ruleEnd; ++i)
        for (const YamlLineEntry& e : analyseYamlLine(m_text.lines[i]).entries)
            if (e.type == YamlLineEntry::Type::Key && e.column == column && e.text == key)
                return i;
    return std::nullopt;
}

std::vector<std::string> Editor::faultBlock(std::string_view prefix, std::size_t indent,
                                            const FaultSettings& f) const {
    const auto at = [&](int level) {
        return std::string(indent + m_step * static_cast<std::size_t>(level), ' ');
    };
    std::vector<std::string> out{std::string(prefix) + "fault:"};
    if (f.abort) {
        out.push_back(at(1) + "abort:");
        out.push_back(at(2) + "percentage:");
        out.push_back(at(3) + "value: " + number(f.abortPercent));
        out.push_back(at(2) + "httpStatus: " + std::to_string(f.abortStatus));
    }
    if (f.delay) {
        out.push_back(at(1) + "delay:");
        out.push_back(at(2) + "percentage:");
        out.push_back(at(3) + "value: " + number(f.delayPercent));
        out.push_back(at(2) + "fixedDelay: " + f.fixedDelay);
    }
    return out;
}

void Editor::weights(const std::vector<int>& wanted, const RuleSettings& current) {
    if (wanted.empty() || wanted == current.weights)
        return;
    if (wanted.size() != m_rule.route.size()) {
        m_error = "the rule has " + std::to_string(m_rule.route.size()) + " destinations, not " +
                  std::to_string(wanted.size());
        return;
    }
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        const model::HTTPRouteDestination& d = m_rule.route[i];
        if (wanted[i] == current.weights[i])
            continue;
        if (d.weight && located(d.weight.span)) {
            scalar(d.weight.span, std::to_string(wanted[i]));
        } else if (located(d.span)) {
            const std::size_t indent = d.span.column - 1;
            insertAfter(blockEnd(m_text, d.span.line - 1, indent), indent,
                        {std::string(indent, ' ') + "weight: " + std::to_string(wanted[i])});
        } else {
            m_error = "destination " + std::to_string(i) + " has no place in the text";
        }
    }
}

void Editor::timeout(const std::string& wanted, const RuleSettings& current) {
    if (!wanted.empty()) {
        const auto parsed = model::Duration::parse(wanted);
        if (!parsed) {
            m_error = "\"" + wanted + "\" is not a duration (e.g. 2s, 500ms)";
            return;
        }
        if (parsed->toString() == current.timeout)
            return;
        if (m_rule.timeout && located(m_rule.timeout.span))
            scalar(m_rule.timeout.span, wanted);
        else
            insertAfter(m_ruleEnd, m_ruleIndent, {std::string(m_ruleIndent, ' ') + "timeout: " + wanted});
        return;
    }
    if (current.timeout.empty())
        return;
    const auto line = keyLine("timeout", m_ruleIndent);
    if (!line || analyseYamlLine(m_text.lines[*line]).entries.front().type == YamlLineEntry::Type::Item) {
        m_error = "the timeout opens the rule's item: remove it in the editor";
        return;
    }
    Change c;
    c.kind = Change::Kind::Lines;
    c.first = *line;
    c.last = blockEnd(m_text, *line, m_ruleIndent + 1);
    m_changes.push_back(std::move(c));
}

void Editor::fault(const std::optional<FaultSettings>& wanted, const RuleSettings& current) {
    if (wanted == current.fault)
        return;
    const auto line = keyLine("fault", m_ruleIndent);
    if (!line) {
        if (wanted)
            insertAfter(m_ruleEnd, m_ruleIndent,
                        faultBlock(std::string(m_ruleIndent, ' '), m_ruleIndent, *wanted));
        return;
    }
    const std::string prefix = m_text.lines[*line].substr(0, m_ruleIndent);
    const bool opensItem = prefix.find('-') != std::string::npos;
    if (!wanted && opensItem) {
        m_error = "the fault opens the rule's item: remove it in the editor";
        return;
    }
    const model::HTTPFaultInjection& f = *m_rule.fault;
    const auto& abort = f.abort;
    const auto& delay = f.delay;
    const bool sameShape =
        wanted && current.fault && wanted->abort == current.fault->abort &&
        wanted->delay == current.fault->delay &&
        (!wanted->abort || (abort->percentage && abort->percentage->value && abort->httpStatus)) &&
        (!wanted->delay || (delay->percentage && delay->percentage->value && delay->fixedDelay));
    if (sameShape) {
        const FaultSettings& w = *wanted;
        const FaultSettings& c = *current.fault;
        if (w.abort && w.abortPercent != c.abortPercent)
            scalar(abort->percentage->value.span, number(w.abortPercent));
        if (w.abort && w.abortStatus != c.abortStatus)
            scalar(abort->httpStatus.span, std::to_string(w.abortStatus));
        if (w.delay && w.delayPercent != c.delayPercent)
            scalar(delay->percentage->value.span, number(w.delayPercent));
        if (w.delay && w.fixedDelay != c.fixedDelay)
            scalar(delay->fixedDelay.span, w.fixedDelay);
        return;
    }
    Change c;
    c.kind = Change::Kind::Lines;
    c.first = *line;
    c.last = blockEnd(m_text, *line, m_ruleIndent + 1);
    c.indent = m_ruleIndent;
    if (wanted)
        c.lines = faultBlock(prefix, m_ruleIndent, *wanted);
    m_changes.push_back(std::move(c));
}

RuleEdit Editor::run(const RuleSettings& wanted) {
    RuleEdit out;
    if (!located(m_rule.span))
        return {{}, "the rule has no place in the text", false};
    m_ruleLine = m_rule.span.line - 1;
    m_ruleIndent = m_rule.span.column - 1;
    const std::string& first = m_text.lines[m_ruleLine];
    if (m_ruleIndent < first.size() && first[m_ruleIndent] == '{')
        return {{}, "the rule is written in flow style ({...}): edit it in the editor", false};
    m_ruleEnd = blockEnd(m_text, m_ruleLine, m_ruleIndent);
    if (!m_rule.route.empty() && m_rule.route[0].destination && m_rule.route[0].span.known()) {
        const std::uint32_t outer = m_rule.route[0].span.column;
        const std::uint32_t inner = m_rule.route[0].destination->span.column;
        if (inner > outer && m_rule.route[0].destination->span.line > m_rule.route[0].span.line)
            m_step = inner - outer;
    }
    const RuleSettings current = ruleSettings(m_rule);
    weights(wanted.weights, current);
    timeout(wanted.timeout, current);
    fault(wanted.fault && !wanted.fault->empty() ? wanted.fault : std::nullopt, current);
    if (!m_error.empty())
        return {{}, m_error, false};
    // Bottom up, so earlier positions stay valid. On one line: scalars, then replaced or removed
    // lines, then insertions before it, shallowest first, which leaves the deeper ones above
    // them (a weight stays inside its destination, a timeout follows at the rule's level).
    const auto rank = [](const Change& c) {
        return c.kind == Change::Kind::Scalar ? 0 : c.last + 1 != c.first ? 1 : 2;
    };
    std::stable_sort(m_changes.begin(), m_changes.end(), [&](const Change& a, const Change& b) {
        if (a.first != b.first)
            return a.first > b.first;
        if (rank(a) != rank(b))
            return rank(a) < rank(b);
        return rank(a) == 0 ? a.column > b.column : a.indent < b.indent;
    });
    auto& lines = m_text.lines;
    for (const Change& c : m_changes) {
        if (c.kind == Change::Kind::Scalar) {
            lines[c.first].replace(c.column, c.length, c.scalar);
            continue;
        }
        const auto begin = lines.begin() + static_cast<std::ptrdiff_t>(c.first);
        lines.erase(begin, begin + static_cast<std::ptrdiff_t>(c.last + 1 - c.first));
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(c.first), c.lines.begin(), c.lines.end());
    }
    out.changed = !m_changes.empty();
    out.text = m_text.join();
    return out;
}

} // namespace

RuleEdit editRule(std::string_view text, const model::HTTPRoute& rule, const RuleSettings& wanted) {
    RuleEdit edit = Editor(text, rule).run(wanted);
    if (!edit.ok() || !edit.changed)
        edit.text = std::string(text);
    return edit;
}

RuleEdit editRuleInText(const std::string& path, std::string_view text, const std::string& virtualService,
                        std::size_t ruleIndex, const RuleSettings& wanted) {
    LoadResult loaded;
    loadText(path, std::string(text), loaded);
    for (const model::VirtualService& vs : loaded.resources.virtualServices) {
        if (vs.header.ns() + "/" + vs.header.name() != virtualService)
            continue;
        if (ruleIndex >= vs.spec.http.size())
            return {std::string(text), virtualService + " has no http rule " + std::to_string(ruleIndex),
                    false};
        return editRule(text, vs.spec.http[ruleIndex], wanted);
    }
    return {std::string(text), "no VirtualService " + virtualService + " in " + path, false};
}

} // namespace sluice::config
