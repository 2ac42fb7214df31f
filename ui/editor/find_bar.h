// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QsciScintilla;

namespace sluice::ui {

/// Find and replace in one editor, as a bar under it: Enter finds the next match, Shift+Enter
/// the previous one (both wrap around), Esc closes the bar. Plain text, optionally matching case.
class FindBar : public QWidget {
    Q_OBJECT

public:
    explicit FindBar(QWidget* parent = nullptr);

    /// The editor to search; nullptr disables the bar. Not owned.
    void setEditor(QsciScintilla* editor);
    /// Shows the bar for finding (`replace` false) or replacing, seeded with the editor's selection.
    void open(bool replace);
    void close();

    void setFindText(const QString& text);
    void setReplaceText(const QString& text);
    void setMatchCase(bool on);
    [[nodiscard]] QLineEdit* findField() const { return m_find; }
    [[nodiscard]] QLineEdit* replaceField() const { return m_replace; }

    /// Selects the next (or previous) match after the cursor; false when there is none.
    bool findNext(bool backwards = false);
    /// Replaces the selected match, if any, and selects the next one; false when none was left.
    bool replaceNext();
    /// Replaces every match as one undoable edit; returns how many.
    int replaceAll();

signals:
    void closed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    [[nodiscard]] bool selectionMatches() const;
    void showStatus(const QString& text);

    QsciScintilla* m_editor = nullptr;
    QLineEdit* m_find;
    QLineEdit* m_replace;
    QCheckBox* m_case;
    QLabel* m_status;
    QWidget* m_replaceRow;
};

} // namespace sluice::ui
