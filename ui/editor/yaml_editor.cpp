// SPDX-License-Identifier: Apache-2.0
#include "yaml_editor.h"

#include <algorithm>
#include <array>

#include <QEvent>
#include <QFontDatabase>
#include <QToolTip>
#include <Qsci/qscilexeryaml.h>

namespace sluice::ui {
namespace {

struct StyleColors {
    int style;
    QRgb light;
    QRgb dark;
};

constexpr std::array<StyleColors, 9> kStyles{{
    {QsciLexerYAML::Comment, 0x008000, 0x6a9955},
    {QsciLexerYAML::Identifier, 0x0b3d91, 0x9cdcfe},
    {QsciLexerYAML::Keyword, 0x7f0055, 0xc586c0},
    {QsciLexerYAML::Number, 0xa0522d, 0xb5cea8},
    {QsciLexerYAML::Reference, 0x800080, 0xdcdcaa},
    {QsciLexerYAML::DocumentDelimiter, 0x808080, 0x9a9a9a},
    {QsciLexerYAML::TextBlockMarker, 0x333333, 0xd4d4d4},
    {QsciLexerYAML::SyntaxErrorMarker, 0xc00000, 0xf44747},
    {QsciLexerYAML::Operator, 0x555555, 0xc8c8c8},
}};

bool isWordByte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '/';
}

} // namespace

YamlEditor::YamlEditor(QWidget* parent)
    : QsciScintilla(parent)
    , m_lexer(new QsciLexerYAML(this))
    , m_marks(*this) {
    setUtf8(true);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_lexer->setDefaultFont(mono);
    m_lexer->setFont(mono);
    setLexer(m_lexer);
    setMarginsFont(mono);
    setMarginLineNumbers(0, true);
    setMarginWidth(0, QStringLiteral("00000"));
    setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);
    setCaretLineVisible(true);
    setIndentationsUseTabs(false);
    setTabWidth(2);
    setIndentationWidth(2);
    setAutoIndent(true);
    setBraceMatching(QsciScintilla::SloppyBraceMatch);
    setAutoCompletionCaseSensitivity(false);
    SendScintilla(SCI_AUTOCSETORDER, static_cast<unsigned long>(SC_ORDER_PERFORMSORT));
    SendScintilla(SCI_SETMOUSEDWELLTIME, 400);
    SendScintilla(SCI_SETSCROLLWIDTH, 1);
    SendScintilla(SCI_SETSCROLLWIDTHTRACKING, 1);
    applyTheme();

    connect(this, &QsciScintilla::cursorPositionChanged, this, [this](int line, int) { followCursor(line); });
    // Scintilla would insert the chosen name itself; cancelling during the notification lets
    // insertCompletion() do it the YAML way (": " after a key).
    connect(this, qOverload<const char*, int>(&QsciScintillaBase::SCN_AUTOCSELECTION), this,
            [this](const char* selection, int) {
                SendScintilla(SCI_AUTOCCANCEL);
                insertCompletion(QString::fromUtf8(selection));
            });
    connect(this, &QsciScintillaBase::SCN_CHARADDED, this, &YamlEditor::characterAdded);
    connect(this, &QsciScintillaBase::SCN_DWELLSTART, this, &YamlEditor::showToolTip);
    connect(this, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
}

std::string YamlEditor::utf8Text() const {
    const auto* bytes = static_cast<const char*>(SendScintillaPtrResult(SCI_GETCHARACTERPOINTER));
    return std::string(bytes, static_cast<std::size_t>(SendScintilla(SCI_GETLENGTH)));
}

void YamlEditor::loadText(const std::string& text) {
    // Bytes in, bytes out: no round trip through QString (which would drop a byte-order mark).
    SendScintilla(SCI_CLEARALL);
    SendScintilla(SCI_APPENDTEXT, static_cast<uintptr_t>(text.size()), text.data());
    SendScintilla(SCI_EMPTYUNDOBUFFER);
    setModified(false);
    SendScintilla(SCI_GOTOPOS, 0L);
}

void YamlEditor::reloadText(const std::string& text) {
    const long firstVisible = SendScintilla(SCI_GETFIRSTVISIBLELINE);
    const int line = cursorLine();
    const int column = cursorColumn();
    loadText(text);
    SendScintilla(SCI_GOTOPOS, static_cast<unsigned long>(positionAt(line, column)));
    SendScintilla(SCI_SETFIRSTVISIBLELINE, static_cast<unsigned long>(firstVisible));
}

void YamlEditor::replaceText(const std::string& text) {
    beginUndoAction();
    SendScintilla(SCI_SETTARGETRANGE, 0UL, SendScintilla(SCI_GETLENGTH));
    SendScintilla(SCI_REPLACETARGET, static_cast<uintptr_t>(text.size()), text.c_str());
    endUndoAction();
}

long YamlEditor::positionAt(int line, int column) const {
    const int l = std::clamp(line - 1, 0, std::max(0, lines() - 1));
    const long begin = SendScintilla(SCI_POSITIONFROMLINE, l);
    const long end = SendScintilla(SCI_GETLINEENDPOSITION, l);
    return std::clamp(begin + std::max(0, column - 1), begin, end);
}

int YamlEditor::cursorLine() const {
    return static_cast<int>(SendScintilla(SCI_LINEFROMPOSITION, SendScintilla(SCI_GETCURRENTPOS))) + 1;
}

int YamlEditor::cursorColumn() const {
    const long pos = SendScintilla(SCI_GETCURRENTPOS);
    return static_cast<int>(pos - SendScintilla(SCI_POSITIONFROMLINE, cursorLine() - 1)) + 1;
}

void YamlEditor::goTo(int line, int column) {
    const long pos = positionAt(line, column);
    const long l = SendScintilla(SCI_LINEFROMPOSITION, pos);
    ensureLineVisible(static_cast<int>(l));
    SendScintilla(SCI_GOTOPOS, static_cast<unsigned long>(pos));
    const long onScreen = SendScintilla(SCI_LINESONSCREEN);
    SendScintilla(SCI_SETFIRSTVISIBLELINE, static_cast<unsigned long>(std::max(0L, l - onScreen / 2)));
    followCursor(static_cast<int>(l)); // Scintilla reports moves only when it repaints
}

config::YamlCursor YamlEditor::yamlCursor() const {
    return config::yamlCursorAt(utf8Text(), static_cast<std::uint32_t>(cursorLine() - 1),
                                static_cast<std::uint32_t>(cursorColumn() - 1));
}

std::vector<config::Completion> YamlEditor::completionsAtCursor() const {
    return config::completeAt(yamlCursor());
}

bool YamlEditor::showCompletions() {
    const config::YamlCursor cursor = yamlCursor();
    m_offered = config::completeAt(cursor);
    if (m_offered.empty())
        return false;
    std::string names;
    for (const config::Completion& c : m_offered)
        names += (names.empty() ? "" : "\n") + c.text;
    // What is typed already counts, so that typing on narrows the list instead of closing it.
    const long typed = cursorColumn() - 1 - static_cast<long>(cursor.prefixColumn);
    SendScintilla(SCI_AUTOCSETSEPARATOR, static_cast<unsigned long>('\n'));
    SendScintilla(SCI_AUTOCSHOW, static_cast<uintptr_t>(std::max(0L, typed)), names.c_str());
    return true;
}

void YamlEditor::insertCompletion(const QString& text) {
    const config::YamlCursor cursor = yamlCursor();
    const std::string chosen = text.toStdString();
    const auto offered = std::find_if(m_offered.begin(), m_offered.end(),
                                      [&](const config::Completion& c) { return c.text == chosen; });
    const bool key = offered != m_offered.end() ? offered->kind == config::CompletionKind::Field
                                                : cursor.slot == config::YamlSlot::Key;
    const std::string text8 = utf8Text();
    const long lineStart = SendScintilla(SCI_POSITIONFROMLINE, cursorLine() - 1);
    const long lineEnd = SendScintilla(SCI_GETLINEENDPOSITION, cursorLine() - 1);
    const long start = lineStart + static_cast<long>(cursor.prefixColumn);
    long end = SendScintilla(SCI_GETCURRENTPOS);
    while (end < lineEnd && isWordByte(text8[static_cast<std::size_t>(end)]))
        ++end; // the rest of the word the cursor is in
    std::string insert = chosen;
    if (key && (end >= lineEnd || text8[static_cast<std::size_t>(end)] != ':'))
        insert += ": ";
    else if (!key && start > lineStart && text8[static_cast<std::size_t>(start - 1)] == ':')
        insert = " " + insert;
    beginUndoAction();
    SendScintilla(SCI_SETTARGETRANGE, static_cast<unsigned long>(start), end);
    SendScintilla(SCI_REPLACETARGET, static_cast<uintptr_t>(insert.size()), insert.c_str());
    SendScintilla(SCI_GOTOPOS, static_cast<unsigned long>(start + static_cast<long>(insert.size())));
    endUndoAction();
    m_offered.clear();
}

void YamlEditor::characterAdded(int character) {
    if (!m_autoPopup || isListActive())
        return;
    const config::YamlCursor cursor = yamlCursor();
    const bool wordStart = cursor.prefix.size() == 1 && isWordByte(static_cast<char>(character));
    const bool valueStart =
        character == ' ' && cursor.slot == config::YamlSlot::Value && cursor.prefix.empty();
    if (wordStart || valueStart)
        showCompletions();
}

void YamlEditor::followCursor(int line) {
    if (line == m_line)
        return;
    m_line = line;
    emit cursorLineChanged(line + 1);
}

QString YamlEditor::toolTipAt(long position, int x, int y) const {
    int margins = 0;
    for (int m = 0; m < 3; ++m)
        margins += marginWidth(m);
    if (x < margins) {
        const long pos = SendScintilla(SCI_POSITIONFROMPOINT, static_cast<unsigned long>(margins + 1),
                                       static_cast<long>(y));
        return m_marks.toolTipForLine(static_cast<int>(SendScintilla(SCI_LINEFROMPOSITION, pos)));
    }
    return position >= 0 ? m_marks.toolTipAtPosition(position) : QString();
}

void YamlEditor::showToolTip(long position, int x, int y) {
    if (const QString tip = toolTipAt(position, x, y); !tip.isEmpty())
        QToolTip::showText(viewport()->mapToGlobal(QPoint(x, y)), tip, viewport());
}

void YamlEditor::changeEvent(QEvent* event) {
    QsciScintilla::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void YamlEditor::applyTheme() {
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const bool dark = base.lightness() < 128;
    m_lexer->setDefaultPaper(base);
    m_lexer->setPaper(base);
    m_lexer->setDefaultColor(pal.color(QPalette::Text));
    m_lexer->setColor(pal.color(QPalette::Text), QsciLexerYAML::Default);
    for (const StyleColors& s : kStyles)
        m_lexer->setColor(QColor::fromRgb(dark ? s.dark : s.light), s.style);
    setCaretForegroundColor(pal.color(QPalette::Text));
    setCaretLineBackgroundColor(dark ? base.lighter(140) : QColor(0xee, 0xf3, 0xfb));
    setMarginsBackgroundColor(pal.color(QPalette::Window));
    setMarginsForegroundColor(pal.color(QPalette::PlaceholderText));
    setFoldMarginColors(pal.color(QPalette::Window), pal.color(QPalette::Window));
}

} // namespace sluice::ui
