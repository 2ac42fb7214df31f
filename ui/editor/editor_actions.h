// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QObject>

class QAction;

namespace sluice::ui {

class EditorTabs;

/// The editor's menu actions with their standard shortcuts, for the window to put in its File and
/// Edit menus: Save (Ctrl+S), Save All (Ctrl+Shift+S); Undo, Redo, Find (Ctrl+F), Replace (Ctrl+H),
/// Complete (Ctrl+Space). Each acts on the current tab and is disabled without one.
class EditorActions : public QObject {
    Q_OBJECT

public:
    explicit EditorActions(EditorTabs& tabs);

    [[nodiscard]] QList<QAction*> fileActions() const;
    [[nodiscard]] QList<QAction*> editActions() const;
    /// Enables what applies to the current tab.
    void update();

private:
    QAction* add(const QString& text, const QKeySequence& shortcut);

    EditorTabs& m_tabs;
    QAction* m_save;
    QAction* m_saveAll;
    QAction* m_undo;
    QAction* m_redo;
    QAction* m_find;
    QAction* m_replace;
    QAction* m_complete;
    QAction* m_separator;
};

} // namespace sluice::ui
