// SPDX-License-Identifier: Apache-2.0
#include "editor_actions.h"

#include "editor_page.h"
#include "editor_tabs.h"
#include "yaml_editor.h"

#include <QAction>
#include <QKeySequence>

namespace sluice::ui {

EditorActions::EditorActions(EditorTabs& tabs)
    : QObject(&tabs)
    , m_tabs(tabs)
    , m_save(add(tr("&Save"), QKeySequence::Save))
    , m_saveAll(add(tr("Save A&ll"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)))
    , m_undo(add(tr("&Undo"), QKeySequence::Undo))
    , m_redo(add(tr("&Redo"), QKeySequence::Redo))
    , m_find(add(tr("&Find..."), QKeySequence::Find))
    , m_replace(add(tr("R&eplace..."), QKeySequence(Qt::CTRL | Qt::Key_H)))
    , m_complete(add(tr("&Complete"), QKeySequence(Qt::CTRL | Qt::Key_Space)))
    , m_separator(new QAction(this)) {
    m_separator->setSeparator(true);
    auto editor = [this] {
        return m_tabs.currentPage() ? m_tabs.currentPage()->editor() : nullptr;
    };
    connect(m_save, &QAction::triggered, this, [this] { m_tabs.saveCurrent(); });
    connect(m_saveAll, &QAction::triggered, this, [this] { m_tabs.saveAll(); });
    connect(m_undo, &QAction::triggered, this, [editor] {
        if (YamlEditor* e = editor())
            e->undo();
    });
    connect(m_redo, &QAction::triggered, this, [editor] {
        if (YamlEditor* e = editor())
            e->redo();
    });
    connect(m_find, &QAction::triggered, this, [this] { m_tabs.openFind(false); });
    connect(m_replace, &QAction::triggered, this, [this] { m_tabs.openFind(true); });
    connect(m_complete, &QAction::triggered, this, [editor] {
        if (YamlEditor* e = editor())
            e->showCompletions();
    });
    update();
}

QAction* EditorActions::add(const QString& text, const QKeySequence& shortcut) {
    auto* action = new QAction(text, this);
    action->setShortcut(shortcut);
    return action;
}

QList<QAction*> EditorActions::fileActions() const {
    return {m_save, m_saveAll};
}

QList<QAction*> EditorActions::editActions() const {
    return {m_undo, m_redo, m_separator, m_find, m_replace, m_complete};
}

void EditorActions::update() {
    const EditorPage* page = m_tabs.currentPage();
    for (QAction* a : {m_undo, m_redo, m_find, m_replace, m_complete})
        a->setEnabled(page != nullptr);
    m_save->setEnabled(page && page->isModified());
    m_saveAll->setEnabled(!m_tabs.modifiedFiles().isEmpty());
}

} // namespace sluice::ui
