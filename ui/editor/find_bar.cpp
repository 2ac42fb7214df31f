// SPDX-License-Identifier: Apache-2.0
#include "find_bar.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <Qsci/qsciscintilla.h>

namespace sluice::ui {

FindBar::FindBar(QWidget* parent)
    : QWidget(parent)
    , m_find(new QLineEdit(this))
    , m_replace(new QLineEdit(this))
    , m_case(new QCheckBox(tr("Match case"), this))
    , m_status(new QLabel(this))
    , m_replaceRow(new QWidget(this)) {
    m_find->setPlaceholderText(tr("Find"));
    m_find->setClearButtonEnabled(true);
    m_replace->setPlaceholderText(tr("Replace with"));
    auto* previous = new QPushButton(tr("Previous"), this);
    auto* next = new QPushButton(tr("Next"), this);
    auto* replace = new QPushButton(tr("Replace"), m_replaceRow);
    auto* replaceAll = new QPushButton(tr("Replace All"), m_replaceRow);
    auto* closeButton = new QToolButton(this);
    closeButton->setText(QStringLiteral("\u2715"));
    closeButton->setToolTip(tr("Close (Esc)"));

    auto* findRow = new QHBoxLayout;
    findRow->addWidget(m_find, 1);
    findRow->addWidget(previous);
    findRow->addWidget(next);
    findRow->addWidget(m_case);
    findRow->addWidget(m_status);
    findRow->addWidget(closeButton);
    auto* replaceRow = new QHBoxLayout(m_replaceRow);
    replaceRow->setContentsMargins(0, 0, 0, 0);
    replaceRow->addWidget(m_replace, 1);
    replaceRow->addWidget(replace);
    replaceRow->addWidget(replaceAll);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addLayout(findRow);
    layout->addWidget(m_replaceRow);

    m_find->installEventFilter(this);
    m_replace->installEventFilter(this);
    connect(previous, &QPushButton::clicked, this, [this] { findNext(true); });
    connect(next, &QPushButton::clicked, this, [this] { findNext(); });
    connect(replace, &QPushButton::clicked, this, [this] { replaceNext(); });
    connect(replaceAll, &QPushButton::clicked, this, [this] { this->replaceAll(); });
    connect(closeButton, &QToolButton::clicked, this, &FindBar::close);
    hide();
}

void FindBar::setEditor(QsciScintilla* editor) {
    m_editor = editor;
    setEnabled(editor != nullptr);
}

void FindBar::open(bool replace) {
    if (m_editor && m_editor->hasSelectedText() && !m_editor->selectedText().contains(QLatin1Char('\n')))
        m_find->setText(m_editor->selectedText());
    m_replaceRow->setVisible(replace);
    m_status->clear();
    show();
    m_find->setFocus();
    m_find->selectAll();
}

void FindBar::close() {
    hide();
    if (m_editor)
        m_editor->setFocus();
    emit closed();
}

void FindBar::setFindText(const QString& text) {
    m_find->setText(text);
}

void FindBar::setReplaceText(const QString& text) {
    m_replace->setText(text);
}

void FindBar::setMatchCase(bool on) {
    m_case->setChecked(on);
}

bool FindBar::findNext(bool backwards) {
    if (!m_editor || m_find->text().isEmpty())
        return false;
    int line = -1;
    int index = -1;
    if (backwards && m_editor->hasSelectedText()) {
        // Search backwards from the start of the current match, not from its end.
        int toLine = 0;
        int toIndex = 0;
        m_editor->getSelection(&line, &index, &toLine, &toIndex);
    }
    const bool found = m_editor->findFirst(m_find->text(), false, m_case->isChecked(), false, true,
                                           !backwards, line, index, true);
    showStatus(found ? QString() : tr("No matches"));
    return found;
}

bool FindBar::selectionMatches() const {
    return m_editor && m_editor->hasSelectedText() &&
           m_editor->selectedText().compare(m_find->text(), m_case->isChecked() ? Qt::CaseSensitive
                                                                                : Qt::CaseInsensitive) == 0;
}

bool FindBar::replaceNext() {
    if (!m_editor || m_find->text().isEmpty())
        return false;
    if (selectionMatches())
        m_editor->replaceSelectedText(m_replace->text());
    return findNext();
}

int FindBar::replaceAll() {
    if (!m_editor || m_find->text().isEmpty())
        return 0;
    const QByteArray find = m_find->text().toUtf8();
    const QByteArray with = m_replace->text().toUtf8();
    m_editor->SendScintilla(QsciScintilla::SCI_SETSEARCHFLAGS,
                            m_case->isChecked() ? QsciScintilla::SCFIND_MATCHCASE : 0);
    int count = 0;
    long from = 0;
    m_editor->beginUndoAction();
    while (true) {
        m_editor->SendScintilla(QsciScintilla::SCI_SETTARGETRANGE, static_cast<unsigned long>(from),
                                m_editor->SendScintilla(QsciScintilla::SCI_GETLENGTH));
        if (m_editor->SendScintilla(QsciScintilla::SCI_SEARCHINTARGET, static_cast<uintptr_t>(find.size()),
                                    find.constData()) < 0)
            break;
        m_editor->SendScintilla(QsciScintilla::SCI_REPLACETARGET, static_cast<uintptr_t>(with.size()),
                                with.constData());
        from = m_editor->SendScintilla(QsciScintilla::SCI_GETTARGETEND);
        ++count;
    }
    m_editor->endUndoAction();
    showStatus(tr("%n replaced", nullptr, count));
    return count;
}

void FindBar::showStatus(const QString& text) {
    m_status->setText(text);
}

bool FindBar::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto* key = static_cast<QKeyEvent*>(event);
    if (key->key() == Qt::Key_Escape) {
        close();
        return true;
    }
    if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
        if (watched == m_replace)
            replaceNext();
        else
            findNext(key->modifiers().testFlag(Qt::ShiftModifier));
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace sluice::ui
