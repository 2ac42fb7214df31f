// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/schema_completion.h"
#include "diagnostic_marks.h"

#include <string>
#include <vector>

#include <Qsci/qsciscintilla.h>

class QsciLexerYAML;

namespace sluice::ui {

/// One YAML buffer: QScintilla with its YAML lexer, line numbers, folding, the current line
/// highlighted, diagnostics in the margin and as squiggles (with tooltips) and completion from
/// the model's schema. Positions in its API are 1-based lines and 1-based byte columns, as in
/// SourceSpan. GUI thread only.
class YamlEditor : public QsciScintilla {
    Q_OBJECT

public:
    explicit YamlEditor(QWidget* parent = nullptr);

    /// The text, byte for byte as it would be saved.
    [[nodiscard]] std::string utf8Text() const;
    /// Shows `text` as a new document: cursor at the start, no undo history, not modified.
    void loadText(const std::string& text);
    /// As loadText(), but the cursor and the scroll position stay where they were (a reload).
    void reloadText(const std::string& text);
    /// Replaces the whole text as one edit the user can undo; the buffer is then modified.
    void replaceText(const std::string& text);

    /// Moves the cursor to `line`/`column` (clamped to the text) and scrolls it to the middle.
    void goTo(int line, int column);
    [[nodiscard]] int cursorLine() const;
    [[nodiscard]] int cursorColumn() const;
    /// The byte position of `line`/`column`, clamped to the end of that line.
    [[nodiscard]] long positionAt(int line, int column) const;

    /// The tooltip for the mouse at (`x`, `y`) over byte `position` (-1: none): the diagnostics
    /// under a squiggle there, or those of the line when the mouse is over the margins.
    [[nodiscard]] QString toolTipAt(long position, int x, int y) const;

    [[nodiscard]] DiagnosticMarks& diagnostics() { return m_marks; }
    [[nodiscard]] const DiagnosticMarks& diagnostics() const { return m_marks; }

    /// What the schema offers at the cursor, filtered by what is typed there.
    [[nodiscard]] std::vector<config::Completion> completionsAtCursor() const;
    /// Pops up completionsAtCursor(); false (and nothing shown) when there are none.
    bool showCompletions();
    /// Puts `text`, one of the completions at the cursor, in place of what is typed there (a key
    /// gets ": " after it). One undoable edit.
    void insertCompletion(const QString& text);
    /// Whether typing the first letter of a key or value pops completion up by itself (default on).
    void setAutoCompletionPopup(bool on) { m_autoPopup = on; }

signals:
    /// The cursor moved to another line (1-based).
    void cursorLineChanged(int line);

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyTheme();
    void showToolTip(long position, int x, int y);
    void characterAdded(int character);
    void followCursor(int line);
    [[nodiscard]] config::YamlCursor yamlCursor() const;

    QsciLexerYAML* m_lexer = nullptr;
    DiagnosticMarks m_marks;
    std::vector<config::Completion> m_offered; ///< what the open completion list holds
    bool m_autoPopup = true;
    int m_line = -1;
};

} // namespace sluice::ui
