// SPDX-License-Identifier: Apache-2.0
#include "diagnostic_marks.h"

#include "config/yaml_line.h"

#include <array>
#include <string_view>

#include <Qsci/qsciscintilla.h>

namespace sluice::ui {
namespace {

using model::Level;

constexpr std::array<Level, 3> kWorstFirst{Level::Error, Level::Warning, Level::Info};

/// Marker and indicator numbers per level, outside the ranges lexers and folding use.
int markerOf(Level level) {
    return 20 + static_cast<int>(level);
}

int indicatorOf(Level level) {
    return 20 + static_cast<int>(level);
}

QColor colorOf(Level level) {
    switch (level) {
    case Level::Error:
        return {0xe0, 0x30, 0x1e};
    case Level::Warning:
        return {0xd8, 0x90, 0x00};
    case Level::Info:
        break;
    }
    return {0x30, 0x80, 0xe0};
}

QString describe(const EditorMark& m) {
    return m.code + QStringLiteral(" (") + QString::fromUtf8(model::levelName(m.level)) +
           QStringLiteral("): ") + m.message;
}

} // namespace

std::vector<EditorMark> marksForFile(const ConfigSnapshot& snapshot, std::uint32_t file) {
    std::vector<EditorMark> out;
    for (const model::Diagnostic& d : snapshot.diagnostics)
        if (d.span.known() && d.span.file == file)
            out.push_back({static_cast<int>(d.span.line), static_cast<int>(d.span.column), d.level,
                           QString::fromStdString(d.code), QString::fromStdString(d.message)});
    return out;
}

DiagnosticMarks::DiagnosticMarks(QsciScintilla& editor)
    : m_editor(editor) {
    int mask = 0;
    for (Level level : kWorstFirst) {
        m_editor.markerDefine(QsciScintilla::Circle, markerOf(level));
        m_editor.setMarkerBackgroundColor(colorOf(level), markerOf(level));
        m_editor.setMarkerForegroundColor(colorOf(level).darker(130), markerOf(level));
        m_editor.indicatorDefine(QsciScintilla::SquiggleLowIndicator, indicatorOf(level));
        m_editor.setIndicatorForegroundColor(colorOf(level), indicatorOf(level));
        mask |= 1 << markerOf(level);
    }
    m_editor.setMarginType(kMargin, QsciScintilla::SymbolMargin);
    m_editor.setMarginWidth(kMargin, 14);
    m_editor.setMarginMarkerMask(kMargin, mask);
}

void DiagnosticMarks::set(std::vector<EditorMark> marks) {
    const long length = m_editor.SendScintilla(QsciScintilla::SCI_GETLENGTH);
    for (Level level : kWorstFirst) {
        m_editor.markerDeleteAll(markerOf(level));
        m_editor.SendScintilla(QsciScintilla::SCI_SETINDICATORCURRENT, indicatorOf(level));
        m_editor.SendScintilla(QsciScintilla::SCI_INDICATORCLEARRANGE, 0L, length);
    }
    m_marks = std::move(marks);
    m_handles.assign(m_marks.size(), -1);
    const auto* text =
        static_cast<const char*>(m_editor.SendScintillaPtrResult(QsciScintilla::SCI_GETCHARACTERPOINTER));
    for (std::size_t i = 0; i < m_marks.size(); ++i) {
        const EditorMark& mark = m_marks[i];
        const int line = mark.line - 1;
        if (line < 0 || line >= m_editor.lines())
            continue;
        m_handles[i] = m_editor.markerAdd(line, markerOf(mark.level));
        const long begin = m_editor.SendScintilla(QsciScintilla::SCI_POSITIONFROMLINE, line);
        const long end = m_editor.SendScintilla(QsciScintilla::SCI_GETLINEENDPOSITION, line);
        const std::string_view lineText(text + begin, static_cast<std::size_t>(end - begin));
        std::size_t start = mark.column > 0 ? static_cast<std::size_t>(mark.column - 1) : lineText.size();
        if (start >= lineText.size()) // no column, or past the text: underline the whole line
            start = std::min(lineText.find_first_not_of(' '), lineText.size());
        const std::size_t stop = config::yamlTokenEnd(lineText, start);
        if (stop <= start)
            continue;
        m_editor.SendScintilla(QsciScintilla::SCI_SETINDICATORCURRENT, indicatorOf(mark.level));
        m_editor.SendScintilla(QsciScintilla::SCI_SETINDICATORVALUE, static_cast<unsigned long>(i + 1));
        m_editor.SendScintilla(QsciScintilla::SCI_INDICATORFILLRANGE,
                               static_cast<unsigned long>(begin + static_cast<long>(start)),
                               static_cast<long>(stop - start));
    }
}

std::optional<Level> DiagnosticMarks::markerLevel(int line) const {
    const unsigned mask = m_editor.markersAtLine(line);
    for (Level level : kWorstFirst)
        if (mask & (1u << markerOf(level)))
            return level;
    return std::nullopt;
}

std::optional<std::size_t> DiagnosticMarks::markAt(long position) const {
    for (Level level : kWorstFirst) {
        const long value = m_editor.SendScintilla(QsciScintilla::SCI_INDICATORVALUEAT,
                                                  static_cast<unsigned long>(indicatorOf(level)), position);
        if (value > 0 && static_cast<std::size_t>(value) <= m_marks.size())
            return static_cast<std::size_t>(value - 1);
    }
    return std::nullopt;
}

std::optional<Level> DiagnosticMarks::squiggleLevel(long position) const {
    if (const auto i = markAt(position))
        return m_marks[*i].level;
    return std::nullopt;
}

QString DiagnosticMarks::toolTipAtPosition(long position) const {
    const auto found = markAt(position);
    if (!found)
        return {};
    // Every diagnostic on the same token, not only the one whose squiggle is on top.
    QStringList lines;
    for (const EditorMark& m : m_marks)
        if (m.line == m_marks[*found].line && m.column == m_marks[*found].column)
            lines << describe(m);
    return lines.join(QLatin1Char('\n'));
}

QString DiagnosticMarks::toolTipForLine(int line) const {
    QStringList lines;
    for (std::size_t i = 0; i < m_marks.size(); ++i)
        if (m_handles[i] >= 0 && m_editor.markerLine(m_handles[i]) == line)
            lines << describe(m_marks[i]);
    return lines.join(QLatin1Char('\n'));
}

} // namespace sluice::ui
